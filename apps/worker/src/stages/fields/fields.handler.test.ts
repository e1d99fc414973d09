// The fields stage through the runner on real Postgres: what it reads, that values are sealed, and its provenance.
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referralFields } from '@triage/contracts';
import { getStageRun, latestFieldSet, listAttempts, rowsOf, upsertPages } from '@triage/db';
import { FIELDS_VERSION } from '@triage/fields';
import { loadPolicy } from '@triage/routing';
import { createStageEnv, insertTestDocument, testKeyring, type StageEnv } from '@triage/testkit';
import { runStage, type RunnerDeps } from '../../runner.ts';
import { checkedFields, createFieldsHandler } from './fields.handler.ts';

const LETTER = `Dear Cardiology colleagues,
Re: Mr Orrin Vantablack, DOB 04/05/1958, MRN 4455123
I would be grateful if you could see this 66-year-old man with a three-week history of exertional chest
tightness radiating to the left arm. ECG today shows ST depression in V4-V6. Please see urgently.
Dr A. Patel, Riverside Family Practice, NPI 1234567893, fax 555-201-3344`;

let env: StageEnv;
let deps: RunnerDeps;
const keyring = testKeyring();
const policy = loadPolicy(new URL('../../../../../policy/routing-policy.json', import.meta.url).pathname);

beforeAll(async () => {
  env = await createStageEnv();
  deps = { db: env.tdb.db, queues: env.queues, log: pino({ level: 'silent' }), workerId: 'test', codeVersion: 'test' };
});
afterAll(() => env.close());

const handler = (required: string[] = ['patientName', 'birthDate', 'insuranceMemberId']) =>
  createFieldsHandler({
    db: env.tdb.db,
    keyring,
    blobs: { get: async () => Buffer.alloc(0) } as never, // text documents never read the original here
    clinics: policy.clinics,
    required,
    readAcroForm: async () => [],
  });

describe('fields stage', () => {
  it('reads the letter, records what is missing, and seals every value', async () => {
    const doc = await insertTestDocument(env.tdb.db);
    await upsertPages(env.tdb.db, [{ documentId: doc.id, pageNo: 1, source: 'plain', text: LETTER }], keyring);
    const job = { id: `${doc.id}|fields|1`, data: { documentId: doc.id, run: 1 }, attemptsMade: 0, opts: { attempts: 3 } };
    const r = await runStage('fields', handler(), job, deps);
    expect(r.status).toBe('succeeded');
    expect(await getStageRun(env.tdb.db, doc.id, 'fields', 1)).toBeDefined();

    const set = await latestFieldSet(env.tdb.db, doc.id, keyring);
    const fields = referralFields.parse(set!.fields);
    expect(fields.patientName?.value).toBe('Orrin Vantablack');
    expect(fields.birthDate?.value).toBe('1958-04-05');
    expect(fields.referredTo?.value).toMatchObject({ specialty: 'Cardiovascular / Pulmonary' });
    expect(fields.statedPriority?.value).toBe('urgent');
    expect(fields.referrerNpi?.value).toBe('1234567893');
    const e = fields.patientName!.evidence[0]!;
    expect(LETTER.slice(e.start, e.end)).toContain('Orrin Vantablack');
    // Required but absent: a letter like this carries no insurance member id.
    expect(set!.missing).toEqual(['insuranceMemberId']);
    expect(set!.found).toEqual(expect.arrayContaining(['patientName', 'birthDate', 'referredTo']));

    // The version of the rules is in the provenance, like a model's.
    const attempt = (await listAttempts(env.tdb.db, doc.id)).find((a) => a.stage === 'fields' && a.outcome === 'succeeded');
    expect(attempt).toMatchObject({ modelVersion: FIELDS_VERSION, policyVersion: policy.clinics.version });
    // Names only in the clear: the stored row, the outcome and the attempt never carry a value.
    const raw = rowsOf<Record<string, unknown>>(await env.tdb.db.execute(sql`select * from referral_fields where document_id = ${doc.id}`));
    const dump = JSON.stringify([raw, attempt]);
    for (const phi of ['Vantablack', '1958', '4455123', '1234567893']) expect(dump).not.toContain(phi);
  });

  it('a document with nothing to read stores an empty set and names every required field missing', async () => {
    const doc = await insertTestDocument(env.tdb.db);
    await upsertPages(env.tdb.db, [{ documentId: doc.id, pageNo: 1, source: 'plain', text: 'Knee pain for two years. X-ray shows arthritis.' }], keyring);
    const job = { id: `${doc.id}|fields|1`, data: { documentId: doc.id, run: 1 }, attemptsMade: 0, opts: { attempts: 3 } };
    expect((await runStage('fields', handler(['patientName', 'birthDate']), job, deps)).status).toBe('succeeded');
    const set = await latestFieldSet(env.tdb.db, doc.id, keyring);
    expect(set!.missing).toEqual(['patientName', 'birthDate']);
    expect(referralFields.parse(set!.fields).patientName).toBeUndefined();
  });
});

describe('fields stage when the reader fails', () => {
  it('goes on with nothing read (every required field missing) and names the error in the provenance', async () => {
    const doc = await insertTestDocument(env.tdb.db);
    await upsertPages(env.tdb.db, [{ documentId: doc.id, pageNo: 1, source: 'plain', text: LETTER }], keyring);
    const failing = createFieldsHandler({
      db: env.tdb.db,
      keyring,
      blobs: { get: async () => Buffer.alloc(0) } as never,
      clinics: policy.clinics,
      required: ['patientName'],
      readAcroForm: async () => [],
      extract: () => {
        throw new TypeError(`cannot read ${LETTER.slice(0, 40)}`);
      },
    });
    const job = { id: `${doc.id}|fields|1`, data: { documentId: doc.id, run: 1 }, attemptsMade: 0, opts: { attempts: 3 } };
    expect((await runStage('fields', failing, job, deps)).status).toBe('succeeded');
    expect((await latestFieldSet(env.tdb.db, doc.id, keyring))!.missing).toEqual(['patientName']);
    const attempt = (await listAttempts(env.tdb.db, doc.id)).find((a) => a.outcome === 'succeeded');
    expect(attempt?.detail).toMatchObject({ readerError: 'TypeError' });
    expect(JSON.stringify(attempt)).not.toContain('Vantablack');
  });
});

describe('checkedFields', () => {
  it('keeps values in shape and drops the rest by name', () => {
    const ok = { value: 'Orrin Vantablack', confidence: 0.9, evidence: [{ page: 1, start: 0, end: 16 }], source: 'text' };
    const r = checkedFields({ patientName: ok, patientAddress: { ...ok, value: 'x'.repeat(5000) }, birthDate: { ...ok, value: '04/05/1958' }, nickname: ok });
    expect(r.fields).toEqual({ patientName: ok });
    expect(r.dropped.sort()).toEqual(['birthDate', 'nickname', 'patientAddress']);
  });
});
