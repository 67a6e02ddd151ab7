// The objective module for examples/parallel.ts: plain ESM (worker threads
// cannot load TypeScript). It exports the space too, so parameter values that
// cannot be copied to a worker (here: functions) are rebuilt from it there.

const lin = (a, b, n) => Array.from({ length: n }, (_, k) => a + ((b - a) * k) / (n - 1));

export const space = {
  x: lin(-3, 3, 601),
  y: lin(-3, 3, 601),
  warp: [
    Math.sin,
    Math.tanh,
    function identity(v) {
      return v;
    },
  ],
};

/** A few milliseconds of honest computation per trial. */
export default function objective({ x, y, warp }) {
  let acc = 0;
  for (let k = 0; k < 200_000; k++) acc += Math.cos(k * 1e-6 * x);
  return (warp(x) - 0.5) ** 2 + (y - 1) ** 2 + acc * 0;
}
