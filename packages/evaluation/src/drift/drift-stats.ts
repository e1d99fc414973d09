// Pure drift statistics: PSI, two-sample KS, chi² (with p-values) and black-box label-shift estimation.

/** Floor for an empty bin's share: PSI has ln(p/q), so a zero would make one empty bin infinite drift. */
export const PSI_EPSILON = 1e-4;

/** PSI = Σ (live − ref) · ln(live / ref) over bin shares; counts need not have equal totals. */
export function psiFromCounts(reference: readonly number[], live: readonly number[], eps = PSI_EPSILON): number {
  const nr = sum(reference);
  const nl = sum(live);
  if (nr === 0 || nl === 0) return Number.NaN;
  let psi = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max((reference[i] ?? 0) / nr, eps);
    const l = Math.max((live[i] ?? 0) / nl, eps);
    psi += (l - r) * Math.log(l / r);
  }
  return psi;
}

/** Upper edges of the reference deciles (duplicates dropped: ties make fewer, wider bins). */
export function decileEdges(reference: readonly number[]): number[] {
  const s = [...reference].sort((a, b) => a - b);
  const edges: number[] = [];
  for (let k = 1; k < 10; k++) {
    const e = s[Math.max(0, Math.ceil((k * s.length) / 10) - 1)];
    if (e !== undefined && edges[edges.length - 1] !== e) edges.push(e);
  }
  return edges;
}

/** Bin i holds (edges[i-1], edges[i]]; the last bin is everything above the last edge. */
export function binCounts(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const v of values) {
    let lo = 0;
    let hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v <= edges[mid]!) hi = mid;
      else lo = mid + 1;
    }
    counts[lo]!++;
  }
  return counts;
}

export function numericPsi(reference: readonly number[], live: readonly number[]): number {
  const edges = decileEdges(reference);
  return psiFromCounts(binCounts(reference, edges), binCounts(live, edges));
}

export function categoryCounts(reference: readonly string[], live: readonly string[]): { labels: string[]; ref: number[]; live: number[] } {
  const labels = [...new Set([...reference, ...live])].sort();
  const count = (xs: readonly string[]) => labels.map((l) => xs.filter((x) => x === l).length);
  return { labels, ref: count(reference), live: count(live) };
}

export function categoricalPsi(reference: readonly string[], live: readonly string[]): number {
  const c = categoryCounts(reference, live);
  return psiFromCounts(c.ref, c.live);
}

export type TestResult = { statistic: number; pValue: number; df?: number };

/** Two-sample Kolmogorov–Smirnov: D = sup |F_ref − F_live|, p from the asymptotic Kolmogorov distribution. */
export function ksTest(a: readonly number[], b: readonly number[]): TestResult {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= v) i++; // ties step both ECDFs together
    while (j < y.length && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  const en = Math.sqrt((x.length * y.length) / (x.length + y.length));
  return { statistic: d, pValue: kolmogorovSf(en * d) };
}

/** P(K > λ) for the Kolmogorov distribution; the theta-function form where the alternating series is slow. */
export function kolmogorovSf(lambda: number): number {
  if (lambda <= 0) return 1;
  if (lambda < 1.18) {
    let cdf = 0;
    for (let k = 1; k <= 20; k++) cdf += Math.exp(-((2 * k - 1) ** 2) * Math.PI ** 2 / (8 * lambda * lambda));
    return clamp01(1 - (Math.sqrt(2 * Math.PI) / lambda) * cdf);
  }
  let q = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    q += term;
    if (Math.abs(term) < 1e-16) break;
  }
  return clamp01(q);
}

/** Pearson chi² test of homogeneity on the 2×K table (reference counts, live counts). */
export function chi2Test(reference: readonly number[], live: readonly number[]): TestResult {
  const nr = sum(reference);
  const nl = sum(live);
  const n = nr + nl;
  let stat = 0;
  let k = 0;
  for (let i = 0; i < reference.length; i++) {
    const col = (reference[i] ?? 0) + (live[i] ?? 0);
    if (col === 0) continue;
    k++;
    const er = (nr * col) / n;
    const el = (nl * col) / n;
    stat += ((reference[i] ?? 0) - er) ** 2 / er + ((live[i] ?? 0) - el) ** 2 / el;
  }
  const df = Math.max(0, k - 1);
  return { statistic: stat, df, pValue: chi2Sf(stat, df) };
}

