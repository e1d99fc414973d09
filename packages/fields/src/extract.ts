import type { ReferralFields } from '@triage/contracts';
import { readAcroForm } from './acroform-reader.ts';
import { readBody } from './body-reader.ts';
import type { Candidate } from './candidate.ts';
import { samePhone } from './checks.ts';
import { buildDoc } from './doc.ts';
import { readLabels } from './label-reader.ts';
import { readBelow } from './layout-reader.ts';
import { readHeader, readSalutation, readSignature } from './letter-reader.ts';
import { resolve } from './resolve.ts';
import { layoutLines } from './sections.ts';
import { readTickBoxes } from './tick-boxes.ts';
import type { ExtractInput, ExtractResult } from './types.ts';

/** Any change to a rule, a label or a confidence bumps this: stored fields record which rules read them. */
export const FIELDS_VERSION = 'fields-1.1.0';

/** Reads a referral's fields from its pages and AcroForm, each with confidence, evidence and any conflict. */
export function extractFields(input: ExtractInput): ExtractResult {
  const doc = buildDoc(input);
  const infos = layoutLines(doc);
  const found: Candidate[] = [];
  const sink = (c: Candidate) => void found.push(c);
  const open = readLabels(doc, infos, sink);
  readBelow(doc, infos, open, sink);
  readTickBoxes(doc, sink);
  readHeader(doc, infos, sink);
  readSalutation(doc, sink);
  readSignature(doc, infos, sink);
  readBody(doc, infos, sink);
  // A filled form's printed page holds the labels of its fields and its owner's letterhead: for a field the form
  // has a place for, what the text layer seems to say ("urgent" beside a tick box, the owner's phone) is not a value.
  const covered = input.acroform?.length ? readAcroForm(doc, input.acroform, sink) : new Set<string>();
  const kept = covered.size ? found.filter((c) => c.source === 'acroform' || !covered.has(c.field)) : found;
  const fields = crossCheck(resolve(practiceNumbers(kept)), doc.today, input);
  return { fields, version: FIELDS_VERSION, clinicsVersion: input.clinics.version };
}

/** A number the practice gives as its own is not the patient's, whichever section it was printed in. */
function practiceNumbers(found: Candidate[]): Candidate[] {
  const practice = found.filter((c) => (c.field === 'referrerPhone' || c.field === 'referrerFax') && c.confidence >= 0.7);
  return found.filter((c) => c.field !== 'patientPhone' || !practice.some((p) => samePhone(p.value as string, c.value as string)));
}

/** A stated age must fit the birth date; a misfit means one of them is misread. */
function crossCheck(fields: ReferralFields, today: Date, input: ExtractInput): ReferralFields {
  const dob = fields.birthDate;
  if (dob) {
    const text = input.pages.map((p) => p.text).join('\n');
    // The patient's age as the letter states it ("this 66-year-old man", "Age: 66"), not a relative's.
    const m = /\b(?:a|an|this|the|is|patient,?)\s+(\d{1,3})[\s-]*(?:years?|yrs?)[\s-]*old\b|\b(\d{1,3})\s*(?:y\/o|yo|y\.o\.)\s+(?:m|f|male|female|man|woman)\b|\baged?\s*:?\s*(\d{1,3})\b/i.exec(text);
    const stated = m ? Number(m[1] ?? m[2] ?? m[3]) : NaN;
    if (Number.isFinite(stated)) {
      // Age on the day of the letter when it is dated, else today.
      const asOf = fields.referralDate ? new Date(`${fields.referralDate.value}T12:00:00Z`) : today;
      const [y, mo, d] = dob.value.split('-').map(Number) as [number, number, number];
      let age = asOf.getUTCFullYear() - y;
      if (asOf.getUTCMonth() + 1 < mo || (asOf.getUTCMonth() + 1 === mo && asOf.getUTCDate() < d)) age--;
      // Letters are read some time after they are written: a year's slack either way.
      if (Math.abs(age - stated) > 1) dob.confidence = Math.round(dob.confidence * 0.6 * 1000) / 1000;
    }
  }
  return fields;
}
