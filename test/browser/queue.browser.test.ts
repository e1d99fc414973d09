import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '@triage/db';
import { waitFor } from '@triage/testkit';
import { BACK_LETTER, ORTHO_LETTER, URO_LETTER } from '../e2e/letters.ts';
import { reviewEverything, startSystem, type System } from '../e2e/system.ts';
import { artifact, launchChromium, signIn } from './browser.ts';

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));

let sys: System;
let browser: Browser;
let admin: string;

beforeAll(async () => {
  sys = await startSystem({
    policy: reviewEverything(basePolicy),
    // Urgent and routine targets of 1 ms: every case not suspected emergent is overdue at once.
    env: { REVIEW_SLA_URGENT_MS: '1', REVIEW_SLA_ROUTINE_MS: '1' },
  });
  admin = await sys.token('admin', 'admin-queue');
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

const api = async (path: string, init: RequestInit = {}, token = admin) => {
  const res = await fetch(`${sys.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
};
type Summary = { id: string; documentId: string; urgency: string; suspectedEmergent: boolean };

const rowsOf = async (page: Page) =>
  page.locator('tr.task-row').evaluateAll((rows) => rows.map((r) => (r as unknown as { dataset: { documentId: string } }).dataset.documentId));

describe('review queue screen', () => {
  it('orders by risk, highlights overdue cases, filters, and opens cases from the keyboard', async () => {
    const intake = await sys.token('intake');
    const ids: string[] = [];
    for (const letter of [ORTHO_LETTER, URO_LETTER, BACK_LETTER]) {
      const r = await api('/v1/documents', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: letter }, intake);
      expect(r.status).toBe(202);
      ids.push(r.body.id);
    }
    const tasks = await waitFor(
      async () => {
        const l = (await api('/v1/review/tasks?status=open')).body.tasks as Summary[];
        return ids.every((id) => l.some((t) => t.documentId === id)) ? l : undefined;
      },
      { timeoutMs: 60_000, what: 'three review tasks' },
    );
    const back = tasks.find((t) => t.documentId === ids[2])!;
    expect(back.suspectedEmergent).toBe(true);

    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(page, sys.url, await sys.token('reviewer', 'erin'));
    await expect.poll(() => rowsOf(page), { timeout: 15_000 }).toHaveLength(3);

    // The UI keeps the API's risk order (suspected emergent first), with badges and reason chips.
    expect(await rowsOf(page)).toEqual(tasks.map((t) => t.documentId));
    const flags = tasks.map((t) => t.suspectedEmergent);
    expect(flags).toEqual([...flags].sort((a, b) => Number(b) - Number(a)));
    for (const t of tasks) {
      const badge = page.locator(`tr[data-document-id="${t.documentId}"]`).getByTestId('emergent-badge');
      expect(await badge.count()).toBe(t.suspectedEmergent ? 1 : 0);
    }
    const backRow = page.locator(`tr[data-document-id="${back.documentId}"]`);
    expect(await backRow.getByRole('list', { name: 'Reasons' }).innerText()).toMatch(/red flag: cauda equina/);

    // Overdue rows are marked and counted; suspected emergent ones still have time.
    let overdue = 0;
    for (const t of tasks) {
      const row = page.locator(`tr[data-document-id="${t.documentId}"]`);
      const sla = await row.getByTestId('sla').innerText();
      if (t.urgency === 'emergent') expect(sla).toMatch(/left$/);
      else {
        overdue++;
        expect(sla).toMatch(/^overdue/);
        expect(await row.getAttribute('class')).toContain('overdue');
      }
    }
    expect(overdue).toBeGreaterThan(0);
    expect(await page.getByTestId('queue-summary').innerText()).toContain(`${overdue} overdue`);
    await page.screenshot({ path: artifact('review-queue-many.png'), fullPage: true });

    // Filters go to the server and into the address (a reload keeps them).
    await page.getByLabel('Filter by reason').selectOption('red_flag');
    await expect.poll(() => rowsOf(page)).toEqual([back.documentId]);
    expect(page.url()).toContain('reason=red_flag');
    await page.reload();
    await expect.poll(() => rowsOf(page), { timeout: 15_000 }).toEqual([back.documentId]);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rowsOf(page)).toHaveLength(3);

    const someUrgency = tasks[1]!.urgency;
    await page.getByLabel('Filter by urgency').selectOption(someUrgency);
    const want = tasks.filter((t) => t.urgency === someUrgency).map((t) => t.documentId);
    await expect.poll(() => rowsOf(page)).toEqual(want);
    await page.getByLabel('Filter by urgency').selectOption('');
    await page.getByLabel('Filter by age').selectOption('1440');
    await expect.poll(() => page.locator('.empty').innerText()).toMatch(/Nothing waiting for these filters/);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rowsOf(page)).toHaveLength(3);

    // J moves the selection, Enter opens it.
    await page.locator('body').focus();
    await page.keyboard.press('j');
    const second = page.locator('tr.task-row').nth(1);
    expect(await second.getAttribute('aria-current')).toBe('true');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/review/case/${tasks[1]!.id}`);
    await expect.poll(() => page.getByTestId('claim-state').innerText(), { timeout: 15_000 }).toMatch(/You hold this case/);
    // K on the case screen goes to the previous case in queue order (and lets this one go).
    await page.keyboard.press('k');
    await page.waitForURL(`**/review/case/${tasks[0]!.id}`);
    await expect.poll(() => page.getByTestId('claim-state').innerText(), { timeout: 15_000 }).toMatch(/You hold this case/);
    const list = (await api('/v1/review/tasks?status=open')).body.tasks as (Summary & { claim: { by: string } | null })[];
    expect(list.find((t) => t.id === tasks[1]!.id)?.claim).toBeNull();
    expect(list.find((t) => t.id === tasks[0]!.id)?.claim?.by).toBe('erin');

    // Reject from the keyboard: R, pick the reason with the arrow keys, Enter.
    await page.locator('body').focus();
    await page.keyboard.press('r');
    await expect.poll(() => page.getByRole('button', { name: /^Reject/ }).isVisible()).toBe(true);
    await page.keyboard.press('ArrowDown'); // not_a_referral → duplicate
    await page.keyboard.press('Enter');
    const rejected = await waitFor(
      async () => {
        const d = (await api(`/v1/documents/${tasks[0]!.documentId}`)).body;
        return d.status === 'rejected' ? d : undefined;
      },
      { timeoutMs: 60_000, what: 'the rejection to land' },
    );
    expect(rejected.status).toBe('rejected');
    const [row] = await sys.rt.dbh.db.select().from(schema.reviewTasks).where(eq(schema.reviewTasks.id, tasks[0]!.id));
    expect(row).toMatchObject({ status: 'decided', decision: { action: 'reject', reason: 'duplicate' } });

    // After the rejection the next case opened, claimed for erin. Sign-out hands it back, then ends the
    // session on the server (DELETE with the CSRF token): a reload shows the sign-in form.
    await expect.poll(() => page.getByTestId('claim-state').innerText(), { timeout: 15_000 }).toMatch(/You hold this case/);
    const heldByErin = async () =>
      ((await api('/v1/review/tasks?status=open')).body.tasks as (Summary & { claim: { by: string } | null })[]).filter((t) => t.claim?.by === 'erin');
    expect(await heldByErin()).toHaveLength(1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access token').waitFor();
    expect(await heldByErin()).toEqual([]);
    await page.reload();
    await page.getByLabel('Access token').waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
