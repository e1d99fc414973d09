import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@triage/db';
import { waitFor } from '@triage/testkit';
import { makeScanPng } from '@triage/documents';
import { ORTHO_LETTER, SCAN_TEXT } from '../e2e/letters.ts';
import { reviewEverything, startSystem, type System } from '../e2e/system.ts';
import { artifact, launchChromium, signIn } from './browser.ts';

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));

// A made-up patient and referrer; the letter gives no insurance, which this policy requires.
const LETTER = `Dear Cardiology colleagues,
Re: Mr Orrin Vantablack, DOB 04/05/1958, MRN 4455123
I would be grateful if you could see this 66-year-old man with exertional chest tightness. Please see urgently.
Dr A. Patel, Riverside Family Practice, NPI 1234567893, fax 555-201-3344
`;

let sys: System;
let browser: Browser;
let admin: string;

beforeAll(async () => {
  // Thresholds at one send every case to a person; the extra required field makes this one wait on the referrer.
  sys = await startSystem({
    policy: {
      // No possible-emergency hold: a routine case missing information waits on the referrer.
      ...reviewEverything(basePolicy, { emergentReview: 1 }),
      requiredFields: { all: ['patientName', 'birthDate', 'insuranceMemberId'], teams: {} },
    },
  });
  admin = await sys.token('admin', 'admin-fields');
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

const pageErrors: string[] = [];
afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

const api = async (path: string, init: RequestInit = {}, token = admin) => {
  const res = await fetch(`${sys.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
};
type Summary = { id: string; documentId: string; status: string; urgency: string; reasons: string[] };
/** The task once the pipeline is done with the document; on a timeout, says where the document got to. */
async function taskIn(status: 'open' | 'information_requested' | 'any', documentId: string, timeoutMs = 120_000): Promise<Summary> {
  const find = async (s: string) => ((await api(`/v1/review/tasks?status=${s}`)).body?.tasks as Summary[] | undefined)?.find((t) => t.documentId === documentId);
  const done = await waitFor(async () => (await find('open')) ?? (await find('information_requested')) ?? undefined, {
    timeoutMs,
    what: `a review task for ${documentId}`,
  }).catch(() => undefined);
  if (!done || (status !== 'any' && done.status !== status)) {
    const d = (await api(`/v1/documents/${documentId}`)).body;
    throw new Error(`expected a ${status} task for ${documentId}; task: ${JSON.stringify(done ?? null)}; document ${d?.status}: ${JSON.stringify(d?.triage)} ${JSON.stringify(d?.error)}`);
  }
  return done;
}
const taskStatus = async (taskId: string) => (await api(`/v1/review/tasks/${taskId}`)).body?.task?.status as string | undefined;

describe('referral fields in the review UI', () => {
  it('shows what was read with confidence and source, points at it in the text, takes corrections, and tracks the request to the referrer', async () => {
    const intake = await sys.token('intake');
    const upload = async (body: string) => {
      const r = await api('/v1/documents', { method: 'POST', headers: { 'content-type': 'text/plain' }, body }, intake);
      expect(r.status).toBe(202);
      return r.body.id as string;
    };
    const docId = await upload(LETTER);
    const parkedId = await upload(ORTHO_LETTER);
    // A knee referral, no insurance either, nothing urgent about it: it waits on the referrer from the start, clock stopped.
    const parked = await taskIn('information_requested', parkedId);
    expect(parked.reasons).toContain('missing_information:insuranceMemberId');
    // Chest tightness reads as emergent to the model: never parked, a person looks now (and can ask the referrer).
    const task = await taskIn('open', docId);
    expect(task).toMatchObject({ urgency: 'emergent' });
    expect(task.reasons).toContain('missing_information:insuranceMemberId');

    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, sys.url, await sys.token('reviewer', 'fiona'));

    // The queue's "Waiting on referrer" list has the parked case only; the open list has the other.
    await page.getByLabel('Filter by status').selectOption('information_requested');
    const parkedRow = page.locator(`tr[data-document-id="${parkedId}"]`);
    await parkedRow.waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('queue-summary').innerText()).toMatch(/^1 waiting on the referrer/);
    expect(await parkedRow.getByTestId('sla').innerText()).toBe('clock stopped');
    expect(await parkedRow.getByRole('list', { name: 'Reasons' }).innerText()).toContain('missing insurance member id');
    expect(await page.locator(`tr[data-document-id="${docId}"]`).count()).toBe(0);
    await page.getByLabel('Filter by status').selectOption('');
    const row = page.locator(`tr[data-document-id="${docId}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await page.locator(`tr[data-document-id="${parkedId}"]`).count()).toBe(0);
    await row.locator('a.case-link').click();
    await page.waitForURL(`**/review/case/${task.id}`);
    await expect.poll(() => page.getByTestId('claim-state').innerText(), { timeout: 15_000 }).toMatch(/You hold this case/);

    // The panel: values as read, each with a confidence and where it came from; the gap named.
    const panel = page.getByTestId('fields-panel');
    const field = (name: string) => panel.getByTestId(`field-${name}`);
    const valueOf = (name: string) => field(name).getByTestId('field-value').innerText();
    await field('patientName').waitFor();
    expect(await valueOf('patientName')).toBe('Orrin Vantablack');
    expect(await valueOf('birthDate')).toBe('1958-04-05');
    expect(await valueOf('referredTo')).toMatch(/^Cardiology → Cardiovascular \/ Pulmonary$/i);
    expect(await valueOf('statedPriority')).toBe('urgent');
    for (const name of ['patientName', 'birthDate', 'referredTo', 'statedPriority']) {
      expect(await field(name).getByTestId('field-confidence').innerText()).toMatch(/^(⚠ )?\d{1,3}%( · low)?$/);
      expect(await field(name).getByTestId('field-source').innerText()).toBe('text');
    }
    // A low confidence is marked as such, and only then.
    for (const name of ['patientName', 'birthDate']) {
      const c = Number(await field(name).getAttribute('data-confidence'));
      expect(await field(name).getByTestId('field-confidence').innerText()).toMatch(c < 0.8 ? /low$/ : /^\d+%$/);
    }
    expect(await panel.getByTestId('field-missing').innerText()).toBe('Missing: Insurance member ID');
    expect(await field('insuranceMemberId').innerText()).toMatch(/missing/i);

    // Picking a value (F goes to the panel, Enter picks the first) marks where it was read in the text.
    await page.locator('body').focus();
    await page.keyboard.press('f');
    await page.keyboard.press('Enter');
    const mark = page.locator('.letter mark[data-field="patientName"]');
    await mark.first().waitFor();
    expect((await mark.allInnerTexts()).join('')).toBe('Orrin Vantablack');
    expect(await field('patientName').getByTestId('field-value').getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: artifact('review-fields-panel.png'), fullPage: true });

    // Correct the date of birth from the keyboard: a wrong format is refused inline, then the right one saved.
    await field('birthDate').getByRole('button', { name: 'Edit Date of birth' }).click();
    const input = field('birthDate').getByRole('textbox');
    await input.fill('05/04/1958');
    await input.press('Enter');
    const error = field('birthDate').getByRole('alert');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/birthDate/);
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await input.fill('1958-05-04');
    await input.press('Enter');
    await expect.poll(() => valueOf('birthDate'), { timeout: 15_000 }).toBe('1958-05-04');
    expect(await field('birthDate').getByTestId('field-source').innerText()).toBe('reviewer');
    expect(await field('birthDate').getByTestId('field-confidence').innerText()).toBe('100%');
    // Enter in the field editor saved the field only: no decision went out.
    expect(await taskStatus(task.id)).toBe('open');

    const doc = (await api(`/v1/documents/${docId}`)).body;
    expect(doc.fields.birthDate).toMatchObject({ value: '1958-05-04', source: 'reviewer' });
    const events = (await sys.rt.dbh.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, 'field_corrected'))).filter(
      (e) => e.documentId === docId,
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.detail).toMatchObject({ taskId: task.id, field: 'birthDate', cleared: false });
    // The audit trail names the field, never the value (old or new).
    expect(JSON.stringify(events[0]!.detail)).not.toMatch(/1958|04-05|05-04/);

    // Ask the referrer: the case waits, its clock stopped, and the letter (a new tab) says what is missing.
    expect(await page.getByTestId('information-request-pdf').count()).toBe(0);
    await page.getByRole('button', { name: 'Request information' }).click();
    await expect.poll(() => taskStatus(task.id), { timeout: 15_000 }).toBe('information_requested');
    expect(await page.getByTestId('waiting-on-referrer').innerText()).toMatch(/Waiting on the referrer/);
    expect(await page.getByTestId('task-status').innerText()).toMatch(/clock stopped/);
    const letter = page.getByTestId('information-request-pdf');
    expect(await letter.getAttribute('target')).toBe('_blank');
    const pdf = await page.request.get(new URL((await letter.getAttribute('href'))!, sys.url).toString());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.screenshot({ path: artifact('review-fields-waiting.png'), fullPage: true });

    // The referrer answered: the case is open again, its clock running.
    await page.getByRole('button', { name: 'Information received' }).click();
    await expect.poll(() => taskStatus(task.id), { timeout: 15_000 }).toBe('open');
    await page.getByRole('button', { name: 'Request information' }).waitFor();
    expect(await page.getByTestId('information-request-pdf').count()).toBe(0);
    const requests = await sys.rt.dbh.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.documentId, docId));
    expect(requests.map((e) => e.action)).toEqual(expect.arrayContaining(['information_requested', 'information_request_read', 'information_received']));

    // Adding the value the referrer sent clears the gap (a correction of a field the letter lacked).
    await field('insuranceMemberId').getByRole('button', { name: 'Edit Insurance member ID' }).click();
    await field('insuranceMemberId').getByRole('textbox').fill('ZX-4471-09');
    await field('insuranceMemberId').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => panel.getByTestId('field-missing').count(), { timeout: 15_000 }).toBe(0);
    expect(await valueOf('insuranceMemberId')).toBe('ZX-4471-09');
    expect(await page.getByRole('button', { name: 'Request information' }).count()).toBe(0);
    expect((await api(`/v1/documents/${docId}`)).body.fields.insuranceMemberId).toMatchObject({ source: 'reviewer' });
    expect(await taskStatus(task.id)).toBe('open');
    await page.screenshot({ path: artifact('review-fields-corrected.png'), fullPage: true });
    await ctx.close();
  }, 240_000);

  it('on a scanned page, a picked value is boxed on the page image where OCR read it, at any zoom', async () => {
    const intake = await sys.token('intake');
    // Sent landscape: the box must land on the upright image the server renders.
    const up = await api('/v1/documents', { method: 'POST', headers: { 'content-type': 'image/png' }, body: await makeScanPng(SCAN_TEXT, 90) }, intake);
    expect(up.status).toBe(202);
    const docId = up.body.id as string;
    const task = await taskIn('any', docId, 150_000);
    const detail = (await api(`/v1/review/tasks/${task.id}`)).body;
    const layout = detail.document.pages[0].layout;
    expect(layout).toMatchObject({ imageWidth: expect.any(Number), imageHeight: expect.any(Number), dpi: expect.any(Number) });
    expect(layout.imageHeight).toBeGreaterThan(layout.imageWidth);
    const name = detail.fields?.patientName;
    expect(name, JSON.stringify(detail.fields)).toBeTruthy();
    const box = name.evidence.find((e: { box?: unknown }) => e.box)?.box;
    expect(box, JSON.stringify(name)).toBeTruthy();

    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, sys.url, await sys.token('reviewer', 'gus'), `/review/case/${task.id}`);
    const img = page.getByRole('img', { name: 'Page 1 of 1, as received' });
    await expect.poll(() => img.evaluate((el) => (el as unknown as { complete: boolean; naturalWidth: number }).naturalWidth), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('field-box').count()).toBe(0);

    await page.getByTestId('field-patientName').getByTestId('field-value').click();
    const overlay = page.getByTestId('field-box');
    await overlay.waitFor();
    // The overlay sits where the OCR box is, scaled to the image as shown: same fractions of its width and height.
    const fit = async () => {
      const i = (await img.boundingBox())!;
      const b = (await overlay.boundingBox())!;
      return [(b.x - i.x) / i.width, (b.y - i.y) / i.height, b.width / i.width, b.height / i.height];
    };
    const want = [box.x0 / layout.imageWidth, box.y0 / layout.imageHeight, (box.x1 - box.x0) / layout.imageWidth, (box.y1 - box.y0) / layout.imageHeight];
    const near = (got: number[]) => got.forEach((g, k) => expect(Math.abs(g - want[k]!)).toBeLessThan(0.01));
    near(await fit());
    await page.screenshot({ path: artifact('review-fields-box.png'), fullPage: true });
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    expect(await page.getByLabel('Zoom level').innerText()).toBe('150%');
    near(await fit());
    // And the same value is marked in the OCR text.
    expect((await page.locator('.letter mark[data-field="patientName"]').allInnerTexts()).join(' ')).toContain(name.value.split(' ')[0]);
    await ctx.close();
  }, 240_000);
});
