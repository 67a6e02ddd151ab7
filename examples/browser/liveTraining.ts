// The page's script (bundled with esbuild by page.ts): tunes the iris network live and redraws the
// convergence plot (each trial's validation loss, and the best so far) as each trial finishes.
// Query parameters: ?maxEpochs=27 (Hyperband's largest budget), ?seed=1.
import { setBackend } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { BOHB, Hyperband, hyperopt$, type Trial } from '../../src/index.js';
import type { TfjsFitState } from '../../src/tfjs.js';
import { irisTensors } from '../live-training/iris.js';
import { space, type IrisParams } from '../live-training/model.js';
import { irisObjective } from '../live-training/objective.js';

const query = new URLSearchParams(location.search);
const maxEpochs = Number(query.get('maxEpochs') ?? 27);
const seed = Number(query.get('seed') ?? 1);
const byId = (id: string) => document.getElementById(id)!;

function draw(trials: readonly Trial<IrisParams, TfjsFitState>[]): void {
  const svg = byId('plot');
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  const pad = 40;
  const values = trials.map((t) => t.value).filter((v) => Number.isFinite(v) && v > 0);
  if (values.length === 0) return;
  // Log scale on the loss: early rungs sit near ln 3 = 1.1, good fits near 0.05.
  const lo = Math.log10(Math.min(...values));
  const hi = Math.log10(Math.max(...values));
  const x = (k: number) => pad + ((width - 2 * pad) * k) / Math.max(1, trials.length - 1);
  const y = (v: number) => height - pad - ((height - 2 * pad) * (Math.log10(v) - lo)) / Math.max(1e-9, hi - lo);
  let best = Infinity;
  const line: string[] = [];
  const dots: string[] = [];
  trials.forEach((t, k) => {
    if (!(Number.isFinite(t.value) && t.value > 0)) return;
    best = Math.min(best, t.value);
    line.push(`${x(k).toFixed(1)},${y(best).toFixed(1)}`);
    dots.push(
      `<circle class="${t.status}" cx="${x(k).toFixed(1)}" cy="${y(t.value).toFixed(1)}" r="${2 + Math.log2(t.resources ?? 1)}"><title>${t.value.toFixed(4)} after ${t.resources} epochs</title></circle>`,
    );
  });
  svg.innerHTML =
    `<text class="axis" x="${pad}" y="${pad - 10}">validation loss (log), ${values.length} trials; dot size: epochs; line: best so far</text>` +
    `<text class="axis" x="4" y="${y(10 ** hi) + 4}">${(10 ** hi).toFixed(2)}</text><text class="axis" x="4" y="${y(10 ** lo) + 4}">${(10 ** lo).toFixed(3)}</text>` +
    `<polyline class="best" points="${line.join(' ')}"/>` +
    dots.join('');
}

async function main(): Promise<void> {
  await setBackend('cpu');
  const data = irisTensors();
  let epochs = 0;
  const objective = irisObjective(data, { maxEpochs, onDisposed: (fit) => (epochs += fit.epochs) });
  const trials: Trial<IrisParams, TfjsFitState>[] = [];
  byId('status').textContent = 'training';
  byId('status').dataset.state = 'training';
  hyperopt$({ space, sampler: new Hyperband({ maxResource: maxEpochs, eta: 3, inner: new BOHB({ seed }) }), concurrency: 2 }, objective).subscribe({
    next: (trial) => {
      trials.push(trial);
      const best = trials.reduce((b, t) => (t.value < b.value ? t : b));
      byId('trials').textContent = String(trials.length);
      byId('best').textContent = best.value.toFixed(4);
      byId('best-params').textContent = `lr ${best.params.lr.toPrecision(3)}, ${best.params.units} units, ${best.params.optimizer}, ${best.resources} epochs`;
      byId('epochs').textContent = String(epochs);
      byId('trial-values').textContent = JSON.stringify(trials.map((t) => t.value));
      draw(trials);
    },
    error: (error: unknown) => {
      byId('status').textContent = `failed: ${String(error)}`;
      byId('status').dataset.state = 'failed';
    },
    complete: () => {
      data.dispose();
      byId('epochs').textContent = String(epochs);
      byId('status').textContent = 'done';
      byId('status').dataset.state = 'done';
    },
  });
}

void main();
