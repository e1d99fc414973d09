// Multinomial logistic regression with L2, fitted by L-BFGS on sparse rows.
// The objective is strictly convex, so from a zero start the result is fully determined by the data.
import type { SparseRow } from './features.ts';

export type Csr = { rowPtr: Int32Array; idx: Int32Array; val: Float64Array; rows: number; cols: number };
/** W is feature-major (W[j*K + k]) so a sparse row touches contiguous memory. */
export type SoftmaxModel = { W: Float64Array; b: Float64Array; K: number; F: number };
export type FitOptions = { lambda: number; maxIter?: number; tol?: number };

export function toCsr(rows: SparseRow[], cols: number): Csr {
  const nnz = rows.reduce((a, r) => a + r.idx.length, 0);
  const rowPtr = new Int32Array(rows.length + 1);
  const idx = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let p = 0;
  rows.forEach((r, i) => {
    for (let q = 0; q < r.idx.length; q++, p++) {
      idx[p] = r.idx[q]!;
      val[p] = r.val[q]!;
    }
    rowPtr[i + 1] = p;
  });
  return { rowPtr, idx, val, rows: rows.length, cols };
}

/** Writes the K logits of row i into `out`. */
export function rowLogits(m: SoftmaxModel, X: Csr, i: number, out: Float64Array): void {
  const K = m.K;
  for (let k = 0; k < K; k++) out[k] = m.b[k]!;
  for (let p = X.rowPtr[i]!; p < X.rowPtr[i + 1]!; p++) {
    const base = X.idx[p]! * K;
    const v = X.val[p]!;
    for (let k = 0; k < K; k++) out[k] = out[k]! + v * m.W[base + k]!;
  }
}

export function predictLogits(m: SoftmaxModel, X: Csr): Float64Array[] {
  const out: Float64Array[] = [];
  for (let i = 0; i < X.rows; i++) {
    const z = new Float64Array(m.K);
    rowLogits(m, X, i, z);
    out.push(z);
  }
  return out;
}

export function softmaxInPlace(z: Float64Array | number[]): void {
  let max = -Infinity;
  for (let k = 0; k < z.length; k++) max = Math.max(max, z[k]!);
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    z[k] = Math.exp(z[k]! - max);
    sum += z[k]!;
  }
  for (let k = 0; k < z.length; k++) z[k] = z[k]! / sum;
}

/**
 * Minimises Σ w_i·CE(t_i, softmax(x_i W + b)) / Σ w_i + λ/2·‖W‖² (bias unregularised).
 * `targets` is rows×K soft labels (each row sums to 1), so multi-label rows can share their mass.
 */
export function fitSoftmax(X: Csr, targets: Float64Array, weights: Float64Array, K: number, opts: FitOptions): SoftmaxModel {
  const F = X.cols;
  const nW = F * K;
  const { rowPtr, idx, val, rows } = X;
  const lambda = opts.lambda;
  let sumW = 0;
  for (let i = 0; i < rows; i++) sumW += weights[i]!;
  const z = new Float64Array(K);

  const evaluate = (theta: Float64Array, grad: Float64Array): number => {
    let reg = 0;
    for (let j = 0; j < nW; j++) {
      const t = theta[j]!;
      reg += t * t;
      grad[j] = lambda * t;
    }
    for (let k = 0; k < K; k++) grad[nW + k] = 0;
    let loss = 0;
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < K; k++) z[k] = theta[nW + k]!;
      const p0 = rowPtr[i]!;
      const p1 = rowPtr[i + 1]!;
      for (let p = p0; p < p1; p++) {
        const base = idx[p]! * K;
        const v = val[p]!;
        for (let k = 0; k < K; k++) z[k] = z[k]! + v * theta[base + k]!;
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (z[k]! > max) max = z[k]!;
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(z[k]! - max);
      const lse = max + Math.log(sum);
      const w = weights[i]! / sumW;
      const tBase = i * K;
      for (let k = 0; k < K; k++) {
        const t = targets[tBase + k]!;
        if (t > 0) loss -= w * t * (z[k]! - lse);
        z[k] = w * (Math.exp(z[k]! - lse) - t); // residual, reused as the gradient factor
      }
      for (let p = p0; p < p1; p++) {
        const base = idx[p]! * K;
        const v = val[p]!;
        for (let k = 0; k < K; k++) grad[base + k] = grad[base + k]! + v * z[k]!;
      }
      for (let k = 0; k < K; k++) grad[nW + k] = grad[nW + k]! + z[k]!;
    }
    return loss + 0.5 * lambda * reg;
  };

  const theta = lbfgs(evaluate, nW + K, opts.maxIter ?? 300, opts.tol ?? 1e-5);
  return { W: theta.slice(0, nW), b: theta.slice(nW), K, F };
}

type Objective = (x: Float64Array, grad: Float64Array) => number;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** L-BFGS (memory 6, ring buffer) with Armijo backtracking; stops on small gradient or stalled objective. */
function lbfgs(f: Objective, n: number, maxIter: number, tol: number): Float64Array {
  const m = 6;
  let x = new Float64Array(n);
  let g = new Float64Array(n);
  let fx = f(x, g);
  const S = Array.from({ length: m }, () => new Float64Array(n));
  const Y = Array.from({ length: m }, () => new Float64Array(n));
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  let stored = 0; // number of valid pairs
  let head = 0; // slot for the next pair
  const d = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);

  for (let iter = 0; iter < maxIter; iter++) {
    let gMax = 0;
    for (let i = 0; i < n; i++) gMax = Math.max(gMax, Math.abs(g[i]!));
    if (gMax < tol) break;

    // Two-loop recursion: d = -H·g, newest pair first.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let c = 1; c <= stored; c++) {
      const j = (head - c + m) % m;
      const a = rho[j]! * dot(S[j]!, d);
      alpha[j] = a;
      axpy(-a, Y[j]!, d);
    }
    if (stored > 0) {
      const j = (head - 1 + m) % m;
      scale(d, 1 / (rho[j]! * dot(Y[j]!, Y[j]!)));
    } else scale(d, 1 / Math.max(1, Math.sqrt(dot(g, g))));
    for (let c = stored; c >= 1; c--) {
      const j = (head - c + m) % m;
      const b = rho[j]! * dot(Y[j]!, d);
      axpy(alpha[j]! - b, S[j]!, d);
    }
    let slope = dot(g, d);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      stored = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = dot(g, d);
    }

    let step = 1;
    let fNew = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * d[i]!;
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew < fx)) break;

    const s = S[head]!;
    const y = Y[head]!;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      const si = xNew[i]! - x[i]!;
      const yi = gNew[i]! - g[i]!;
      s[i] = si;
      y[i] = yi;
      sy += si * yi;
    }
    if (sy > 1e-12) {
      rho[head] = 1 / sy;
      head = (head + 1) % m;
      stored = Math.min(stored + 1, m);
    }
    const improvement = (fx - fNew) / Math.max(1, Math.abs(fx));
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    fx = fNew;
    if (improvement < 1e-10) break;
  }
  return x;
}

function axpy(a: number, xs: Float64Array, ys: Float64Array): void {
  for (let i = 0; i < xs.length; i++) ys[i] = ys[i]! + a * xs[i]!;
}

function scale(xs: Float64Array, a: number): void {
  for (let i = 0; i < xs.length; i++) xs[i] = xs[i]! * a;
}
