import type { z } from 'zod';
import { referralFields, storedFields, type ReferralFields } from '@triage/contracts';
import { binding, openText, type Keyring } from '@triage/crypto';
import { getPages, insertFieldSet, type Db } from '@triage/db';
import { conflictingFields, extractFields, FIELDS_VERSION, missingFields, type AcroField, type ClinicTable, type PageInput } from '@triage/fields';
import type { SealedBlobStore } from '@triage/storage';
import type { StageHandler } from '../../stage-handler.ts';
import { digestOf } from '../digest.ts';

export type FieldsDeps = {
  db: Db;
  keyring: Keyring;
  blobs: SealedBlobStore;
  clinics: ClinicTable;
  /** Fields every referral must carry (the policy's `requiredFields.all`); per-team ones are checked at persist. */
  required: readonly string[];
  /** Reads a PDF's form fields in the isolated parser; their values are usually not in the text layer. */
  readAcroForm: (pdf: Buffer) => Promise<AcroField[]>;
  extract?: typeof extractFields;
};

/**
 * What the reader looks at: a referral's fields are on its first pages, near the top. Capping the input keeps the
 * stage's time bounded on a document that yields megabytes of text (prefixes, so evidence offsets stay valid).
 */
export const FIELDS_MAX_PAGES = 30;
export const FIELDS_MAX_PAGE_CHARS = 20_000;
/** All pages together: the rules run on the event loop at about 2-3 ms per 1000 characters. */
export const FIELDS_MAX_CHARS = 40_000;

const pageSource = (s: string): PageInput['source'] => (s === 'ocr' ? 'ocr' : s === 'text-layer' ? 'text-layer' : 'plain');

/**
 * The rules' output, held to the contract field by field before it is stored or routed on: a value out of shape
 * (say, a 5000-character "address" from a page with no line breaks) is dropped by name, not allowed to fail the
 * referral on every retry.
 */
export function checkedFields(raw: unknown): { fields: ReferralFields; dropped: string[] } {
  const fields: Record<string, unknown> = {};
  const dropped: string[] = [];
  const shape = referralFields.shape as Record<string, z.ZodType>;
  for (const [name, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    if (shape[name]?.safeParse(value).success) fields[name] = value;
    else dropped.push(name);
  }
  return { fields: referralFields.parse(fields), dropped };
}

/** Reads the scheduler's data (patient, referrer, clinic, priority, reason) from the text, the form and the layout. */
export function createFieldsHandler(deps: FieldsDeps): StageHandler<'fields'> {
  const extract = deps.extract ?? extractFields;
  return async (ctx, doc) => {
    const pages = await getPages(deps.db, doc.id, deps.keyring);
    let acroform: AcroField[] = [];
    let acroformStatus = 'none';
    if (doc.kind === 'pdf') {
      try {
        acroform = await deps.readAcroForm(await deps.blobs.get(doc.storageKey, binding.original(doc.id)));
        acroformStatus = acroform.length ? 'read' : 'none';
      } catch (e) {
        // The text was readable (extract passed); a form dictionary that is not costs the form, not the referral.
        acroformStatus = 'unreadable';
        ctx.log.warn({ err: { name: (e as Error).name } }, 'acroform unreadable; reading the text only');
      }
    }
    let budget = FIELDS_MAX_CHARS;
    const input: PageInput[] = [];
    for (const p of pages.filter((p) => p.source !== 'needs-ocr').slice(0, FIELDS_MAX_PAGES)) {
      if (budget <= 0) break;
      const text = p.text.slice(0, Math.min(FIELDS_MAX_PAGE_CHARS, budget));
      budget -= text.length;
      const words = p.layout?.words.filter((w) => w.end <= text.length);
      input.push({ pageNo: p.pageNo, text, source: pageSource(p.source), ...(words ? { words } : {}), ...(words && p.layout ? { width: p.layout.imageWidth } : {}) });
    }
    let r: ReturnType<typeof extract>;
    let readerError: string | undefined;
    try {
      r = extract({ pages: input, acroform, clinics: deps.clinics });
    } catch (e) {
      // A reader bug on one odd document must not fail the referral: it goes on with nothing read, so every
      // required field is missing and a person sees it; the error's name is in the provenance for a fix.
      readerError = (e as Error).name;
      ctx.log.error({ err: { name: readerError } }, 'fields reader failed; continuing with no fields');
      r = { fields: {}, version: FIELDS_VERSION, clinicsVersion: deps.clinics.version };
    }
    const read = checkedFields(r.fields);
    const dropped = read.dropped;
    // A structured message's own fields (HL7 PID/PRD, FHIR ServiceRequest) outrank what the reader found in its text.
    const given = doc.intakeFields ? storedFields(JSON.parse(openText(deps.keyring, doc.intakeFields, binding.intakeFields(doc.id)))) : {};
    const fields: ReferralFields = { ...read.fields, ...given };
    const found = Object.keys(fields);
    const missing = missingFields(fields, deps.required);
    const conflicts = conflictingFields(fields);
    return {
      outcome: { type: 'read', found, missing, conflicts },
      modelVersion: r.version,
      policyVersion: r.clinicsVersion,
      outputDigest: digestOf(fields),
      detail: { acroform: acroformStatus, acroformFields: acroform.length, ...(doc.intakeFields ? { given: Object.keys(given) } : {}), ...(dropped.length ? { dropped } : {}), ...(readerError ? { readerError } : {}) },
      commit: (tx) =>
        insertFieldSet(tx, { documentId: doc.id, run: ctx.run, fields, found, missing, conflicts, fieldsVersion: r.version, clinicsVersion: r.clinicsVersion }, deps.keyring),
    };
  };
}
