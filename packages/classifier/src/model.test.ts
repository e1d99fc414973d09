import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { URGENCIES } from './dataset.ts';
import { DEFAULT_MODEL_PATH, loadModel } from './model.ts';

const LETTER = `Dear Dr Patel,
Re: 67-year-old man. URGENT referral. He presented with crushing central chest pain radiating to the left arm,
with shortness of breath and sweating. ECG showed ST depression; troponin was raised. BP 92/60, HR 118, SpO2 91%.
Past history of hypertension and atrial fibrillation on warfarin. Echocardiogram requested.
Many thanks.`;

const normalise = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}%/.]+/gu, ' ').trim();

describe('shipped model artifact', () => {
  it('exists at the default path', () => {
    expect(existsSync(DEFAULT_MODEL_PATH)).toBe(true);
  });

  const model = loadModel();

  it('loads once and reports its version', () => {
    expect(loadModel()).toBe(model);
    expect(model.version).toMatch(/^triage-lr-[0-9a-f]{8}$/);
    expect(model.specialties.length).toBeGreaterThanOrEqual(30);
  });

  it('predicts labels from its label sets with probabilities that sum to 1', () => {
    for (const text of [LETTER, 'Routine review of chronic eczema on both hands.', '']) {
      const p = model.predict(text);
      expect(URGENCIES).toContain(p.urgency.label);
      expect(model.specialties).toContain(p.specialty.label);
      expect(p.modelVersion).toBe(model.version);
      for (const head of [p.urgency, p.specialty]) {
        const values = Object.values(head.probabilities) as number[];
        expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
        expect(head.confidence).toBe(Math.max(...values));
        expect(head.probabilities[head.label as keyof typeof head.probabilities]).toBe(head.confidence);
      }
      expect(Object.keys(p.urgency.probabilities).sort()).toEqual([...URGENCIES].sort());
      expect(Object.keys(p.specialty.probabilities)).toEqual([...model.specialties]);
    }
  });

  it('gives evidence whose offsets slice the text back to the term', () => {
    const p = model.predict(LETTER);
    expect(p.evidence.length).toBeGreaterThan(0);
    expect(new Set(p.evidence.map((e) => e.head))).toEqual(new Set(['urgency', 'specialty']));
    for (const e of p.evidence) {
      expect(e.end).toBeGreaterThan(e.start);
      expect(normalise(LETTER.slice(e.start, e.end))).toBe(normalise(e.term));
      expect(e.weight).toBeGreaterThan(0);
    }
  });

  it('reads a cardiology letter as cardiology and not routine', () => {
    const p = model.predict(LETTER);
    expect(p.specialty.label).toBe('Cardiovascular / Pulmonary');
    expect(p.urgency.label).not.toBe('routine');
  });
});
