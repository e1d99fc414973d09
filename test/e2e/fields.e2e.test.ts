// Reading referrals end to end: missing information waits on the referrer with its SLA clock stopped, the request
// letter lists exactly what is missing, AcroForm values are read from the form itself, corrections are validated.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { schema } from '@triage/db';
import { extractPages, makeAcroFormPdf } from '@triage/documents';
import { waitFor } from '@triage/testkit';
import { policyWith, startSystem, type System } from './system.ts';

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));
// Auto-route anything readable: only missing information should send these letters to a person.
const policy = { ...policyWith({ urgency: 0, specialty: 0, emergentReview: 1 }, basePolicy), requiredFields: { all: ['patientName', 'birthDate'], teams: {} } };

const NO_DOB = `Dear Orthopaedics team,
Re: Mrs Wilhelmina Osterhagen
This 61-year-old woman has had right hip pain for eighteen months, worse on walking. X-ray shows
moderate osteoarthritis. She has had physiotherapy without benefit. Please assess for hip replacement.
Dr B. Farrow, Lakeside Medical Group, fax 555-301-7788`;

let sys: System;
let intake: string;
let reviewer: string;

beforeAll(async () => {
  sys = await startSystem({ policy });
  [intake, reviewer] = await Promise.all([sys.token('intake'), sys.token('reviewer', 'rhea')]);
}, 120_000);
afterAll(async () => sys?.stop());

const call = async (path: string, token: string, init: RequestInit = {}) => {
  const res = await fetch(`${sys.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, type, body: type.includes('json') ? ((await res.json()) as any) : Buffer.from(await res.arrayBuffer()) };
};
const post = (path: string, token: string, body: unknown = {}) =>
  call(path, token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
async function uploadAndSettle(body: Buffer | string, contentType: string) {
  const r = await call('/v1/documents', intake, { method: 'POST', headers: { 'content-type': contentType }, body });
  expect(r.status).toBe(202);
  return waitFor(
    async () => {
      const d = await call(`/v1/documents/${r.body.id}`, reviewer);
      return ['routed', 'needs_review', 'failed'].includes(d.body.status) ? d.body : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250, what: 'the referral to settle' },
  );
}
const taskOf = async (documentId: string) => {
  const [t] = await sys.rt.dbh.db.select().from(schema.reviewTasks).where(eq(schema.reviewTasks.documentId, documentId));
  return t!;
};

describe('fields end to end', () => {
  it('a referral without a date of birth waits on the referrer, its SLA stopped, with a request letter', async () => {
    const doc = await uploadAndSettle(NO_DOB, 'text/plain');
    expect(doc.status).toBe('needs_review');
    expect(doc.missing).toEqual(['birthDate']);
    expect(doc.triage.reasons).toContain('missing_information:birthDate');
    expect(doc.fields.patientName.value).toBe('Wilhelmina Osterhagen');
    expect(doc.fields.referredTo.value).toMatchObject({ specialty: 'Orthopedic' });
    const task = await taskOf(doc.id);
    expect(task).toMatchObject({ status: 'information_requested', slaPausedAt: expect.any(Date) });

    // Waiting on the referrer is its own queue, and never overdue while it waits.
    const waiting = await call('/v1/review/tasks?status=information_requested', reviewer);
    const listed = waiting.body.tasks.find((t: { id: string }) => t.id === task.id);
    expect(listed).toMatchObject({ status: 'information_requested', overdue: false });
    expect((await call('/v1/review/tasks?status=open', reviewer)).body.tasks.some((t: { id: string }) => t.id === task.id)).toBe(false);

    // The letter names the patient, goes to the referrer's fax, and asks for exactly the date of birth.
    const letter = await call(`/v1/documents/${doc.id}/information-request.pdf`, reviewer);
    expect(letter.status).toBe(200);
    expect(letter.type).toBe('application/pdf');
    const [page] = await extractPages(letter.body as Buffer, 'pdf', { maxPages: 5, minTextChars: 10, timeoutMs: 20_000, maxMemoryMb: 256, maxPagePixels: 60_000_000, maxDocumentPixels: 400_000_000, renderDpi: 100, maxTextChars: 100_000 });
    expect(page!.text).toMatch(/REQUEST FOR INFORMATION/);
    expect(page!.text).toMatch(/555-301-7788/);
    expect(page!.text).toMatch(/Wilhelmina Osterhagen/);
    expect(page!.text).toMatch(/date of birth - missing/);
    expect(page!.text).not.toMatch(/Insurance|NPI - missing/);
    expect((await call(`/v1/documents/${doc.id}/information-request.pdf`, intake)).status).toBe(403);

    // The answer comes back: the clock restarts where it stopped, so the task is due later by the wait.
    expect((await post(`/v1/review/tasks/${task.id}/claim`, reviewer)).status).toBe(200);
    const before = listed.dueAt as string;
    const received = await post(`/v1/review/tasks/${task.id}/information-received`, reviewer);
    expect(received.body).toMatchObject({ status: 'open' });
    expect(Number(received.body.slaPausedMs)).toBeGreaterThan(0);
    const reopened = (await call(`/v1/review/tasks/${task.id}`, reviewer)).body;
    expect(new Date(reopened.task.dueAt).getTime()).toBeGreaterThanOrEqual(new Date(before).getTime());
    expect(reopened.missing).toEqual(['birthDate']);

    // The reviewer adds the date the referrer gave; a value of the wrong shape is refused with the reason.
    const bad = await post(`/v1/review/tasks/${task.id}/fields`, reviewer, { field: 'birthDate', value: '3rd of May' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/birthDate/);
    expect((await post(`/v1/review/tasks/${task.id}/fields`, reviewer, { field: 'nickname', value: 'x' })).status).toBe(400);
    const fixed = await post(`/v1/review/tasks/${task.id}/fields`, reviewer, { field: 'birthDate', value: '1964-09-30' });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ missing: [], fields: { birthDate: { value: '1964-09-30', source: 'reviewer', confidence: 1 } } });
    const audit = await sys.rt.dbh.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, 'field_corrected'));
    expect(audit.map((a) => a.detail)).toEqual([expect.objectContaining({ taskId: task.id, field: 'birthDate', cleared: false })]);
    expect(JSON.stringify(audit)).not.toContain('1964');
  });

  it('reads an AcroForm’s values from the form fields, not the text layer', async () => {
    const pdf = await makeAcroFormPdf([
      { name: 'Patient Name', kind: 'text', label: 'Patient name', value: 'Tobiah Quenneville' },
      { name: 'patient_dob', kind: 'text', label: 'Date of birth', value: '07/22/1949' },
      { name: 'Referring Physician', kind: 'text', label: 'Referring physician', value: 'Dr C. Nakashima' },
      { name: 'Reason for referral', kind: 'text', label: 'Reason', value: 'Recurrent kidney stones with flank pain and haematuria.' },
      { name: 'chkUrgent', kind: 'checkbox', label: 'Urgent', value: true },
      { name: 'chkRoutine', kind: 'checkbox', label: 'Routine', value: false },
    ]);
    const doc = await uploadAndSettle(pdf, 'application/pdf');
    expect(doc.status).not.toBe('failed');
    expect(doc.fields.patientName).toMatchObject({ value: 'Tobiah Quenneville', source: 'acroform' });
    expect(doc.fields.birthDate).toMatchObject({ value: '1949-07-22', source: 'acroform' });
    expect(doc.fields.statedPriority).toMatchObject({ value: 'urgent' });
    expect(doc.missing).toEqual([]);
  });
});
