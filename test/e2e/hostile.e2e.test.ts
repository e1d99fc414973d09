import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inArray } from 'drizzle-orm';
import { hostileJson, hostileUploads, makeBornDigitalPdf, type CorpusLimits, type HostileUpload } from '@triage/documents';
import { schema } from '@triage/db';
import { waitFor } from '@triage/testkit';
import { startSystem, type System } from './system.ts';
import { CARDIO_LETTER, ORTHO_LETTER } from './letters.ts';

// Low limits so the corpus stays quick on a 2-core machine; the same checks guard the production defaults.
const LIMITS: CorpusLimits = { maxUploadBytes: 4 * 1024 * 1024, maxPages: 50, maxPagePixels: 40_000_000, maxDocumentPixels: 200_000_000, ocrDpi: 200, maxTextChars: 3_000_000 };
const ENV = {
  MAX_UPLOAD_BYTES: String(LIMITS.maxUploadBytes),
  MAX_PAGES: String(LIMITS.maxPages),
  MAX_PAGE_PIXELS: String(LIMITS.maxPagePixels),
  MAX_DOCUMENT_PIXELS: String(LIMITS.maxDocumentPixels),
  OCR_DPI: String(LIMITS.ocrDpi),
  MAX_TEXT_CHARS: String(LIMITS.maxTextChars),
  PARSE_TIMEOUT_MS: '8000',
  PAGE_TIMEOUT_MS: '20000',
  PARSE_MEMORY_MB: '256',
};
/** How long an ordinary letter may take end to end while the corpus is being processed around it. */
const NORMAL_BOUND_MS = 60_000;
const TERMINAL = ['routed', 'needs_review', 'failed', 'rejected'];

let sys: System;
let intake: string;
let admin: string;
let reviewer: string;
let corpus: HostileUpload[];

beforeAll(async () => {
  sys = await startSystem({ env: ENV });
  [intake, admin, reviewer] = await Promise.all([sys.token('intake'), sys.token('admin'), sys.token('reviewer')]);
  corpus = await hostileUploads(LIMITS);
}, 120_000);
afterAll(async () => sys?.stop());

type Sent = { c: HostileUpload; status: number; body: Record<string, any> };

async function send(c: HostileUpload): Promise<Sent> {
  const r = c.request;
  const contentType = r.kind === 'raw' ? r.contentType : `multipart/form-data; boundary=${r.boundary}`;
  const res = await fetch(`${sys.url}/v1/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${intake}`, 'content-type': contentType },
    body: r.body,
  });
  const text = await res.text();
  let body: Record<string, any>;
  try {
    body = JSON.parse(text);
  } catch {
    body = { unparsable: text.slice(0, 200) };
  }
  return { c, status: res.status, body };
}

async function uploadLetter(text: string): Promise<{ id: string; at: number }> {
  const res = await fetch(`${sys.url}/v1/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${intake}`, 'content-type': 'application/pdf' },
    body: await makeBornDigitalPdf([text]),
  });
  expect(res.status).toBe(202);
  return { id: ((await res.json()) as { id: string }).id, at: Date.now() };
}

