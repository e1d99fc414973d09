import { referralFields } from '@triage/contracts';
import { binding, type Keyring } from '@triage/crypto';
import { getPages, insertFieldSet, type Db } from '@triage/db';
import { conflictingFields, extractFields, missingFields, type AcroField, type ClinicTable, type PageInput } from '@triage/fields';
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

const pageSource = (s: string): PageInput['source'] => (s === 'ocr' ? 'ocr' : s === 'text-layer' ? 'text-layer' : 'plain');

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
    const input: PageInput[] = pages
      .filter((p) => p.source !== 'needs-ocr')
      .map((p) => ({ pageNo: p.pageNo, text: p.text, source: pageSource(p.source), ...(p.layout ? { words: p.layout.words } : {}) }));
    const r = extract({ pages: input, acroform, clinics: deps.clinics });
    // The rules' output is checked against the contract before it is stored or routed on.
    const fields = referralFields.parse(r.fields);
    const found = Object.keys(fields);
    const missing = missingFields(fields, deps.required);
    const conflicts = conflictingFields(fields);
    return {
      outcome: { type: 'read', found, missing, conflicts },
      modelVersion: r.version,
      policyVersion: r.clinicsVersion,
      outputDigest: digestOf(fields),
      detail: { acroform: acroformStatus, acroformFields: acroform.length },
      commit: (tx) =>
        insertFieldSet(tx, { documentId: doc.id, run: ctx.run, fields, found, missing, conflicts, fieldsVersion: r.version, clinicsVersion: r.clinicsVersion }, deps.keyring),
    };
  };
}
