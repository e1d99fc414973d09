import type { TrainingRecord } from '@triage/classifier';
import { describe, expect, it } from 'vitest';
import { assignFolds, predictRecords } from './predictions.ts';

// Overlapping wording and a few contrary labels keep the models unsure, so different folds' models differ.
const records: TrainingRecord[] = Array.from({ length: 36 }, (_, i) => ({
  text: `Case ${i}. ${i % 2 ? 'Chest pain' : 'Rash'} ${i % 3 ? 'with some pain' : 'and a rash'}. Please see.`,
  urgency: (i % 2) ^ (i % 7 === 0 ? 1 : 0) ? 'emergent' : 'routine',
  specialties: [i % 2 ? 'Cardiology' : 'Dermatology'],
  source: i % 3 ? 'a' : 'b',
}));

describe('predictRecords with extra texts (a record\'s document renderings)', () => {
  it('classifies each extra text with the fold model that did not see its record', async () => {
    // The record's own text as its "rendering": it must get exactly the record's out-of-fold prediction …
    const same = records.map((r, of) => ({ of, text: r.text }));
    // … and another record's text, attributed to a record in another fold, that fold's model's prediction.
    const fold = assignFolds(records, 3, 42);
    const other = records.findIndex((_, j) => fold[j] !== fold[0]);
    const run = await predictRecords(records, { folds: 3, extraTexts: [...same, { of: other, text: records[0]!.text }] });
    expect(run.mode).toBe('cross-validated');
    expect(run.extraPredictions).toHaveLength(records.length + 1);
    records.forEach((_, i) => expect(run.extraPredictions[i]).toEqual(run.predictions[i]));
    const borrowed = run.extraPredictions[records.length]!;
    // Different models (different training folds): the probabilities are not identical.
    expect(borrowed.urgency.probabilities).not.toEqual(run.predictions[0]!.urgency.probabilities);
  });
  it('uses the shipped model for extra texts when not cross-validating', async () => {
    const run = await predictRecords(records.slice(0, 2), { extraTexts: [{ of: 1, text: records[0]!.text }] });
    expect(run.mode).toBe('shipped');
    expect(run.extraPredictions).toEqual([run.predictions[0]]);
  });
});
