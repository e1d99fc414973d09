import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPages } from '@triage/db';
import { makeBornDigitalPdf, makeImageOnlyPdf } from '@triage/documents';
import { TEST_REDIS_URL, waitFor } from '@triage/testkit';
import { reviewEverything, startSystem, type System } from './system.ts';

// Made-up PHI. Each string must turn up only where it belongs: decrypted, behind the API.
const NAME = 'Quorvina Zelbrecht';
const CANARIES = ['Quorvina', 'Zelbrecht', '1961-03-17', '17/03/1961', '17.03.1961', '88412963'];

const LETTER = `Dear Urology colleagues,
Re: ${NAME}, DOB 1961-03-17 (17/03/1961), MRN 88412963
72-year-old man with lower urinary tract symptoms, nocturia and a raised PSA of 8.2.
Digital rectal examination: enlarged prostate, no nodules. Please see for assessment and prostate biopsy.
Ms Zelbrecht's daughter can be reached on the usual number.`;
const PDF_PAGE = `Referral to Cardiology
Patient: ${NAME}   Date of birth: 17.03.1961   MRN 88412963
Exertional chest tightness and palpitations for three months. ECG shows atrial fibrillation,
ventricular rate 110. Please assess for coronary artery disease.`;

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));

/** Every place a canary was found, as `where: canary`; case-insensitive. */
function hits(where: string, haystack: string): string[] {
  const h = haystack.toLowerCase();
  return CANARIES.filter((c) => h.includes(c.toLowerCase())).map((c) => `${where}: ${c}`);
}

