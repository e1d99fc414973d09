import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrainingFiles } from '@triage/classifier';
import { createToken, revokeToken, rowsOf, schema } from '@triage/db';
import { makeBornDigitalPdf, makeScanPng } from '@triage/documents';
import { waitFor } from '@triage/testkit';
import { reviewEverything, startSystem, type System } from './system.ts';
import { CARDIO_LETTER, ORTHO_LETTER, SCAN_TEXT, URO_LETTER } from './letters.ts';

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));
const LEASE_MS = 3000;
const SLA = { emergent: 3_600_000, urgent: 1500, routine: 1500 };
const STROKE = 'Referral: 70-year-old man with sudden onset left-sided weakness, facial droop and slurred speech this morning.';

let sys: System;
let intake: string;
let alice: string;
let bob: string;

beforeAll(async () => {
  // Thresholds at one: every case goes to a person. Short lease and SLAs so expiry and overdue are observable.
  sys = await startSystem({
    policy: reviewEverything(basePolicy),
    env: {
      REVIEW_LEASE_MS: String(LEASE_MS),
      REVIEW_SLA_EMERGENT_MS: String(SLA.emergent),
      REVIEW_SLA_URGENT_MS: String(SLA.urgent),
      REVIEW_SLA_ROUTINE_MS: String(SLA.routine),
    },
  });
  intake = await sys.token('intake');
  alice = await sys.token('reviewer', 'alice');
  bob = await sys.token('reviewer', 'bob');
}, 120_000);
afterAll(async () => sys?.stop());

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer) {
  expect(buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

type Res = { status: number; headers: Headers; body: any };
async function call(path: string, init: RequestInit & { token?: string; cookie?: string; csrf?: string } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.cookie) headers.cookie = init.cookie;
  if (init.csrf) headers['x-csrf-token'] = init.csrf;
  if (typeof init.body === 'string' && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(`${sys.url}${path}`, { ...init, headers });
  const ct = res.headers.get('content-type') ?? '';
  const body = ct.includes('json') ? await res.json() : ct.startsWith('image/') ? Buffer.from(await res.arrayBuffer()) : await res.text();
  return { status: res.status, headers: res.headers, body };
}
const post = (path: string, token: string, body: unknown = {}) => call(path, { method: 'POST', token, body: JSON.stringify(body) });
const upload = async (bytes: string | Buffer, type: string) => {
  const r = await call('/v1/documents', { method: 'POST', token: intake, headers: { 'content-type': type }, body: bytes });
  expect(r.status).toBe(202);
  return r.body.id as string;
};
const waitStatus = (id: string, want: string) =>
  waitFor(
    async () => {
      const r = await call(`/v1/documents/${id}`, { token: alice });
      return r.body.status === want ? r.body : undefined;
    },
    { timeoutMs: 90_000, what: `document ${id} to be ${want}` },
  );
const tasksFor = async (query = '', token = alice) => {
  const r = await call(`/v1/review/tasks${query}`, { token });
  expect(r.status).toBe(200);
  return r.body as { now: string; sla: typeof SLA; tasks: any[] };
};
const taskOf = async (documentId: string) => {
  const t = (await tasksFor()).tasks.find((x) => x.documentId === documentId);
  expect(t, `task for ${documentId}`).toBeTruthy();
  return t;
};
async function signIn(token: string) {
  const r = await call('/v1/session', { method: 'POST', body: JSON.stringify({ token }) });
  expect(r.status).toBe(200);
  const setCookie = r.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  return { cookie, csrf: r.body.csrfToken as string, body: r.body, setCookie };
}
const auditRows = async (action: string) =>
  sys.rt.dbh.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, action));

/** Collects SSE frames from the live queue stream. */
async function openEvents(cookie: string) {
  const ac = new AbortController();
  const res = await fetch(`${sys.url}/v1/review/events`, { headers: { cookie }, signal: ac.signal });
  const events: { type: string; taskId: string }[] = [];
  let raw = '';
  const reader = res.body!.getReader();
  const pump = (async () => {
    const dec = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      raw += dec.decode(value, { stream: true });
      let at: number;
      while ((at = raw.indexOf('\n\n')) >= 0) {
        const frame = raw.slice(0, at);
        raw = raw.slice(at + 2);
        const lines = frame.split('\n');
        if (lines[0] === 'event: task') events.push(JSON.parse(lines[1]!.replace(/^data: /, '')));
      }
    }
  })();
  return { res, events, close: async () => (ac.abort(), await pump) };
}

