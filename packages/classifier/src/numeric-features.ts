// Turns parsed vitals into a fixed-width numeric block: standardized values, squares, and missing flags.
import { CONTINUOUS, MENTAL, PRIORITY, type Span, type Vitals } from './numeric.ts';

export type NumericStats = { mean: number[]; std: number[] };
export type NumericConfig = { squares: boolean };
export type NumericBlock = { values: number[]; spans: (Span | undefined)[] };

const CLIP = 5;

export function numericFeatureNames(config: NumericConfig): string[] {
  const names: string[] = [];
  for (const c of CONTINUOUS) {
    names.push(`${c}:z`);
    if (config.squares) names.push(`${c}:z2`);
    names.push(`${c}:missing`);
  }
  for (const m of MENTAL) names.push(`mental:${m}`);
  names.push('mental:missing', 'arrival:ambulance', 'arrival:missing');
  for (const p of PRIORITY) names.push(`priority:${p}`);
  names.push('priority:missing');
  return names;
}

/** Mean/std of each continuous reading over the records where it is present (std 1 when undefined). */
export function fitNumericStats(all: Vitals[]): NumericStats {
  const mean: number[] = [];
  const std: number[] = [];
  for (const c of CONTINUOUS) {
    const xs = all.flatMap((v) => (v.readings[c] ? [v.readings[c].value] : []));
    const mu = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
    const variance = xs.length > 1 ? xs.reduce((a, b) => a + (b - mu) ** 2, 0) / (xs.length - 1) : 0;
    mean.push(mu);
    std.push(variance > 1e-12 ? Math.sqrt(variance) : 1);
  }
  return { mean, std };
}

export function numericBlock(v: Vitals, stats: NumericStats, config: NumericConfig): NumericBlock {
  const values: number[] = [];
  const spans: (Span | undefined)[] = [];
  const push = (x: number, span?: Span) => {
    values.push(x);
    spans.push(span);
  };
  CONTINUOUS.forEach((c, i) => {
    const r = v.readings[c];
    const z = r ? Math.max(-CLIP, Math.min(CLIP, (r.value - (stats.mean[i] ?? 0)) / (stats.std[i] ?? 1))) : 0;
    push(z, r);
    // Squares let a linear model notice "far from normal in either direction" (e.g. HR 40 or 150).
    if (config.squares) push(r ? (z * z) / CLIP : 0, r);
    push(r ? 0 : 1);
  });
  for (const m of MENTAL) push(v.mental?.value === m ? 1 : 0, v.mental?.value === m ? v.mental : undefined);
  push(v.mental ? 0 : 1);
  push(v.ambulance?.value === 1 ? 1 : 0, v.ambulance?.value === 1 ? v.ambulance : undefined);
  push(v.ambulance ? 0 : 1);
  for (const p of PRIORITY) push(v.priority?.value === p ? 1 : 0, v.priority?.value === p ? v.priority : undefined);
  push(v.priority ? 0 : 1);
  return { values, spans };
}
