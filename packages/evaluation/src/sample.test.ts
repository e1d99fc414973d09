import type { TrainingRecord } from '@triage/classifier';
import { describe, expect, it } from 'vitest';
import { stratifiedSample } from './sample.ts';

// 300 KTAS-like records (urgency 20 % emergent) and 60 MTSamples-like ones (two specialties).
const records: TrainingRecord[] = [
  ...Array.from({ length: 300 }, (_, i): TrainingRecord => ({ text: `k${i}`, source: 'ktas', urgency: i % 5 === 0 ? 'emergent' : 'routine' })),
  ...Array.from({ length: 60 }, (_, i): TrainingRecord => ({ text: `m${i}`, source: 'mtsamples', specialties: [i % 3 === 0 ? 'Urology' : 'Neurology'] })),
];

describe('stratifiedSample', () => {
  it('gives each source an equal share and keeps label proportions within a source', () => {
    const s = stratifiedSample(records, 40, 7);
    expect(s).toHaveLength(40);
    expect(new Set(s).size).toBe(40);
    expect(s).toEqual([...s].sort((a, b) => a - b));
    const ktas = s.filter((i) => records[i]!.source === 'ktas');
    expect(ktas).toHaveLength(20);
    expect(ktas.filter((i) => records[i]!.urgency === 'emergent')).toHaveLength(4);
    const mt = s.filter((i) => records[i]!.source === 'mtsamples');
    expect(mt.filter((i) => records[i]!.specialties![0] === 'Urology').length).toBeCloseTo(20 / 3, 0);
  });
  it('is seeded: the same seed gives the same sample, another seed another', () => {
    expect(stratifiedSample(records, 40, 7)).toEqual(stratifiedSample(records, 40, 7));
    expect(stratifiedSample(records, 40, 8)).not.toEqual(stratifiedSample(records, 40, 7));
  });
  it('gives a small source all it has and the rest to the others; all records when n covers them', () => {
    const s = stratifiedSample(records, 161, 1);
    expect(s.filter((i) => records[i]!.source === 'mtsamples')).toHaveLength(60);
    expect(s.filter((i) => records[i]!.source === 'ktas')).toHaveLength(101);
    expect(stratifiedSample(records, 999, 1)).toHaveLength(records.length);
    expect(() => stratifiedSample(records, 0, 1)).toThrow(/positive/);
  });
});
