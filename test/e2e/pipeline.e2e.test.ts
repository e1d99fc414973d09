import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { makeBornDigitalPdf, makeImageOnlyPdf, makeScanPng } from '@triage/documents';
import { getPages, schema } from '@triage/db';
import { waitFor } from '@triage/testkit';
import { policyWith, startSystem, type System } from './system.ts';
import { CANARY_NAME, CARDIO_LETTER, ORTHO_LETTER, SCAN_TEXT, URO_LETTER } from './letters.ts';

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));

let sys: System;
let intake: string;

beforeAll(async () => {
  // Thresholds at zero: every readable case auto-routes, so this file exercises the whole happy path.
  sys = await startSystem({ policy: policyWith({ urgency: 0, specialty: 0, emergentReview: 1 }, basePolicy), env: { OCR_MIN_CONFIDENCE: '0' } });
  intake = await sys.token('intake');
}, 120_000);
afterAll(async () => sys?.stop());

async function upload(body: Buffer | string, contentType: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${sys.url}/v1/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${intake}`, 'content-type': contentType, ...headers },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function terminal(id: string) {
  return waitFor(
    async () => {
      const res = await fetch(`${sys.url}/v1/documents/${id}`, { headers: { authorization: `Bearer ${intake}` } });
      const doc = (await res.json()) as { status: string };
      return ['routed', 'needs_review', 'failed', 'rejected'].includes(doc.status) ? (doc as Record<string, any>) : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 250, what: `document ${id} to finish` },
  );
}

async function provenance(id: string) {
  const res = await fetch(`${sys.url}/v1/documents/${id}/provenance`, { headers: { authorization: `Bearer ${intake}` } });
  return ((await res.json()) as { events: Array<Record<string, any>> }).events;
}

function succeededStages(events: Array<Record<string, any>>) {
  return events.filter((e) => e.type === 'attempt' && e.outcome === 'succeeded').map((e) => e.stage);
}

describe('pipeline end to end', () => {
  it('routes a born-digital PDF without OCR and emails its team once', async () => {
    const pdf = await makeBornDigitalPdf([CARDIO_LETTER]);
    const r = await upload(pdf, 'application/octet-stream');
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ id: expect.any(String), status: 'received' });
    const doc = await terminal(r.body.id as string);
    expect(doc.triage?.reasons ?? doc.error).toEqual([]);
    expect(doc.status).toBe('routed');
    expect(doc.triage).toMatchObject({ decision: 'auto', modelVersion: expect.any(String), policyVersion: expect.stringContaining('e2e') });
    expect(['emergent', 'urgent', 'routine']).toContain(doc.triage.urgency.label);
    expect(succeededStages(await provenance(doc.id))).toEqual(['extract', 'fields', 'classify', 'persist', 'notify']);
    const pages = await getPages(sys.rt.dbh.db, doc.id, sys.rt.keyring);
    expect(pages.map((p) => p.source)).toEqual(['text-layer']);
    const [referral] = await sys.rt.dbh.db.select().from(schema.referrals).where(eq(schema.referrals.documentId, doc.id));
    const mails = sys.smtp.messages.filter((m) => m.to.includes(referral!.teamEmail!));
    expect(mails.length).toBeGreaterThanOrEqual(1);
    const mine = sys.smtp.messages.filter((m) => m.raw.replace(/=\r?\n/g, '').includes(referral!.id));
    expect(mine).toHaveLength(1);
  });

  it('OCRs an image-only PDF page by page and records the confidence', async () => {
    const pdf = await makeImageOnlyPdf([SCAN_TEXT]);
    const r = await upload(pdf, 'application/pdf');
    const doc = await terminal(r.body.id as string);
    expect(doc.status).toBe('routed');
    const pages = await getPages(sys.rt.dbh.db, doc.id, sys.rt.keyring);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ source: 'ocr', rotation: 0 });
    expect(pages[0]!.ocrConfidence).toBeGreaterThan(50);
    expect(pages[0]!.text.toLowerCase()).toContain('kidney');
    expect(succeededStages(await provenance(doc.id))).toEqual(['extract', 'ocr', 'fields', 'classify', 'persist', 'notify']);
    // Fields read off the scan carry the OCR word boxes they came from, on the upright page image.
    expect(doc.fields.patientName).toMatchObject({ value: 'Ada Lovelock' });
    expect(doc.fields.birthDate?.value).toBe('1970-02-11');
    const box = doc.fields.patientName.evidence[0].box;
    expect(box.x1).toBeGreaterThan(box.x0);
    expect(box.y1).toBeGreaterThan(box.y0);
    expect(doc.missing).toEqual([]);
  });

  it('turns a rotated PNG scan upright before reading it', async () => {
    const png = await makeScanPng(SCAN_TEXT, 90);
    const r = await upload(png, 'image/png');
    const doc = await terminal(r.body.id as string);
    expect(doc.status).toBe('routed');
    const [page] = await getPages(sys.rt.dbh.db, doc.id, sys.rt.keyring);
    expect(page?.rotation).not.toBe(0);
    expect(page?.text.toLowerCase()).toContain('flank pain');
  });

  it('passes a plain-text letter through and keeps PHI out of the email', async () => {
    const r = await upload(URO_LETTER, 'text/plain');
    const doc = await terminal(r.body.id as string);
    expect(doc.status).toBe('routed');
    const pages = await getPages(sys.rt.dbh.db, doc.id, sys.rt.keyring);
    expect(pages.map((p) => p.source)).toEqual(['plain']);
    for (const m of sys.smtp.messages) expect(m.raw).not.toContain(CANARY_NAME.split(' ')[1]);
  });

  it('answers a duplicate upload with the existing id and enqueues nothing new', async () => {
    const first = await upload(ORTHO_LETTER, 'text/plain', { 'idempotency-key': 'ortho-1' });
    expect(first.status).toBe(202);
    const same = await upload(ORTHO_LETTER, 'text/plain');
    expect(same).toEqual({ status: 200, body: { id: first.body.id, status: expect.any(String), duplicate: true } });
    const byKey = await upload(`${ORTHO_LETTER}\nsecond copy`, 'text/plain', { 'idempotency-key': 'ortho-1' });
    expect(byKey.body).toMatchObject({ id: first.body.id, duplicate: true });
    const docs = await sys.rt.dbh.db.select().from(schema.documents).where(eq(schema.documents.sha256, (await sha(ORTHO_LETTER))));
    expect(docs).toHaveLength(1);
    await terminal(first.body.id as string);
    const extracts = (await provenance(first.body.id as string)).filter((e) => e.stage === 'extract');
    expect(extracts).toHaveLength(1);
  });

  it('accepts multipart uploads with source and external id', async () => {
    const form = new FormData();
    form.set('source', 'fax-gateway-1');
    form.set('externalId', 'FAX-0001');
    form.set('file', new Blob([CARDIO_LETTER + '\nmultipart']), 'letter.txt');
    const res = await fetch(`${sys.url}/v1/documents`, { method: 'POST', headers: { authorization: `Bearer ${intake}` }, body: form });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const doc = await (await fetch(`${sys.url}/v1/documents/${id}`, { headers: { authorization: `Bearer ${intake}` } })).json();
    expect(doc).toMatchObject({ source: 'fax-gateway-1', externalId: 'FAX-0001' });
  });

  it('job payloads in Redis carry ids only', async () => {
    const keys = await sys.rt.producer.keys(`${sys.rt.queues.prefix}:*`);
    const hashes = keys.filter((k) => /:[^:]+\|[a-z]+\|\d+$/.test(k));
    expect(hashes.length).toBeGreaterThan(0);
    for (const k of hashes) {
      const data = await sys.rt.producer.hget(k, 'data');
      if (data) expect(Object.keys(JSON.parse(data)).sort()).toEqual(['documentId', 'run']);
    }
  });
});

async function sha(s: string) {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(s).digest('hex');
}
