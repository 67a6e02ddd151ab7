const SQRT5 = Math.sqrt(5);

/**
 * The Matérn-5/2 correlation at scaled squared distance r² =
 * Σ_d (Δ_d / ℓ_d)²: (1 + √5 r + 5r²/3)·e^(−√5 r). Twice differentiable,
 * the usual choice for hyperparameter surfaces (smooth, but not as smooth
 * as the squared exponential assumes).
 */
export function matern52(r2: number): number {
  const r = Math.sqrt(r2);
  return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/**
 * −∂ matern52 / ∂(r²/2), that is (5/3)(1 + √5 r)·e^(−√5 r): the factor
 * both gradients share. ∂k/∂x_d = −factor·Δ_d/ℓ_d² and
 * ∂k/∂log ℓ_d = factor·Δ_d²/ℓ_d² (times the amplitude).
 */
export function matern52Factor(r2: number): number {
  const r = Math.sqrt(r2);
  return (5 / 3) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}
