// Multiclass gradient-boosted trees (softmax loss, Newton leaves, exact greedy splits) on small dense tables.
// No row or column sampling, so a fit is fully determined by its data and parameters.
import { softmaxInPlace } from './logistic-regression.ts';

export type BoostParams = { rounds: number; depth: number; learningRate: number; l2: number; minLeaf: number };
/** Flat tree: node i is a leaf when feature[i] < 0 (value[i] is its score); else x[feature] <= threshold goes left. */
export type Tree = { feature: number[]; threshold: number[]; left: number[]; right: number[]; value: number[] };
/** trees[r*K + k] is round r's tree for class k. */
export type Booster = { K: number; features: number; base: number[]; trees: Tree[] };

type Grow = { X: Float64Array[]; g: Float64Array; h: Float64Array; sorted: Int32Array[]; p: BoostParams };

function leafValue(G: number, H: number, p: BoostParams): number {
  return Math.fround((-G / (H + p.l2)) * p.learningRate);
}

function bestSplit(rows: Uint8Array, count: number, G: number, H: number, s: Grow): { f: number; thr: number; gain: number } | null {
  const { X, g, h, sorted, p } = s;
  const parent = (G * G) / (H + p.l2);
  let best: { f: number; thr: number; gain: number } | null = null;
  for (let f = 0; f < X.length; f++) {
    const col = X[f]!;
    const order = sorted[f]!;
    let gl = 0;
    let hl = 0;
    let nl = 0;
    let prev = NaN;
    for (let q = 0; q < order.length; q++) {
      const i = order[q]!;
      if (!rows[i]) continue;
      const v = col[i]!;
      // A split sits between two distinct values, with enough rows on each side.
      if (nl >= p.minLeaf && count - nl >= p.minLeaf && v !== prev) {
        const gain = (gl * gl) / (hl + p.l2) + ((G - gl) * (G - gl)) / (H - hl + p.l2) - parent;
        if (gain > 1e-9 && (!best || gain > best.gain)) best = { f, thr: Math.fround((prev + v) / 2), gain };
      }
      gl += g[i]!;
      hl += h[i]!;
      nl++;
      prev = v;
    }
  }
  return best;
}

function growTree(s: Grow, n: number): Tree {
  const t: Tree = { feature: [], threshold: [], left: [], right: [], value: [] };
  const grow = (rows: Uint8Array, depth: number): number => {
    let G = 0;
    let H = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (!rows[i]) continue;
      G += s.g[i]!;
      H += s.h[i]!;
      count++;
    }
    const id = t.feature.length;
    t.feature.push(-1);
    t.threshold.push(0);
    t.left.push(-1);
    t.right.push(-1);
    t.value.push(leafValue(G, H, s.p));
    const split = depth < s.p.depth ? bestSplit(rows, count, G, H, s) : null;
    if (!split) return id;
    const col = s.X[split.f]!;
    const l = new Uint8Array(n);
    const r = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (rows[i]) (col[i]! <= split.thr ? l : r)[i] = 1;
    t.feature[id] = split.f;
    t.threshold[id] = split.thr;
    t.value[id] = 0;
    t.left[id] = grow(l, depth + 1);
    t.right[id] = grow(r, depth + 1);
    return id;
  };
  grow(new Uint8Array(n).fill(1), 0);
  return t;
}

export function treeValue(t: Tree, x: ArrayLike<number>): number {
  let i = 0;
  while (t.feature[i]! >= 0) i = (x[t.feature[i]!] ?? 0) <= t.threshold[i]! ? t.left[i]! : t.right[i]!;
  return t.value[i]!;
}

export function boosterLogits(b: Booster, x: ArrayLike<number>): Float64Array {
  const z = Float64Array.from(b.base);
  for (let j = 0; j < b.trees.length; j++) z[j % b.K] = z[j % b.K]! + treeValue(b.trees[j]!, x);
  return z;
}

/** rows: dense feature vectors (missing values encoded by the caller, e.g. −1); targets: rows×K soft labels. */
export function fitBooster(rows: ArrayLike<number>[], targets: Float64Array, K: number, p: BoostParams): Booster {
  const n = rows.length;
  const F = rows[0]?.length ?? 0;
  const X = Array.from({ length: F }, (_, f) => Float64Array.from(rows, (r) => r[f] ?? 0));
  const sorted = X.map((col) => Int32Array.from(col.keys()).sort((a, b) => col[a]! - col[b]! || a - b));
  // Start from the class prior (log frequencies), as a constant model would.
  const prior = new Array<number>(K).fill(0);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) prior[k]! += targets[i * K + k]!;
  const base = prior.map((c) => Math.fround(Math.log((c + 1) / (n + K))));
  const z = Array.from({ length: n }, () => Float64Array.from(base));
  const trees: Tree[] = [];
  const g = new Float64Array(n);
  const h = new Float64Array(n);
  const prob = new Float64Array(K);
  for (let r = 0; r < p.rounds; r++) {
    const round: Tree[] = [];
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < n; i++) {
        prob.set(z[i]!);
        softmaxInPlace(prob);
        g[i] = prob[k]! - targets[i * K + k]!;
        h[i] = Math.max(prob[k]! * (1 - prob[k]!), 1e-6);
      }
      round.push(growTree({ X, g, h, sorted, p }, n));
    }
    // Update after the whole round so every class's tree sees the same probabilities.
    for (let k = 0; k < K; k++) for (let i = 0; i < n; i++) z[i]![k] = z[i]![k]! + treeValue(round[k]!, rows[i]!);
    trees.push(...round);
  }
  return { K, features: F, base, trees };
}
