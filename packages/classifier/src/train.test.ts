import { describe, expect, it } from 'vitest';
import type { TrainingRecord, Urgency } from './dataset.ts';
import { modelFromArtifact, parseArtifact } from './model.ts';
import { createRng, type Rng } from './prng.ts';
import { parseTrainArgs } from './train.cli.ts';
import { trainModel } from './train.ts';

// Synthetic referrals: each specialty and urgency level has its own words, drowned in shared filler.
const SPECIALTY_WORDS: Record<string, string[]> = {
  Cardiology: ['murmur', 'palpitations', 'angina', 'echocardiogram', 'atrial', 'fibrillation', 'troponin'],
  Dermatology: ['rash', 'eczema', 'mole', 'pruritus', 'psoriasis', 'lesion', 'biopsy'],
  Urology: ['prostate', 'hematuria', 'catheter', 'bladder', 'urinary', 'retention', 'psa'],
};
const URGENCY_WORDS: Record<Urgency, string[]> = {
  emergent: ['collapsed', 'unresponsive', 'haemorrhage', 'crushing'],
  urgent: ['worsening', 'persistent', 'escalating', 'progressive'],
  routine: ['stable', 'longstanding', 'mild', 'chronic'],
};
const FILLER = 'patient seen today with history of the problem please review and advise thanks referral clinic'.split(' ');

const pick = (xs: string[], rng: Rng) => xs[Math.floor(rng() * xs.length)]!;

function synthetic(n: number, seed: number): TrainingRecord[] {
  const rng = createRng(seed);
  const specialties = Object.keys(SPECIALTY_WORDS);
  const urgencies = Object.keys(URGENCY_WORDS) as Urgency[];
  return Array.from({ length: n }, (_, i) => {
    const specialty = specialties[i % 3]!;
    const urgency = urgencies[Math.floor(rng() * 3)]!;
    const words = [
      ...Array.from({ length: 12 }, () => pick(FILLER, rng)),
      ...Array.from({ length: 3 }, () => pick(SPECIALTY_WORDS[specialty]!, rng)),
      ...Array.from({ length: 2 }, () => pick(URGENCY_WORDS[urgency], rng)),
    ];
    const text = words.sort(() => rng() - 0.5).join(' ');
    return { text, urgency, specialties: [specialty], source: 'synthetic' };
  });
}

describe('trainModel', () => {
  const train = synthetic(180, 1);
  const artifact = trainModel(train, { seed: 3, folds: 3 });

  it('learns a separable synthetic task (held-out accuracy >= 0.9 on both heads)', () => {
    const model = modelFromArtifact(artifact);
    const test = synthetic(90, 2);
    const specialtyHits = test.filter((r) => r.specialties!.includes(model.predict(r.text).specialty.label)).length;
    const urgencyHits = test.filter((r) => model.predict(r.text).urgency.label === r.urgency).length;
    expect(specialtyHits / test.length).toBeGreaterThanOrEqual(0.9);
    expect(urgencyHits / test.length).toBeGreaterThanOrEqual(0.9);
    expect(artifact.metrics['specialty.top1Accuracy']).toBeGreaterThan(0.8);
  });

  it('records the compared settings and which one was kept', () => {
    for (const head of [artifact.heads.urgency, artifact.heads.specialty]) {
      expect(head.comparison.length).toBeGreaterThanOrEqual(2);
      expect(head.comparison.map((c) => c.setting.name)).toContain(head.setting.name);
    }
    expect(artifact.heads.specialty.labels).toEqual(['Cardiology', 'Dermatology', 'Urology']);
  });

  it('is deterministic: same data and seed give an identical artifact; other data changes the version', () => {
    const again = trainModel(train, { seed: 3, folds: 3 });
    expect(again.version).toBe(artifact.version);
    expect(JSON.stringify(again)).toBe(JSON.stringify(artifact));
    expect(artifact.version).toMatch(/^triage-lr-[0-9a-f]{8}$/);
    const changed = trainModel(synthetic(180, 5), { seed: 3, folds: 3 });
    expect(changed.version).not.toBe(artifact.version);
    expect(changed.createdFrom.sha256).not.toBe(artifact.createdFrom.sha256);
  });

  it('trains each head only on records that carry its label', () => {
    const mixed: TrainingRecord[] = train.map((r, i) =>
      i % 2 ? { text: r.text, urgency: r.urgency! } : { text: r.text, specialties: r.specialties! },
    );
    const a = trainModel(mixed, { seed: 3, folds: 3 });
    expect(a.heads.urgency.metrics.records).toBe(90);
    expect(a.heads.specialty.metrics.records).toBe(90);
    expect(() => trainModel(mixed.filter((r) => r.urgency))).toThrow(/specialties/);
  });
});