/** An email body as a reader would see it: quoted-printable and base64 parts decoded too. */
function mailTexts(raw: string): string[] {
  const qp = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  const b64 = [...raw.matchAll(/^([A-Za-z0-9+/=]{16,})\r?$/gm)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'));
  return [raw, qp, ...b64];
}

/** Every key under the prefix, read by type: strings, hashes, lists, sets, sorted sets and streams. */
async function dumpRedis(prefix: string): Promise<{ keys: number; text: string }> {
  const r = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
  try {
    const out: string[] = [];
    let cursor = '0';
    let keys = 0;
    do {
      const [next, batch] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      for (const key of batch) {
        keys++;
        const type = await r.type(key);
        let value: unknown;
        if (type === 'string') value = await r.get(key);
        else if (type === 'hash') value = await r.hgetall(key);
        else if (type === 'list') value = await r.lrange(key, 0, -1);
        else if (type === 'set') value = await r.smembers(key);
        else if (type === 'zset') value = await r.zrange(key, '0', '-1');
        else if (type === 'stream') value = await r.xrange(key, '-', '+');
        else value = `<${type}>`;
        out.push(`${key} ${JSON.stringify(value)}`);
      }
    } while (cursor !== '0');
    return { keys, text: out.join('\n') };
  } finally {
    r.disconnect();
  }
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

const logLines: string[] = [];
let sys: System;

beforeAll(async () => {
  sys = await startSystem({
    // Thresholds at one: every case goes through a person, so the review path is swept too.
    policy: reviewEverything(basePolicy),
    env: { LOG_LEVEL: 'trace' },
    logDestination: { write: (line: string) => void logLines.push(line) },
  });
}, 120_000);
afterAll(async () => sys?.stop());

describe('PHI canary sweep', () => {
  it('finds the canary only where it belongs: not in logs, Redis, email, metrics, the database dump or files on disk', async () => {
    const intake = await sys.token('intake', 'canary-intake');
    const reviewer = await sys.token('reviewer', 'canary-reviewer');
    const call = async (path: string, token: string, init: RequestInit = {}) => {
      const res = await fetch(`${sys.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
      const text = await res.text();
      return { status: res.status, text, body: text ? JSON.parse(text) : null };
    };
    const post = (path: string, token: string, body: unknown) =>
      call(path, token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const upload = async (bytes: Buffer, name: string, externalId: string) => {
      const form = new FormData();
      form.set('file', new Blob([bytes]), name);
      form.set('externalId', externalId);
      const r = await call('/v1/documents', intake, { method: 'POST', body: form });
      expect(r.status).toBe(202);
      return r.body.id as string;
    };
    const settled = (id: string, want: string[]) =>
      waitFor(
        async () => {
          const r = await call(`/v1/documents/${id}`, reviewer);
          return want.includes(r.body.status) ? r : undefined;
        },
        { timeoutMs: 90_000, what: `document ${id} to reach ${want.join('|')}` },
      );

    const pdf = await makeBornDigitalPdf([PDF_PAGE]);
    const letterId = await upload(Buffer.from(LETTER), `${NAME}.txt`, 'MRN 88412963');
    const pdfId = await upload(pdf, `${NAME} 1961-03-17.pdf`, `${NAME} 17/03/1961`);
    // A scan: its text comes from OCR, through the other write path.
    const scanId = await upload(await makeImageOnlyPdf([PDF_PAGE]), 'scan.pdf', 'scan-1');
    // A broken PDF that carries the canary in its bytes: its failure must not carry it anywhere.
    const brokenId = await upload(Buffer.from(`%PDF-1.7\n1 0 obj << /Title (${NAME} MRN 88412963) >>\nendobj\n%%EOF garbage`), 'broken.pdf', 'MRN 88412963-b');
    await settled(letterId, ['needs_review']);
    await settled(pdfId, ['needs_review']);
    await settled(scanId, ['needs_review']);
    const broken = await settled(brokenId, ['failed']);
    expect(broken.body.error.reason).toBeTruthy();

    // A reviewer reads the case, decides with a note naming the patient, and an email goes out.
    const tasks = (await call('/v1/review/tasks?status=open', reviewer)).body.tasks as { id: string; documentId: string }[];
    for (const [docId, decision] of [
      [letterId, { action: 'confirm', reason: 'prediction_correct', note: `Spoke to ${NAME} (DOB 17/03/1961) on the phone.` }],
      [pdfId, { action: 'reject', reason: 'duplicate', note: `Same patient as MRN 88412963` }],
    ] as const) {
      const task = tasks.find((t) => t.documentId === docId)!;
      expect((await post(`/v1/review/tasks/${task.id}/claim`, reviewer, {})).status).toBe(200);
      // A correction of a field is PHI too: sealed with the reading, audited by field name only.
      if (docId === letterId) expect((await post(`/v1/review/tasks/${task.id}/fields`, reviewer, { field: 'patientName', value: NAME })).status).toBe(200);
      expect((await post(`/v1/review/tasks/${task.id}/decision`, reviewer, decision)).status).toBe(202);
    }
    const routed = await settled(letterId, ['routed']);
    await settled(pdfId, ['rejected']);
    await waitFor(async () => sys.smtp.messages.length > 0 || undefined, { what: 'the routed email' });
    // Refused and malformed requests are logged and audited too.
    expect((await call(`/v1/documents/${letterId}`, 'Bearer-not-a-token')).status).toBe(401);
    expect((await post(`/v1/review/tasks/${tasks[0]!.id}/decision`, reviewer, { action: 'correct', urgency: NAME, specialty: NAME })).status).toBe(400);
    await call(`/v1/documents/${letterId}/provenance`, reviewer);
    await call(`/v1/documents/${brokenId}/provenance`, reviewer);

    // 1. The canary is where it belongs, so the search works: the upload, the decrypted text, the API.
    expect(hits('upload', LETTER)).toHaveLength(CANARIES.length - 1);
    const letterText = (await getPages(sys.rt.dbh.db, letterId, sys.rt.keyring)).map((p) => p.text).join('\n');
    const pdfText = (await getPages(sys.rt.dbh.db, pdfId, sys.rt.keyring)).map((p) => p.text).join('\n');
    expect(hits('letter text', letterText)).toEqual(expect.arrayContaining(['letter text: Quorvina', 'letter text: 88412963', 'letter text: 17/03/1961']));
    expect(hits('pdf text', pdfText)).toEqual(expect.arrayContaining(['pdf text: Zelbrecht', 'pdf text: 17.03.1961']));
    const scanText = (await getPages(sys.rt.dbh.db, scanId, sys.rt.keyring)).map((p) => p.text).join('\n');
    expect(hits('scan text', scanText).length).toBeGreaterThan(0);
    expect(routed.body.externalId).toBe('MRN 88412963');
    // The fields read from the letter are behind the API, with the reviewer's correction.
    expect(routed.body.fields.patientName).toMatchObject({ value: NAME, source: 'reviewer' });
    expect(routed.body.fields.birthDate?.value).toBe('1961-03-17');
    expect(routed.body.fields.mrn?.value).toBe('88412963');
    expect(hits('api', routed.text)).toEqual(['api: Quorvina', 'api: Zelbrecht', 'api: 1961-03-17', 'api: 88412963']);

    // 2. …and nowhere else.
    const leaks: string[] = [];
    expect(logLines.length).toBeGreaterThan(50);
    expect(logLines.some((l) => l.includes(letterId))).toBe(true);
    logLines.forEach((l, i) => leaks.push(...hits(`log line ${i}`, l)));

    const redis = await dumpRedis(sys.rt.config.QUEUE_PREFIX);
    expect(redis.keys).toBeGreaterThan(5);
    expect(redis.text).toContain(letterId);
    leaks.push(...hits('redis', redis.text));

    expect(sys.smtp.messages.length).toBeGreaterThan(0);
    for (const m of sys.smtp.messages) {
      expect(m.raw).toContain(m.messageId ?? '<none>');
      for (const t of mailTexts(m.raw)) leaks.push(...hits(`email ${m.messageId}`, t));
    }

    const metrics = await (await fetch(`${sys.url}/metrics`)).text();
    expect(metrics).toMatch(/stage/);
    leaks.push(...hits('metrics', metrics));

    const { stdout: dump } = await promisify(execFile)('pg_dump', ['--no-owner', sys.tdb.url], { maxBuffer: 256 * 1024 * 1024 });
    expect(dump).toContain(letterId);
    expect(dump).toContain('tc1:');
    leaks.push(...hits('pg_dump', dump));

    for (const file of await walk(sys.dataDir)) {
      if (file.endsWith('policy.json')) continue;
      const bytes = await readFile(file);
      leaks.push(...hits(`file ${file.slice(sys.dataDir.length)}`, bytes.toString('latin1')));
    }

    expect(leaks).toEqual([]);
  }, 180_000);
});
