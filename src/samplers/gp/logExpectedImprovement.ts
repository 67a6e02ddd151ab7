import { normalCdf, normalPdf } from './normal.js';

/** log EI and its partial derivatives in the posterior mean and standard deviation. */
export interface LogEi {
  value: number;
  dMu: number;
  dSigma: number;
}

/** Below this z, h(z) = zΦ(z) + φ(z) comes from its asymptotic series: the direct form cancels. */
const TAIL = -8;

/**
 * log of expected improvement below `best` (minimisation) for a normal
 * posterior N(mu, sigma²): EI = σ·h(z), z = (best − μ)/σ,
 * h(z) = zΦ(z) + φ(z). Written as log φ(z) + log(h/φ) so it stays finite
 * far in the tail where EI itself underflows to 0 (log-EI, Ament et al.
 * 2023), which keeps the acquisition's gradient alive where every candidate
 * is unpromising. Writes into `out` (no allocation on the hot path).
 */
export function logExpectedImprovement(mu: number, sigma: number, best: number, out: LogEi): LogEi {
  const z = (best - mu) / sigma;
  // r = h(z)/φ(z) and m = Φ(z)/φ(z) (Mills' ratio), each without cancellation.
  let r: number;
  let m: number;
  if (z > 30) {
    // Φ(z) = 1 to double precision: EI = best − μ.
    out.value = Math.log(sigma * z);
    out.dMu = -1 / (sigma * z);
    out.dSigma = 0;
    return out;
  }
  if (z < TAIL) {
    const w = 1 / (z * z);
    r = w * (1 - 3 * w + 15 * w * w - 105 * w * w * w);
    m = (-1 / z) * (1 - w + 3 * w * w - 15 * w * w * w);
  } else {
    const pdf = normalPdf(z);
    m = normalCdf(z) / pdf;
    r = 1 + z * m;
  }
  out.value = Math.log(sigma) - 0.5 * z * z - 0.5 * Math.log(2 * Math.PI) + Math.log(r);
  // ∂EI/∂μ = −Φ(z), ∂EI/∂σ = φ(z); divided by EI = σ·φ(z)·r.
  out.dMu = -m / (sigma * r);
  out.dSigma = 1 / (sigma * r);
  return out;
}
