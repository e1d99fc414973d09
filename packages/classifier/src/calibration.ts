// Temperature scaling and expected calibration error. Gold labels are index sets: a prediction is
// correct when it is any of them (MTSamples documents often carry several specialties).
import { softmaxInPlace } from './logistic-regression.ts';

export function scaledProbabilities(logits: ArrayLike<number>, temperature: number): Float64Array {
  const p = Float64Array.from(logits, (z) => z / temperature);
  softmaxInPlace(p);
  return p;
}

/** Mean negative log of the probability mass on the gold set. */
export function setNll(logits: ArrayLike<number>[], gold: number[][], temperature: number): number {
  let total = 0;
  logits.forEach((z, i) => {
    const p = scaledProbabilities(z, temperature);
    let mass = 0;
    for (const k of gold[i] ?? []) mass += p[k] ?? 0;
    total -= Math.log(Math.max(mass, 1e-12));
  });
  return total / Math.max(1, logits.length);
}

/** Golden-section search on log T in [0.05, 20]; the NLL is unimodal in T for fixed logits. */
export function fitTemperature(logits: ArrayLike<number>[], gold: number[][]): number {
  const loss = setNll;
  if (!logits.length) return 1;
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(0.05);
  let b = Math.log(20);
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let fc = loss(logits, gold, Math.exp(c));
  let fd = loss(logits, gold, Math.exp(d));
  for (let i = 0; i < 60; i++) {
    if (fc < fd) {
      [b, d, fd] = [d, c, fc];
      c = b - phi * (b - a);
      fc = loss(logits, gold, Math.exp(c));
    } else {
      [a, c, fc] = [c, d, fd];
      d = a + phi * (b - a);
      fd = loss(logits, gold, Math.exp(d));
    }
  }
  return Math.exp((a + b) / 2);
}

export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if ((p[k] ?? -Infinity) > (p[best] ?? -Infinity)) best = k;
  return best;
}

/** ECE with equal-width confidence bins: Σ (n_b/N)·|accuracy_b − mean confidence_b|. */
export function expectedCalibrationError(probs: ArrayLike<number>[], gold: number[][], bins = 10): number {
  const count = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  probs.forEach((p, i) => {
    const k = argmax(p);
    const c = p[k] ?? 0;
    const b = Math.min(bins - 1, Math.floor(c * bins));
    count[b]! += 1;
    conf[b]! += c;
    if ((gold[i] ?? []).includes(k)) hits[b]! += 1;
  });
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (count[b]! > 0) ece += Math.abs(hits[b]! - conf[b]!) / probs.length;
  }
  return ece;
}