let letters: Record<'cardio' | 'ortho' | 'uro' | 'stroke', string>;
let scanId: string;
let live: Awaited<ReturnType<typeof openEvents>>;
let aliceSession: Awaited<ReturnType<typeof signIn>>;

describe('sessions', () => {
  it('exchanges a token for an HttpOnly, SameSite=Strict session cookie and keeps it across a reload', async () => {
    expect((await call('/v1/session', { method: 'POST', body: JSON.stringify({ token: 'trt_not-a-token' }) })).status).toBe(401);
    expect((await call('/v1/session', { method: 'POST', body: JSON.stringify({ tok: alice }) })).status).toBe(400);
    aliceSession = await signIn(alice);
    expect(aliceSession.setCookie).toMatch(/^triage_session=[A-Za-z0-9_-]{40,}; HttpOnly; SameSite=Strict; Path=\//);
    expect(aliceSession.setCookie).not.toMatch(/Secure/); // plain HTTP in the test; Secure behind TLS
    expect(aliceSession.body.principal).toEqual({ name: 'alice', role: 'reviewer' });
    expect(new Date(aliceSession.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 7 * 3_600_000);
    const again = await call('/v1/session', { cookie: aliceSession.cookie });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(aliceSession.body);
    expect((await call('/v1/session')).status).toBe(401);
    // Only a hash of the cookie value is stored.
    const stored = await sys.rt.dbh.db.select().from(schema.sessions);
    expect(stored.some((s) => aliceSession.cookie.includes(s.hash))).toBe(false);
    expect((await auditRows('session_created')).length).toBeGreaterThanOrEqual(1);
  });

  it('opens the live queue stream with the cookie before cases arrive', async () => {
    live = await openEvents(aliceSession.cookie);
    expect(live.res.status).toBe(200);
    expect(live.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect((await fetch(`${sys.url}/v1/review/events`)).status).toBe(401);
  });

  it('signs out: the cookie is cleared and the session is dead', async () => {
    const s = await signIn(alice);
    expect((await call('/v1/session', { method: 'DELETE', cookie: s.cookie })).status).toBe(403);
    const out = await call('/v1/session', { method: 'DELETE', cookie: s.cookie, csrf: s.csrf });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^triage_session=; .*Max-Age=0/);
    expect((await call('/v1/session', { cookie: s.cookie })).status).toBe(401);
    expect((await call('/v1/review/tasks', { cookie: s.cookie })).status).toBe(401);
  });

  it('a revoked token kills its sessions; an expired session is refused', async () => {
    const t = await createToken(sys.rt.dbh.db, { role: 'reviewer', name: 'carol' });
    const s = await signIn(t.token);
    expect((await call('/v1/review/tasks', { cookie: s.cookie })).status).toBe(200);
    await revokeToken(sys.rt.dbh.db, t.id);
    expect((await call('/v1/review/tasks', { cookie: s.cookie })).status).toBe(401);
    expect((await call('/v1/session', { cookie: s.cookie })).status).toBe(401);

    const d = await signIn(bob);
    await sys.rt.dbh.db.update(schema.sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(sql`true`);
    expect((await call('/v1/session', { cookie: d.cookie })).status).toBe(401);
    aliceSession = await signIn(alice);
  });
});

describe('queue', () => {
  it('lists arriving cases in risk order with SLA due times, and the stream announces each one', async () => {
    const tag = Date.now();
    letters = {
      cardio: await upload(`${CARDIO_LETTER}\n${tag}`, 'text/plain'),
      ortho: await upload(`${ORTHO_LETTER}\n${tag}`, 'text/plain'),
      uro: await upload(`${URO_LETTER}\n${tag}`, 'text/plain'),
      stroke: await upload(`${STROKE}\n${tag}`, 'text/plain'),
    };
    for (const id of Object.values(letters)) await waitStatus(id, 'needs_review');
    const { now, sla, tasks } = await tasksFor('?status=open');
    expect(sla).toEqual(SLA);
    expect(Math.abs(new Date(now).getTime() - Date.now())).toBeLessThan(5000);
    expect(tasks).toHaveLength(4);
    for (const t of tasks) {
      expect(new Date(t.dueAt).getTime() - new Date(t.createdAt).getTime()).toBe(SLA[t.urgency as keyof typeof SLA]);
      expect(t.overdue).toBe(new Date(t.dueAt) <= new Date(now));
      expect(t.claim).toBeNull();
      expect(t.status).toBe('open');
    }
    // Suspected emergent first, then oldest against its SLA.
    const stroke = tasks.find((t) => t.documentId === letters.stroke);
    expect(stroke).toMatchObject({ suspectedEmergent: true, urgency: 'emergent' });
    expect(stroke.reasons).toContain('red_flag:stroke');
    for (let i = 1; i < tasks.length; i++) {
      const [a, b] = [tasks[i - 1], tasks[i]];
      if (a.suspectedEmergent === b.suspectedEmergent) expect(new Date(a.dueAt) <= new Date(b.dueAt)).toBe(true);
      else expect(a.suspectedEmergent).toBe(true);
    }
    // Every non-emergent SLA here is 1.5 s: after it passes they are overdue, the emergent one is not.
    await new Promise((r) => setTimeout(r, SLA.urgent + 200));
    const later = (await tasksFor()).tasks;
    for (const t of later) expect(t.overdue).toBe(t.urgency !== 'emergent');

    const created = await waitFor(async () => {
      const ids = live.events.filter((e) => e.type === 'created').map((e) => e.taskId);
      return tasks.every((t) => ids.includes(t.id)) ? ids : undefined;
    }, { what: 'a created event for every new task' });
    expect(created.length).toBeGreaterThanOrEqual(4);
  }, 120_000);

  it('filters by urgency, reason, team and age, and rejects bad filters with 400', async () => {
    const all = (await tasksFor()).tasks;
    const emergent = (await tasksFor('?urgency=emergent')).tasks;
    expect(emergent.map((t) => t.id).sort()).toEqual(all.filter((t) => t.urgency === 'emergent').map((t) => t.id).sort());
    expect(emergent.length).toBeGreaterThan(0);
    const flagged = (await tasksFor('?reason=red_flag')).tasks;
    expect(flagged.map((t) => t.documentId)).toEqual([letters.stroke]);
    expect((await tasksFor('?reason=red_flag:stroke')).tasks).toHaveLength(1);
    const low = (await tasksFor('?reason=low_specialty_confidence')).tasks;
    expect(low.length).toBe(all.filter((t) => t.reasons.includes('low_specialty_confidence')).length);
    const someTeam = all.find((t) => t.team)?.team as string;
    const byTeam = (await tasksFor(`?team=${encodeURIComponent(someTeam)}`)).tasks;
    expect(byTeam.length).toBeGreaterThan(0);
    expect(byTeam.every((t) => t.team === someTeam)).toBe(true);
    expect((await tasksFor('?minAgeMinutes=60')).tasks).toHaveLength(0);
    expect((await tasksFor('?minAgeMinutes=0')).tasks).toHaveLength(all.length);
    for (const bad of ['?urgency=soon', '?minAgeMinutes=-1', '?reason=DROP%20TABLE', '?colour=red']) {
      const r = await call(`/v1/review/tasks${bad}`, { token: alice });
      expect(r.status, bad).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
    }
  });
});

describe('cookie auth and CSRF', () => {
  it('refuses a cookie write without the CSRF header, accepts it with the header, and bearer needs none', async () => {
    const task = await taskOf(letters.ortho);
    const refused = await call(`/v1/review/tasks/${task.id}/claim`, { method: 'POST', cookie: aliceSession.cookie, body: '{}' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('csrf');
    const wrong = await call(`/v1/review/tasks/${task.id}/claim`, { method: 'POST', cookie: aliceSession.cookie, csrf: 'x'.repeat(43), body: '{}' });
    expect(wrong.status).toBe(403);
    const csrfAudit = (await auditRows('request_refused')).filter((r) => (r.detail as { why?: string }).why === 'csrf');
    expect(csrfAudit.length).toBeGreaterThanOrEqual(2);
    expect(csrfAudit.every((r) => r.allowed === false)).toBe(true);

    const ok = await call(`/v1/review/tasks/${task.id}/claim`, { method: 'POST', cookie: aliceSession.cookie, csrf: aliceSession.csrf, body: '{}' });
    expect(ok.status).toBe(200);
    const mine = (await call('/v1/review/tasks', { cookie: aliceSession.cookie })).body.tasks.find((t: any) => t.id === task.id);
    expect(mine.claim).toMatchObject({ by: 'alice', mine: true });
    expect((await call(`/v1/review/tasks/${task.id}/release`, { method: 'POST', cookie: aliceSession.cookie, csrf: aliceSession.csrf })).status).toBe(204);
    // Bearer: no CSRF token needed.
    expect((await post(`/v1/review/tasks/${task.id}/claim`, bob)).status).toBe(200);
    expect((await post(`/v1/review/tasks/${task.id}/release`, bob)).status).toBe(204);
  });
});

describe('claims', () => {
  it('two reviewers race for a case: one wins, the other gets 409 naming the holder', async () => {
    const task = await taskOf(letters.cardio);
    const [a, b] = await Promise.all([post(`/v1/review/tasks/${task.id}/claim`, alice), post(`/v1/review/tasks/${task.id}/claim`, bob)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [winner, loser, loserToken, winnerName] = a.status === 200 ? [a, b, bob, 'alice'] : [b, a, alice, 'bob'];
    expect(loser.body.error).toMatchObject({ code: 'conflict', heldBy: winnerName });
    expect(new Date(loser.body.error.until).getTime()).toBe(new Date(winner.body.claimExpiresAt).getTime());
    expect(winner.body).toMatchObject({ id: task.id, documentId: letters.cardio, reasons: task.reasons });
    expect(await waitFor(async () => live.events.some((e) => e.type === 'claimed' && e.taskId === task.id))).toBe(true);

    // The loser may not release someone else's claim; the holder may.
    const steal = await post(`/v1/review/tasks/${task.id}/release`, loserToken);
    expect(steal.status).toBe(409);
    expect(steal.body.error.heldBy).toBe(winnerName);
    const winnerToken = loserToken === bob ? alice : bob;
    expect((await post(`/v1/review/tasks/${task.id}/release`, winnerToken)).status).toBe(204);
    expect(await waitFor(async () => live.events.some((e) => e.type === 'released' && e.taskId === task.id))).toBe(true);
    expect((await post(`/v1/review/tasks/${task.id}/release`, winnerToken)).status).toBe(409);
    expect((await post(`/v1/review/tasks/${task.id}/claim`, loserToken)).status).toBe(200);
    expect((await post(`/v1/review/tasks/${task.id}/release`, loserToken)).status).toBe(204);
  });

  it('claiming again while holding renews the lease', async () => {
    const task = await taskOf(letters.cardio);
    const first = await post(`/v1/review/tasks/${task.id}/claim`, alice);
    await new Promise((r) => setTimeout(r, 400));
    const renewed = await post(`/v1/review/tasks/${task.id}/claim`, alice);
    expect(renewed.status).toBe(200);
    expect(new Date(renewed.body.claimExpiresAt).getTime()).toBeGreaterThan(new Date(first.body.claimExpiresAt).getTime() + 300);
    expect((await post(`/v1/review/tasks/${task.id}/release`, alice)).status).toBe(204);
  });

  it('an expired lease frees the case for someone else and the old holder can no longer decide', async () => {
    const task = await taskOf(letters.uro);
    expect((await post(`/v1/review/tasks/${task.id}/claim`, alice)).status).toBe(200);
    expect((await post(`/v1/review/tasks/${task.id}/claim`, bob)).status).toBe(409);
    await new Promise((r) => setTimeout(r, LEASE_MS + 300));
    expect((await taskOf(letters.uro)).claim).toBeNull();
    expect((await post(`/v1/review/tasks/${task.id}/claim`, bob)).status).toBe(200);
    const late = await post(`/v1/review/tasks/${task.id}/decision`, alice, { action: 'confirm' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('claim_required');
    expect((await post(`/v1/review/tasks/${task.id}/release`, bob)).status).toBe(204);
  });
});

describe('case screen data', () => {
  it('returns the text, pages with spans, evidence and red-flag offsets inside the text, probabilities and options; audited', async () => {
    const task = await taskOf(letters.stroke);
    const r = await call(`/v1/review/tasks/${task.id}`, { token: alice });
    expect(r.status).toBe(200);
    const c = r.body;
    expect(c.task).toMatchObject({ id: task.id, documentId: letters.stroke, suspectedEmergent: true });
    expect(c.text).toContain('facial droop');
    expect(c.document).toMatchObject({ id: letters.stroke, kind: 'text' });
    expect(c.document.pages).toHaveLength(1);
    const [page] = c.document.pages;
    expect(page).toMatchObject({ pageNo: 1, source: 'plain', ocrConfidence: null, start: 0, end: c.text.length });
    expect(c.evidence.length).toBeGreaterThan(0);
    for (const e of c.evidence) {
      expect(['urgency', 'specialty']).toContain(e.head);
      expect(e.start).toBeGreaterThanOrEqual(0);
      expect(e.end).toBeLessThanOrEqual(c.text.length);
      expect(c.text.slice(e.start, e.end).trim().length).toBeGreaterThan(0);
      expect(typeof e.weight).toBe('number');
    }
    const stroke = c.redFlags.find((h: any) => h.rule === 'stroke');
    expect(stroke.label).toEqual(expect.any(String));
    expect(c.text.slice(stroke.start, stroke.end).toLowerCase()).toMatch(/weakness|droop|slurred|speech/);
    const urgencyP = Object.values(c.probabilities.urgency as Record<string, number>).reduce((s, p) => s + p, 0);
    expect(urgencyP).toBeCloseTo(1, 3);
    expect(Object.keys(c.probabilities.specialty).length).toBeGreaterThan(1);
    expect(c.modelVersion).toEqual(expect.any(String));
    expect(c.policyVersion).toEqual(expect.any(String));
    expect(c.options).toEqual({
      urgencies: ['emergent', 'urgent', 'routine'],
      specialties: Object.keys(basePolicy.teams).sort(),
      rejectReasons: ['not_a_referral', 'duplicate', 'missing_information', 'other'],
      confirmReasons: ['prediction_correct', 'red_flag_checked', 'page_checked'],
      correctReasons: ['wrong_urgency', 'wrong_specialty', 'wrong_urgency_and_specialty', 'red_flag_missed', 'ocr_error', 'other'],
    });
    const viewed = (await auditRows('case_viewed')).filter((a) => a.documentId === letters.stroke);
    expect(viewed).toHaveLength(1);
    expect((await call(`/v1/review/tasks/${crypto.randomUUID()}`, { token: alice })).status).toBe(404);
    expect((await call(`/v1/review/tasks/${task.id}`, { token: intake })).status).toBe(403);
  });

  it('serves a rotated scan page as an upright PNG, audited; text documents have no page image', async () => {
    const png = await makeScanPng(SCAN_TEXT, 90);
    const meta = pngSize(png);
    expect(meta.width).toBeGreaterThan(meta.height); // the scan arrived on its side
    scanId = await upload(png, 'image/png');
    await waitStatus(scanId, 'needs_review');
    const task = await taskOf(scanId);
    const c = (await call(`/v1/review/tasks/${task.id}`, { token: alice })).body;
    expect(c.document.pages[0].rotation).not.toBe(0);
    expect(c.document.pages[0].ocrConfidence).toEqual(expect.any(Number));

    const img = await call(`/v1/documents/${scanId}/pages/1/image?dpi=72`, { token: alice });
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(img.headers.get('cache-control')).toMatch(/no-store/);
    const out = pngSize(img.body as Buffer);
    expect(out.height).toBeGreaterThan(out.width);
    expect((await auditRows('page_image_viewed')).filter((a) => a.documentId === scanId)).toHaveLength(1);

    expect((await call(`/v1/documents/${scanId}/pages/2/image`, { token: alice })).status).toBe(404);
    expect((await call(`/v1/documents/${scanId}/pages/1/image?dpi=9000`, { token: alice })).status).toBe(400);
    const text = await call(`/v1/documents/${letters.cardio}/pages/1/image`, { token: alice });
    expect(text.status).toBe(404);
    expect(text.body.error.code).toBe('not_found');
    expect((await call(`/v1/documents/${scanId}/pages/1/image`, { token: intake })).status).toBe(403);
  }, 120_000);

  it('renders each page of a PDF at the requested resolution', async () => {
    const pdf = await makeBornDigitalPdf([`${CARDIO_LETTER}\npdf ${Date.now()}`, 'Page two of the referral: medication list follows.']);
    const id = await upload(pdf, 'application/pdf');
    await waitStatus(id, 'needs_review');
    const task = await taskOf(id);
    const c = (await call(`/v1/review/tasks/${task.id}`, { token: alice })).body;
    expect(c.document.pages.map((p: any) => p.pageNo)).toEqual([1, 2]);
    // Each page's span is its slice of the joined text.
    const [p1, p2] = c.document.pages;
    expect(p2.start).toBe(p1.end + 2);
    expect(c.text.slice(p2.start, p2.end)).toContain('medication list');
    for (const [pageNo, dpi] of [[1, 72], [2, 144]] as const) {
      const img = await call(`/v1/documents/${id}/pages/${pageNo}/image?dpi=${dpi}`, { token: alice });
      expect(img.status).toBe(200);
      const size = pngSize(img.body as Buffer);
      // US Letter, 8.5 × 11 in.
      expect(Math.abs(size.width - 8.5 * dpi)).toBeLessThanOrEqual(2);
      expect(Math.abs(size.height - 11 * dpi)).toBeLessThanOrEqual(2);
    }
  }, 120_000);
});

describe('decisions, stats and export', () => {
  let predicted: Record<string, { urgency: string; specialty: string }>;
  let taskIds: Record<string, string>;
  const otherUrgency = (u: string) => (u === 'routine' ? 'urgent' : 'routine');

  it('confirm, correct and reject each resume the pipeline; the stream announces decisions', async () => {
    predicted = {};
    taskIds = {};
    for (const k of ['cardio', 'ortho', 'uro'] as const) {
      const t = await taskOf(letters[k]);
      predicted[k] = { urgency: t.urgency, specialty: t.specialty };
      taskIds[k] = t.id;
    }
    const decide = async (k: 'cardio' | 'ortho' | 'uro', body: unknown) => {
      expect((await post(`/v1/review/tasks/${taskIds[k]}/claim`, alice)).status).toBe(200);
      const r = await post(`/v1/review/tasks/${taskIds[k]}/decision`, alice, body);
      expect(r.status).toBe(202);
      expect(r.body).toMatchObject({ taskId: taskIds[k], documentId: letters[k], status: 'processing', run: 2 });
    };
    await decide('cardio', { action: 'confirm', reason: 'prediction_correct' });
    await decide('ortho', { action: 'correct', urgency: otherUrgency(predicted.ortho!.urgency), specialty: 'Orthopedic', note: 'knee' });
    await decide('uro', { action: 'reject', reason: 'duplicate' });
    await waitStatus(letters.cardio, 'routed');
    await waitStatus(letters.ortho, 'routed');
    await waitStatus(letters.uro, 'rejected');
    const decided = await waitFor(async () => {
      const ids = live.events.filter((e) => e.type === 'decided').map((e) => e.taskId);
      return Object.values(taskIds).every((id) => ids.includes(id)) ? ids : undefined;
    });
    expect(decided).toEqual(expect.arrayContaining(Object.values(taskIds)));
    expect((await tasksFor('?status=decided')).tasks.map((t) => t.id).sort()).toEqual(Object.values(taskIds).sort());
  }, 120_000);

  it('reports queue size, oldest age, time to decision and override rates, in JSON and on /metrics', async () => {
    const open = (await tasksFor()).tasks;
    const r = await call('/v1/review/stats', { token: alice });
    expect(r.status).toBe(200);
    const s = r.body;
    expect(s.queueSize).toBe(open.length);
    const oldest = Math.min(...open.map((t) => new Date(t.createdAt).getTime()));
    expect(Math.abs(s.oldestAgeMs - (Date.now() - oldest))).toBeLessThan(5000);
    expect(s.timeToDecisionMs.p50).toBeGreaterThan(0);
    expect(s.timeToDecisionMs.p95).toBeGreaterThanOrEqual(s.timeToDecisionMs.p50);

    // Two labelled decisions (confirm cardio, correct ortho's urgency and specialty); the rejection has no label.
    const expectRate = (head: 'urgency' | 'specialty') => {
      const out: Record<string, { n: number; o: number }> = {};
      for (const [k, changed] of [['cardio', false], ['ortho', true]] as const) {
        const label = predicted[k]![head];
        const wasChanged = changed && (head === 'urgency' || predicted.ortho!.specialty !== 'Orthopedic');
        out[label] = { n: (out[label]?.n ?? 0) + 1, o: (out[label]?.o ?? 0) + (wasChanged ? 1 : 0) };
      }
      return Object.fromEntries(Object.entries(out).map(([l, v]) => [l, v.o / v.n]));
    };
    expect(s.overrideRate.byUrgency).toEqual(expectRate('urgency'));
    expect(s.overrideRate.bySpecialty).toEqual(expectRate('specialty'));
    const models = Object.entries(s.overrideRate.byModelVersion);
    expect(models).toHaveLength(1);
    expect(models[0]![1]).toBe(0.5);

    const metrics = await (await fetch(`${sys.url}/metrics`)).text();
    expect(metrics).toContain(`triage_review_queue_size ${open.length}`);
    expect(metrics).toMatch(/triage_review_oldest_age_seconds \d+(\.\d+)?/);
    const ou = otherUrgency(predicted.ortho!.urgency);
    expect(ou).toBeTruthy();
    expect(metrics).toContain(`triage_review_override_rate{head="urgency",label="${predicted.ortho!.urgency}"}`);
    expect(metrics).toContain(`triage_review_override_rate_by_model{model_version="${models[0]![0]}"} 0.5`);
    expect(metrics).toMatch(/triage_review_time_to_decision_seconds_count 3/);
  });

  it('`triage review export` writes the labelled decisions as JSONL the classifier loads; rejections skipped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'review-export-'));
    const out = join(dir, 'review.jsonl');
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const p = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', 'review', 'export', ...args], {
          cwd: new URL('../../', import.meta.url).pathname,
          env: { ...process.env, DATABASE_URL: sys.tdb.url, DATA_DIR: sys.dataDir, LOG_LEVEL: 'silent' },
        });
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (d) => (stdout += d));
        p.stderr.on('data', (d) => (stderr += d));
        p.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const r = await run(['--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ written: 2, skipped: 0 });
    const records = await readTrainingFiles([out]);
    expect(records).toHaveLength(2);
    const bySource = Object.fromEntries(records.map((x) => [x.source, x]));
    expect(bySource[`review:${taskIds.cardio}`]).toMatchObject({ urgency: predicted.cardio!.urgency, specialties: [predicted.cardio!.specialty] });
    expect(bySource[`review:${taskIds.cardio}`]!.text).toContain('atrial fibrillation');
    expect(bySource[`review:${taskIds.ortho}`]).toMatchObject({ urgency: otherUrgency(predicted.ortho!.urgency), specialties: ['Orthopedic'] });
    expect(bySource[`review:${taskIds.uro}`]).toBeUndefined();

    const future = await run(['--out', join(dir, 'none.jsonl'), '--since', '2999-01-01']);
    expect(future.code).toBe(0);
    expect(JSON.parse(future.stdout)).toEqual({ written: 0, skipped: 0 });
    expect((await run(['--out', out, '--since', 'yesterday'])).code).toBe(2);
  }, 60_000);

  it('closes the live stream; a stream left open does not hold up shutdown', async () => {
    await live.close();
    // Left open on purpose: afterAll's stop() must still finish (the server ends open streams on close).
    const lingering = await openEvents(aliceSession.cookie);
    expect(lingering.res.status).toBe(200);
    const rows = rowsOf<{ n: number }>(await sys.rt.dbh.db.execute(sql`select count(*)::int as n from sessions`));
    expect(Number(rows[0]?.n)).toBeGreaterThan(0);
  });
});
