import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@triage/db';
import { makeScanPng } from '@triage/documents';
import { waitFor } from '@triage/testkit';
import { BACK_LETTER, ORTHO_LETTER, SCAN_TEXT } from '../e2e/letters.ts';
import { reviewEverything, startSystem, type System } from '../e2e/system.ts';
import { artifact, launchChromium, pngSize, signIn } from './browser.ts';

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));
// Short enough that the expiry test waits seconds, long enough that a busy 2-core machine still renews in time.
const LEASE_MS = 6000;

let sys: System;
let browser: Browser;
let intake: string;
let admin: string;
let raceTaskId: string | undefined; // left open by the race test; the expiry test's "next case"
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // Thresholds at one: nothing is confident enough, every case goes to a person.
  sys = await startSystem({
    policy: reviewEverything(basePolicy),
    env: { REVIEW_LEASE_MS: String(LEASE_MS), OCR_MIN_CONFIDENCE: '0' },
  });
  intake = await sys.token('intake');
  admin = await sys.token('admin', 'admin-browser');
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await sys?.stop();
});

const pageErrors: string[] = [];
async function newPage(): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  contexts.push(ctx);
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}
// An uncaught exception in the UI fails the test that caused it, even if the screen looked right.
afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

const api = async (path: string, init: RequestInit = {}, token = admin) => {
  const res = await fetch(`${sys.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
};
const upload = async (body: string | Buffer, type: string): Promise<string> => {
  const r = await api('/v1/documents', { method: 'POST', headers: { 'content-type': type }, body }, intake);
  expect(r.status).toBe(202);
  return r.body.id as string;
};
const docStatus = (id: string, want: string) =>
  waitFor(
    async () => {
      const r = await api(`/v1/documents/${id}`);
      return r.body?.status === want ? r.body : undefined;
    },
    { timeoutMs: 120_000, what: `document ${id} to be ${want}` },
  );
type Summary = { id: string; documentId: string; urgency: string; specialty: string; claim: { by: string } | null };
const taskFor = async (documentId: string): Promise<Summary> =>
  waitFor(async () => ((await api('/v1/review/tasks?status=open')).body?.tasks as Summary[] | undefined)?.find((t) => t.documentId === documentId), {
    timeoutMs: 30_000,
    what: `a review task for ${documentId}`,
  });
const claimText = (page: Page) => page.getByTestId('claim-state').innerText();
/** Releases someone asked for (the audit trail's `review_released`; a lapsed lease records none). */
const releasesOf = async (taskId: string) =>
  (await sys.rt.dbh.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, 'review_released'))).filter(
    (e) => (e.detail as { taskId?: string } | null)?.taskId === taskId,
  ).length;

describe('review UI in a real browser', () => {
  it('signs in, sees a scanned case arrive live, reads it and corrects it with the keyboard; routed and emailed once', async () => {
    const page = await newPage();
    const reviewer = await sys.token('reviewer', 'alice');
    await page.goto(`${sys.url}/review/`);
    await page.getByLabel('Access token').fill('trt_not-a-real-token');
    await page.keyboard.press('Enter');
    expect(await page.getByRole('alert').innerText()).toMatch(/not valid/);
    await signIn(page, sys.url, reviewer);
    expect(await page.getByTestId('signed-in-as').innerText()).toContain('alice');
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    await expect.poll(() => page.getByTestId('live-state').innerText(), { timeout: 15_000 }).toBe('Live');
    await page.evaluate('window.__sameDocument = true');

    // A rotated PNG scan: OCR, low confidence everywhere (thresholds at one), so it lands in review.
    const docId = await upload(await makeScanPng(SCAN_TEXT, 90), 'image/png');
    const row = page.locator(`tr[data-document-id="${docId}"]`);
    await row.waitFor({ timeout: 120_000 });
    expect(await page.evaluate('window.__sameDocument')).toBe(true); // arrived without a reload
    expect(await row.getByRole('list', { name: 'Reasons' }).innerText()).toMatch(/unsure specialty/);
    expect(await row.getByTestId('sla').innerText()).toMatch(/left$/);
    expect(await row.getByTestId('claim').innerText()).toBe('Free');
    await page.screenshot({ path: artifact('review-queue.png'), fullPage: true });

    const task = await taskFor(docId);
    await row.locator('a.case-link').click();
    await page.waitForURL(`**/review/case/${task.id}`);
    await expect.poll(() => claimText(page), { timeout: 15_000 }).toMatch(/You hold this case/);
    // A reload keeps the session (cookie) and fetches a fresh CSRF token: the claim is taken again.
    await page.reload();
    await expect.poll(() => claimText(page), { timeout: 15_000 }).toMatch(/You hold this case/);
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    expect(await page.getByRole('dialog').count()).toBe(0);

    // Evidence highlighted inside the extracted text; each mark is a real slice of that text.
    const marks = page.locator('.letter mark[data-head]');
    await marks.first().waitFor();
    expect(await marks.count()).toBeGreaterThan(0);
    const letter = (await page.locator('.letter').allInnerTexts()).join('\n');
    for (const m of await marks.allInnerTexts()) expect(letter).toContain(m);
    expect(await page.getByTestId('ocr-confidence').first().innerText()).toMatch(/OCR confidence \d+%/);
    expect(await page.getByTestId('reasons').innerText()).toContain('Model unsure of the specialty');
    // Every decision explains itself: which rule held the team, which set the priority.
    expect(await page.getByTestId('basis').innerText()).toMatch(/Undecided: .*\n(Model|Stated priority|Red flag|Conservative): /);

    // The page image: loaded in the page, a real PNG, turned upright (the scan was sent landscape).
    const img = page.getByRole('img', { name: 'Page 1 of 1, as received' });
    await expect.poll(() => img.evaluate((el) => {
      const i = el as unknown as { complete: boolean; naturalWidth: number };
      return i.complete ? i.naturalWidth : 0;
    }), { timeout: 30_000 }).toBeGreaterThan(0);
    const src = await img.getAttribute('src');
    const res = await page.request.get(new URL(src!, sys.url).toString());
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('image/png');
    const size = pngSize(await res.body());
    expect(size.height).toBeGreaterThan(size.width);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    expect(await page.getByLabel('Zoom level').innerText()).toBe('125%');
    await page.keyboard.press('-');
    expect(await page.getByLabel('Zoom level').innerText()).toBe('100%');
    await page.screenshot({ path: artifact('review-case.png'), fullPage: true });

    // Correct with the keyboard only: urgency by digit, S to the specialty, type it, Enter.
    const urgencies = ['emergent', 'urgent', 'routine'];
    const newUrgency = urgencies.find((u) => u !== task.urgency)!;
    const newSpecialty = task.specialty === 'Nephrology' ? 'Urology' : 'Nephrology';
    await page.locator('body').focus();
    await page.keyboard.press(String(urgencies.indexOf(newUrgency) + 1));
    await page.keyboard.press('s');
    await page.keyboard.type(newSpecialty);
    await page.screenshot({ path: artifact('review-case-correct.png') });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status').first().innerText(), { timeout: 15_000 }).toMatch(/Decision saved \(correct\)/);

    const routed = await docStatus(docId, 'routed');
    expect(routed.triage).toMatchObject({ decidedBy: 'reviewer', urgency: { label: newUrgency }, specialty: { label: newSpecialty } });
    const db = sys.rt.dbh.db;
    const [decidedTask] = await db.select().from(schema.reviewTasks).where(eq(schema.reviewTasks.id, task.id));
    expect(decidedTask?.decision).toMatchObject({ action: 'correct', urgency: newUrgency, specialty: newSpecialty, reason: 'wrong_urgency_and_specialty' });
    const referrals = await db.select().from(schema.referrals).where(eq(schema.referrals.documentId, docId));
    expect(referrals).toHaveLength(1);
    const referral = referrals[0]!;
    expect(referral.teamEmail).toBe(basePolicy.teams[newSpecialty].email);
    const sent = await waitFor(async () => {
      const rows = await db.select().from(schema.outbox).where(eq(schema.outbox.documentId, docId));
      return rows.length && rows.every((r) => r.status === 'sent') ? rows : undefined;
    });
    expect(sent).toHaveLength(1);
    const mailsFor = () => sys.smtp.messages.filter((m) => m.raw.replace(/=\r?\n/g, '').includes(referral.id));
    expect(mailsFor()).toHaveLength(1);
    expect(mailsFor()[0]!.to).toEqual([referral.teamEmail]);
    await new Promise((r) => setTimeout(r, 1000)); // a late duplicate would show up here
    expect(mailsFor()).toHaveLength(1);
  });

  it('two reviewers race for a red-flag case: one holds it, the other sees who; leaving releases it to the other', async () => {
    const docId = await upload(BACK_LETTER, 'text/plain');
    await docStatus(docId, 'needs_review');
    const task = await taskFor(docId);
    const [rita, sam] = [await newPage(), await newPage()];
    await Promise.all([signIn(rita, sys.url, await sys.token('reviewer', 'rita')), signIn(sam, sys.url, await sys.token('reviewer', 'sam'))]);

    await Promise.all([rita.goto(`${sys.url}/review/case/${task.id}`), sam.goto(`${sys.url}/review/case/${task.id}`)]);
    const settled = async (p: Page) => {
      await expect.poll(() => claimText(p), { timeout: 15_000 }).toMatch(/You hold this case|Held by/);
      return claimText(p);
    };
    const [r, s] = await Promise.all([settled(rita), settled(sam)]);
    const ritaWon = /You hold/.test(r);
    const [winner, loser, winnerName] = ritaWon ? [rita, sam, 'rita'] : [sam, rita, 'sam'];
    expect(ritaWon ? s : r).toMatch(new RegExp(`Held by ${winnerName}`));
    expect((await taskFor(docId)).claim?.by).toBe(winnerName);
    expect(await winner.getByRole('button', { name: /Confirm and route/ }).isEnabled()).toBe(true);
    expect(await loser.getByRole('button', { name: /Confirm and route/ }).isEnabled()).toBe(false);
    await loser.locator('body').focus();
    await loser.keyboard.press('c');
    await loser.keyboard.press('Enter');
    expect((await api(`/v1/documents/${docId}`)).body.status).toBe('needs_review');
    await loser.screenshot({ path: artifact('review-case-held.png') });

    // The red flag is named in words and marked in the text, and the case is flagged suspected emergent.
    expect(await winner.getByTestId('reasons').innerText()).toMatch(/Red flag: Cauda equina/);
    const flagged = winner.locator('.letter mark[data-red-flag~="cauda-equina"]');
    expect(await flagged.count()).toBeGreaterThan(0);
    expect((await flagged.allInnerTexts()).join('')).toMatch(/saddle an(a)?esthesia|urinary retention/i);
    expect(await winner.locator('.case-head .badge-emergent').innerText()).toBe('Suspected emergent');
    await winner.screenshot({ path: artifact('review-case-red-flag.png'), fullPage: true });

    // The winner walks away: the release goes out, the loser's screen takes the case by itself.
    await winner.getByRole('button', { name: '← Queue' }).click();
    await expect.poll(() => claimText(loser), { timeout: 20_000 }).toMatch(/You hold this case/);
    const loserName = winnerName === 'rita' ? 'sam' : 'rita';
    expect((await taskFor(docId)).claim?.by).toBe(loserName);
    // And the winner's queue shows who holds it now, live.
    const row = winner.locator(`tr[data-document-id="${docId}"]`);
    await expect.poll(() => row.getByTestId('claim').innerText(), { timeout: 20_000 }).toBe(`Held by ${loserName}`);

    // Closing the tab releases too (keepalive request on pagehide). What proves it was the tab and not the lease
    // running out is the release itself on the audit trail (an expiry writes none), not how fast the row turned.
    const releasedBefore = await releasesOf(task.id);
    await loser.close({ runBeforeUnload: true });
    await expect.poll(() => row.getByTestId('claim').innerText(), { timeout: 20_000 }).toBe('Free');
    expect((await taskFor(docId)).claim).toBeNull();
    expect(await releasesOf(task.id)).toBe(releasedBefore + 1);
    raceTaskId = task.id;
  });

  it('an abandoned lease expires and another reviewer can take the case; the first one is told', async () => {
    const docId = await upload(ORTHO_LETTER, 'text/plain');
    await docStatus(docId, 'needs_review');
    const task = await taskFor(docId);
    const carol = await newPage();
    const dave = await newPage();
    await signIn(carol, sys.url, await sys.token('reviewer', 'carol'), `/review/case/${task.id}`);
    await expect.poll(() => claimText(carol), { timeout: 15_000 }).toMatch(/You hold this case/);

    // Carol's network drops: no renewals, no release; the lease runs out on its own.
    await carol.context().setOffline(true);
    await expect.poll(() => claimText(carol), { timeout: LEASE_MS * 2 }).toMatch(/Connection problem/);
    await waitFor(async () => ((await taskFor(docId)).claim === null ? true : undefined), { timeoutMs: LEASE_MS * 4, what: 'the lease to expire' });

    await signIn(dave, sys.url, await sys.token('reviewer', 'dave'), `/review/case/${task.id}`);
    await expect.poll(() => claimText(dave), { timeout: 15_000 }).toMatch(/You hold this case/);

    await carol.context().setOffline(false);
    await expect.poll(() => claimText(carol), { timeout: LEASE_MS * 3 }).toMatch(/Held by dave/);
    expect(await carol.getByRole('button', { name: /Confirm and route/ }).isEnabled()).toBe(false);

    await dave.locator('body').focus();
    await dave.keyboard.press('c');
    await dave.keyboard.press('Enter');
    const routed = await docStatus(docId, 'routed');
    expect(routed.triage.decidedBy).toBe('reviewer');
    // The next free case opens by itself, claimed for dave.
    expect(raceTaskId).toBeTruthy();
    await dave.waitForURL(`**/review/case/${raceTaskId}`);
    await expect.poll(() => claimText(dave), { timeout: 15_000 }).toMatch(/You hold this case/);
    expect(await dave.getByRole('status').first().innerText()).toMatch(/Decision saved \(confirm\)\. Next case opened/);
  });
});
