import { joinPageTexts, storedFields } from '@triage/contracts';
import type { Classifier } from '@triage/classifier';
import type { Keyring } from '@triage/crypto';
import { getPages, insertClassification, latestFieldSet, type Db } from '@triage/db';
import { maskStatements } from '@triage/routing';
import { PermanentError } from '../../errors.ts';
import type { StageHandler } from '../../stage-handler.ts';
import { digestOf } from '../digest.ts';

export type ClassifyDeps = { db: Db; model: Classifier; keyring: Keyring };

export function createClassifyHandler(deps: ClassifyDeps): StageHandler<'classify'> {
  return async (ctx, doc) => {
    const [pages, fieldSet] = await Promise.all([getPages(deps.db, doc.id, deps.keyring), latestFieldSet(deps.db, doc.id, deps.keyring)]);
    const text = joinPageTexts(pages.map((p) => p.text));
    if (text.replace(/\s/g, '').length < 3) throw new PermanentError('no_text', 'no readable text on any page');
    // The model reads the content without the referrer's clinic and priority words: routing weighs those itself.
    const p = await deps.model.predict(joinPageTexts(maskStatements(pages, storedFields(fieldSet?.fields))));
    const probabilities = { urgency: p.urgency.probabilities, specialty: p.specialty.probabilities };
    return {
      outcome: { type: 'classified', urgency: p.urgency.label, specialty: p.specialty.label },
      modelVersion: p.modelVersion,
      outputDigest: digestOf([p.urgency.label, p.specialty.label, p.modelVersion]),
      detail: { urgencyConfidence: p.urgency.confidence, specialtyConfidence: p.specialty.confidence },
      commit: (tx) =>
        insertClassification(tx, {
          documentId: doc.id,
          run: ctx.run,
          urgency: p.urgency.label,
          urgencyConfidence: p.urgency.confidence,
          specialty: p.specialty.label,
          specialtyConfidence: p.specialty.confidence,
          probabilities,
          // Offsets, not words: a term can be a patient's name; readers slice it from the sealed text.
          evidence: p.evidence.map(({ head, start, end, weight }) => ({ head, start, end, weight })),
          modelVersion: p.modelVersion,
        }),
    };
  };
}