/** P(X² > x) with df degrees of freedom: the regularized upper incomplete gamma Q(df/2, x/2). */
export function chi2Sf(x: number, df: number): number {
  if (df <= 0 || x <= 0) return 1;
  return clamp01(gammaQ(df / 2, x / 2));
}

function gammaQ(a: number, x: number): number {
  const front = Math.exp(-x + a * Math.log(x) - lnGamma(a));
  if (x < a + 1) {
    // Series for P(a, x), converges fast below a + 1.
    let ap = a;
    let del = 1 / a;
    let s = del;
    for (let n = 0; n < 500 && Math.abs(del) > Math.abs(s) * 1e-15; n++) s += del *= x / ++ap;
    return 1 - s * front;
  }
  // Lentz continued fraction for Q(a, x).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return front * h;
}

function lnGamma(x: number): number {
  const cof = [76.18009172947146, -86.50532032941677, 24.01409824083091, -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5];
  let y = x;
  const t = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let ser = 1.000000000190015;
  for (const c of cof) ser += c / ++y;
  return -t + Math.log((2.5066282746310005 * ser) / x);
}

export type LabelPair = { predicted: string; actual: string };
export type LabelShift =
  | { kind: 'estimated'; labels: string[]; distribution: number[]; clipped: boolean }
  | { kind: 'not_estimable'; reason: string };

/**
 * Black Box Shift Estimation: C[i][j] = P(pred=i | true=j) from reviewed cases, then the true-label shares of a
 * window are q = C⁻¹ · μ (μ its predicted shares). Valid under label shift only (P(x | y) unchanged).
 */
export function bssLabelShift(reviewed: readonly LabelPair[], predicted: readonly string[], minCases: number): LabelShift {
  if (reviewed.length < minCases) return { kind: 'not_estimable', reason: `${reviewed.length} reviewed cases (need ${minCases})` };
  const labels = [...new Set(reviewed.flatMap((p) => [p.predicted, p.actual]))].sort();
  const unseen = [...new Set(predicted)].filter((l) => !labels.includes(l));
  if (unseen.length) return { kind: 'not_estimable', reason: `predicted labels never reviewed: ${unseen.sort().join(', ')}` };
  if (predicted.length === 0) return { kind: 'not_estimable', reason: 'no predictions in the window' };
  const k = labels.length;
  const idx = new Map(labels.map((l, i) => [l, i]));
  const c = labels.map(() => new Array<number>(k).fill(0));
  const perTrue = new Array<number>(k).fill(0);
  for (const p of reviewed) {
    c[idx.get(p.predicted)!]![idx.get(p.actual)!]!++;
    perTrue[idx.get(p.actual)!]!++;
  }
  for (const row of c) for (let j = 0; j < k; j++) row[j] = perTrue[j]! > 0 ? row[j]! / perTrue[j]! : 0;
  const mu = labels.map((l) => predicted.filter((x) => x === l).length / predicted.length);
  const q = solve(c, mu);
  if (!q) return { kind: 'not_estimable', reason: 'confusion matrix is singular' };
  // Sampling noise can push a share below zero: clip and renormalise (the usual BBSE projection).
  const clipped = q.some((v) => v < 0);
  const pos = q.map((v) => Math.max(0, v));
  const total = sum(pos);
  if (total <= 0) return { kind: 'not_estimable', reason: 'estimate has no positive mass' };
  return { kind: 'estimated', labels, distribution: pos.map((v) => v / total), clipped };
}

/** Gaussian elimination with partial pivoting; null when a pivot vanishes (singular or nearly so). */
export function solve(a: readonly (readonly number[])[], b: readonly number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let p = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[p]![col]!)) p = r;
    if (Math.abs(m[p]![col]!) < 1e-9) return null;
    [m[col], m[p]] = [m[p]!, m[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]! / m[col]![col]!;
      for (let j = col; j <= n; j++) m[r]![j]! -= f * m[col]![j]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