async function documentsById(ids: string[]) {
  const rows = await sys.rt.dbh.db.select().from(schema.documents).where(inArray(schema.documents.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

describe('hostile corpus through the real API', () => {
  it('has at least 50 hostile inputs, each with a distinct name', () => {
    expect(corpus.length + hostileJson.length).toBeGreaterThanOrEqual(50);
    expect(new Set(corpus.map((c) => c.name)).size).toBe(corpus.length);
  });

  it('ends every input in a clear 4xx or a typed failure, keeps originals, and delays nothing else', async () => {
    const half = Math.floor(corpus.length / 2);
    const sent: Sent[] = [];
    for (const c of corpus.slice(0, half)) sent.push(await send(c));
    const middle = await uploadLetter(CARDIO_LETTER);
    for (const c of corpus.slice(half)) sent.push(await send(c));

    // Intake answers: the expected 4xx with the documented error shape, or 202 for everything else.
    const refused: string[] = [];
    for (const s of sent) {
      const e = s.c.expect;
      const want = e.at === 'intake' ? e.status : 202;
      if (s.status !== want) refused.push(`${s.c.name}: HTTP ${s.status} ${JSON.stringify(s.body).slice(0, 160)}; expected ${want}`);
      else if (e.at === 'intake' && (typeof s.body.error?.message !== 'string' || (e.code && s.body.error.code !== e.code))) {
        refused.push(`${s.c.name}: error body ${JSON.stringify(s.body).slice(0, 160)}; expected code ${e.code}`);
      }
    }
    expect(refused).toEqual([]);

    const accepted = sent.filter((s) => s.status === 202);
    const ids = accepted.map((s) => s.body.id as string);
    const docs = await waitFor(
      async () => {
        const m = await documentsById([...ids, middle.id]);
        return [...m.values()].every((d) => TERMINAL.includes(d.status)) ? m : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 500, what: 'every accepted hostile document to finish' },
    );

    const outcomes = accepted.map((s) => {
      const d = docs.get(s.body.id)!;
      return { name: s.c.name, status: d.status, reason: d.failureReason };
    });
    // Collected, not thrown one by one: a regression shows every case it breaks at once.
    const problems: string[] = [];
    for (const [i, s] of accepted.entries()) {
      const got = outcomes[i]!;
      const e = s.c.expect;
      const label = `${s.c.name} (${s.c.what}) ended ${got.status}${got.reason ? `:${got.reason}` : ''}`;
      if (e.at !== 'pipeline') continue;
      if ('fails' in e) {
        if (got.status !== 'failed' || !e.fails.includes(got.reason ?? '')) problems.push(`${label}; expected failed:${e.fails.join('|')}`);
      } else if ('processed' in e) {
        if (!['routed', 'needs_review'].includes(got.status)) problems.push(`${label}; expected it processed`);
      } else if (got.status === 'failed' && !e.terminal.includes(got.reason ?? '')) {
        problems.push(`${label}; expected a typed reason ${e.terminal.join('|')}`);
      }
      // Failure text is fixed phrases and library error names: nothing from the letter.
      if (/palpitations|Cardiology|atrial/i.test(docs.get(s.body.id)!.failureMessage ?? '')) problems.push(`${s.c.name}: failure message quotes the document`);
    }
    expect(problems).toEqual([]);
    // Every accepted original is kept, hostile or not.
    for (const s of accepted) expect(await sys.rt.blobs.exists(docs.get(s.body.id)!.storageKey), s.c.name).toBe(true);

    // The letter uploaded in the middle of the corpus was not held up behind it.
    const mid = docs.get(middle.id)!;
    expect(['routed', 'needs_review']).toContain(mid.status);
    expect(mid.completedAt!.getTime() - mid.receivedAt.getTime()).toBeLessThan(NORMAL_BOUND_MS);

    // The worker is still up: a letter sent after the corpus goes all the way through.
    const after = await uploadLetter(ORTHO_LETTER);
    const done = await waitFor(
      async () => {
        const d = (await documentsById([after.id])).get(after.id);
        return d && TERMINAL.includes(d.status) ? d : undefined;
      },
      { timeoutMs: NORMAL_BOUND_MS, intervalMs: 250, what: 'a normal letter after the corpus' },
    );
    expect(['routed', 'needs_review']).toContain(done.status);

    // A hostile filename never becomes a path: only content-addressed blobs exist under the data dir.
    const files = await listFiles(join(sys.dataDir, 'blobs'));
    expect(files.filter((f) => !/\/sha256\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/.test(f))).toEqual([]);

    if (process.env.HOSTILE_VERBOSE) console.table(outcomes);
    console.log(`hostile corpus: ${sent.length} uploads, ${sent.length - accepted.length} refused at intake; outcomes ${JSON.stringify(tally(outcomes))}; middle letter ${mid.completedAt!.getTime() - mid.receivedAt.getTime()} ms`);
  }, 240_000);

  it('refuses hostile JSON on the JSON routes with a 4xx and pollutes no prototype', async () => {
    const { id: documentId } = await uploadLetter(CARDIO_LETTER);
    const before = (await documentsById([documentId])).get(documentId)!.run;
    for (const j of hostileJson) {
      const url = j.route === 'replay' ? `${sys.url}/v1/documents/${documentId}/replay` : `${sys.url}/v1/review/tasks/${randomUUID()}/decision`;
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${j.route === 'replay' ? admin : reviewer}`, 'content-type': 'application/json' },
        body: j.body,
      });
      const body = (await res.json()) as { error?: { code: string; message: string } };
      expect({ name: j.name, status: res.status }).toEqual({ name: j.name, status: j.expectStatus });
      expect(body.error, j.name).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
    // A query string cannot smuggle keys in either.
    const q = await fetch(`${sys.url}/v1/review/tasks?status=open&__proto__[polluted]=1&constructor[prototype][polluted]=1`, {
      headers: { authorization: `Bearer ${reviewer}` },
    });
    expect(q.status).toBe(400);
    expect((await documentsById([documentId])).get(documentId)!.run).toBe(before);
    // The API, the workers and this test share one process: a pollution anywhere would show here.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect((globalThis as Record<string, unknown>).polluted).toBeUndefined();
  });
});

function tally(outcomes: Array<{ status: string; reason: string | null }>) {
  const t: Record<string, number> = {};
  for (const o of outcomes) {
    const k = o.status === 'failed' ? `failed:${o.reason}` : o.status;
    t[k] = (t[k] ?? 0) + 1;
  }
  return t;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else out.push(p);
  }
  return out;
}
