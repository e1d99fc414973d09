import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { getDocument, insertClassification, insertDocument, listOutboxForReferral, getReferralByDocument, schema } from '@triage/db';
import { eq } from 'drizzle-orm';
import { parsePolicy } from '@triage/routing';
import { createStageEnv, startTestSmtp, testKeyring, type StageEnv, type TestDb, type TestSmtp } from '@triage/testkit';
import { runStage, type RunnerDeps } from '../../runner.ts';
import { createPersistHandler } from '../persist/persist.handler.ts';
import { createNotifyHandler } from './notify.handler.ts';
import { createSmtpMailer, type Mailer } from './mailer.ts';

const policy = parsePolicy({
  version: 'p-test',
  thresholds: { urgency: 0.6, specialty: 0.6, emergentReview: 0.2 },
  teams: { Urology: { team: 'Urology', email: 'uro@example.org' } },
});

let env: StageEnv;
let tdb: TestDb;
let smtp: TestSmtp;
let mailer: Mailer;
let deps: RunnerDeps;
const keyring = testKeyring();

beforeAll(async () => {
  env = await createStageEnv();
  tdb = env.tdb;
  smtp = await startTestSmtp();
  mailer = createSmtpMailer(smtp.url);
  deps = { db: tdb.db, queues: env.queues, log: pino({ level: 'silent' }), workerId: 'test', codeVersion: 'test' };
});
afterAll(async () => {
  mailer.close();
  await smtp.close();
  await env.close();
});

let n = 0;
async function classifiedDoc(urgencyConfidence: number, specialtyConfidence: number) {
  n++;
  const { row } = await insertDocument(tdb.db, {
    source: 'test', sha256: `${n}`.padStart(64, 'a'), kind: 'text', byteSize: 1,
    storageKey: `sha256/${'0'.repeat(64)}`, externalId: null, idempotencyKey: null, createdBy: null,
  });
  await insertClassification(tdb.db, {
    documentId: row.id, run: 1, urgency: 'urgent', urgencyConfidence, specialty: 'Urology', specialtyConfidence,
    probabilities: { urgency: { urgent: urgencyConfidence, routine: 1 - urgencyConfidence, emergent: 0 }, specialty: {} },
    evidence: [], modelVersion: 'm-test',
  });
  return row;
}

const job = (stage: string, id: string, attemptsMade = 0) => ({ id: `${id}|${stage}|1`, data: { documentId: id, run: 1 }, attemptsMade, opts: { attempts: 5 } });

describe('persist + notify', () => {
  it('routes a confident case and sends exactly one email, whatever the retries', async () => {
    const doc = await classifiedDoc(0.9, 0.9);
    const persist = createPersistHandler({ db: tdb.db, policy, redFlags: null, ocrMinConfidence: 50, keyring });
    const notify = createNotifyHandler({ db: tdb.db, mailer, from: 'triage@example.org', publicUrl: 'http://triage.test' });
    expect((await runStage('persist', persist, job('persist', doc.id), deps)).status).toBe('succeeded');
    const referral = await getReferralByDocument(tdb.db, doc.id);
    expect(referral).toMatchObject({ decision: 'auto', team: 'Urology', policyVersion: 'p-test', modelVersion: 'm-test' });
    await runStage('notify', notify, job('notify', doc.id), deps);
    await runStage('notify', notify, job('notify', doc.id), deps);
    // A fresh execution of both stages (as after a lost job) still sends nothing new.
    await tdb.db.delete(schema.stageRuns).where(eq(schema.stageRuns.documentId, doc.id));
    await runStage('persist', persist, job('persist', doc.id), deps);
    await runStage('notify', notify, job('notify', doc.id), deps);
    const [row] = await listOutboxForReferral(tdb.db, referral!.id);
    const mails = smtp.messages.filter((m) => m.messageId === `<${row!.id}@referral-triage>`);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.raw.replace(/=\r?\n/g, '')).toContain(referral!.id);
    expect(mails[0]?.to).toEqual(['uro@example.org']);
    expect(mails[0]?.subject).toContain('URGENT');
    expect((await listOutboxForReferral(tdb.db, referral!.id))[0]).toMatchObject({ status: 'sent' });
    expect((await getDocument(tdb.db, doc.id))?.status).toBe('routed');
  });

  it('sends an unsure case to review instead of mail', async () => {
    const doc = await classifiedDoc(0.9, 0.3);
    const persist = createPersistHandler({ db: tdb.db, policy, redFlags: null, ocrMinConfidence: 50, keyring });
    await runStage('persist', persist, job('persist', doc.id), deps);
    expect(await getDocument(tdb.db, doc.id)).toMatchObject({ status: 'needs_review' });
    const tasks = await tdb.db.select().from(schema.reviewTasks).where(eq(schema.reviewTasks.documentId, doc.id));
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.reasons).toEqual(['low_specialty_confidence']);
  });

  it('backs off while SMTP refuses and delivers once it is back', async () => {
    const doc = await classifiedDoc(0.95, 0.95);
    const persist = createPersistHandler({ db: tdb.db, policy, redFlags: null, ocrMinConfidence: 50, keyring });
    const notify = createNotifyHandler({ db: tdb.db, mailer: createSmtpMailer(smtp.url), from: 'triage@example.org', publicUrl: 'http://t', retryDelayMs: 0 });
    await runStage('persist', persist, job('persist', doc.id), deps);
    smtp.refuse = true;
    await expect(runStage('notify', notify, job('notify', doc.id, 0), deps)).rejects.toThrow(/smtp unavailable/);
    const referral = await getReferralByDocument(tdb.db, doc.id);
    expect((await listOutboxForReferral(tdb.db, referral!.id))[0]).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await getDocument(tdb.db, doc.id))?.status).toBe('processing');
    smtp.refuse = false;
    expect((await runStage('notify', notify, job('notify', doc.id, 1), deps)).status).toBe('succeeded');
    const [row] = await listOutboxForReferral(tdb.db, referral!.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp.messages.filter((m) => m.messageId === `<${row!.id}@referral-triage>`)).toHaveLength(1);
  });
});