describe('train CLI arguments', () => {
  it('parses --data <file...> --out <path> [--seed N]', () => {
    expect(parseTrainArgs(['--data', 'a.jsonl', 'b.jsonl.gz', '--out', 'm.json', '--seed', '7'])).toEqual({
      data: ['a.jsonl', 'b.jsonl.gz'],
      out: 'm.json',
      seed: 7,
    });
    expect(() => parseTrainArgs(['--out', 'm.json'])).toThrow(/--data/);
    expect(() => parseTrainArgs(['--data', 'a', '--out', 'm', '--seed', 'x'])).toThrow(/--seed/);
  });
});

describe('stacked boosted-trees urgency head', () => {
  // Urgency here is carried only by the heart rate, two-sided: a linear text model cannot see it.
  const rng = createRng(11);
  const records: TrainingRecord[] = Array.from({ length: 150 }, (_, i) => {
    const hr = Math.round(40 + rng() * 120);
    const urgency: Urgency = hr > 130 || hr < 50 ? 'emergent' : hr > 110 ? 'urgent' : 'routine';
    const specialty = i % 2 ? 'Cardiology' : 'Urology';
    return { text: `patient seen ${specialty === 'Cardiology' ? 'murmur angina' : 'prostate bladder'} HR ${hr} please review`, urgency, specialties: [specialty] };
  });
  const lr = { name: 'words', features: { word: { minDf: 1, maxFeatures: 100, bigrams: false } }, lambda: 1e-3, target: 'soft', maxIter: 50 } as const;
  const stacked = { kind: 'stacked-gbt', name: 'gbt', base: lr, innerFolds: 3, innerSeed: 1, trees: { rounds: 40, depth: 2, learningRate: 0.2, l2: 1, minLeaf: 5 } } as const;
  const artifact = trainModel(records, { seed: 2, folds: 3, candidates: { urgency: [lr, stacked], specialty: [lr] } });

  it('is compared with the linear head by CV, kept when better, and round-trips through the artifact', () => {
    expect(artifact.heads.urgency.comparison.map((c) => c.setting.name)).toEqual(['words', 'gbt']);
    const [linear, trees] = artifact.heads.urgency.comparison.map((c) => c.metrics.macroF1!);
    expect(trees!).toBeGreaterThan(linear!);
    expect(artifact.heads.urgency.setting.name).toBe('gbt');
    expect(artifact.heads.urgency.booster?.trees.length).toBe(40 * 3);
    expect(artifact.version).toMatch(/^triage-stk-[0-9a-f]{8}$/);
    const model = modelFromArtifact(parseArtifact(JSON.stringify(artifact)));
    const p = model.predict('patient seen murmur angina HR 145 please review');
    expect(p.urgency.label).toBe('emergent');
    expect(model.predict('patient seen murmur angina HR 80 please review').urgency.label).toBe('routine');
    // The heart rate is what decided it, and the evidence points at it.
    const hr = p.evidence.find((e) => e.head === 'urgency' && e.term === 'HR 145');
    expect(hr).toBeDefined();
    expect(hr!.weight).toBeGreaterThan(0);
  });
});
