/**
 * In-place Cholesky factorisation of a symmetric positive definite n×n
 * matrix (row-major, lower triangle read and written): A = L·Lᵀ. Returns
 * false when a pivot is not positive. Its own loop rather than ml-matrix's
 * CholeskyDecomposition: it runs on every likelihood evaluation of the
 * hyperparameter fit, where a Matrix's boxing and copies cost more than
 * the arithmetic.
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let s = a[rj + j];
    for (let k = 0; k < j; k++) s -= a[rj + k] * a[rj + k];
    if (!(s > 0)) return false;
    const d = Math.sqrt(s);
    a[rj + j] = d;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let t = a[ri + j];
      for (let k = 0; k < j; k++) t -= a[ri + k] * a[rj + k];
      a[ri + j] = t / d;
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[i * n + j] = 0;
  return true;
}

/** Solves L·x = b in place (L lower triangular, row-major). */
export function solveLower(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[ri + k] * b[k];
    b[i] = s / l[ri + i];
  }
  return b;
}

/** Solves Lᵀ·x = b in place. */
export function solveUpper(l: Float64Array, n: number, b: Float64Array): Float64Array {
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
  return b;
}

/** K⁻¹ from K's Cholesky factor, as a full symmetric row-major matrix. */
export function inverseFromCholesky(l: Float64Array, n: number): Float64Array {
  // U = L⁻ᵀ (upper triangular, row-major), built row by row from the bottom so every inner loop runs along a row;
  // then K⁻¹ = L⁻ᵀL⁻¹ = U·Uᵀ, whose (i, j) entry is the dot product of rows i and j of U.
  const u = new Float64Array(n * n);
  for (let j = 0; j < n; j++) u[j * n + j] = 1 / l[j * n + j];
  // Column i of L⁻¹ (row i of U) solves L·c = e_i: c_k for k > i from c_i..c_(k-1).
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = i + 1; k < n; k++) {
      const rk = k * n;
      let s = 0;
      for (let m = i; m < k; m++) s -= l[rk + m] * u[ri + m];
      u[ri + k] = s / l[rk + k];
    }
  }
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = 0;
      for (let k = i; k < n; k++) s += u[ri + k] * u[rj + k];
      inv[ri + j] = s;
      inv[rj + i] = s;
    }
  }
  return inv;
}
