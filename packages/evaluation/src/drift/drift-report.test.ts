import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keyring } from '@triage/crypto';
import { driftSamples, schema, upsertPages, type Db, type DriftWindow } from '@triage/db';
import { createTestDb, insertTestDocument, testKeyring, type TestDb } from '@triage/testkit';
import { buildDriftReport, driftExitCode, driftWindows, renderDriftMarkdown, runDriftReport, type DriftReport, type ModelDrift } from './drift-report.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const W = driftWindows(NOW, DAY, 30 * DAY);
const OPTS = { now: NOW, liveMs: DAY, referenceMs: 30 * DAY };

type Mix = Record<string, number>;
type Profile = { specialty: Mix; specConf: [number, number] };
const BASE: Profile = { specialty: { cardiology: 0.5, dermatology: 0.3, neurology: 0.2 }, specConf: [0.7, 0.95] };
const SHIFTED: Profile = { specialty: { cardiology: 0.15, dermatology: 0.25, neurology: 0.6 }, specConf: [0.4, 0.7] };
const URGENCY: Mix = { routine: 0.6, urgent: 0.3, emergent: 0.1 };

/** Label i of n by quota (exact shares), interleaved so that labels and evenly spaced values do not line up. */
function labelAt(mix: Mix, i: number, n: number): string {
  const labels = Object.keys(mix);
  const slot = (i * 7919) % n; // a permutation of 0..n-1 when n is not a multiple of 7919
  let acc = 0;
  for (const l of labels) if (slot < (acc += Math.round(mix[l]! * n))) return l;
  return labels[labels.length - 1]!;
}
const spread = ([lo, hi]: [number, number], u: number) => lo + (hi - lo) * u;

type Seeded = { documentId: string; specialty: string; urgency: string };

/** n documents in the window: evenly spaced values (offset shifts the grid), one OCR'd sealed page each. */
async function seedWindow(db: Db, ring: Keyring, model: string, w: DriftWindow, n: number, p: Profile, offset: number): Promise<Seeded[]> {
  const out: Seeded[] = [];
  for (let start = 0; start < n; start += 5) {
    const batch = Array.from({ length: Math.min(5, n - start) }, (_, k) => start + k);
    out.push(
      ...(await Promise.all(
        batch.map(async (i) => {
          const u = (i + offset) / n;
          const doc = await insertTestDocument(db);
          const text = 'x'.repeat(Math.round(spread([200, 4000], u)));
          await upsertPages(db, [{ documentId: doc.id, pageNo: 1, source: 'ocr', text, ocrConfidence: spread([0.6, 0.98], u) }], ring);
          const specialty = labelAt(p.specialty, i, n);
          const urgency = labelAt(URGENCY, (i * 31) % n, n);
          const createdAt = new Date(w.from.getTime() + (w.to.getTime() - w.from.getTime()) * ((i + 0.5) / n));
          await db.insert(schema.classifications).values({
            documentId: doc.id, run: 1, urgency, urgencyConfidence: spread([0.6, 0.9], u), specialty, specialtyConfidence: spread(p.specConf, u),
            probabilities: {}, evidence: [], modelVersion: model, createdAt,
          });
          return { documentId: doc.id, specialty, urgency };
        }),
      )),
    );
  }
  return out;
}

const NEXT: Record<string, string> = { cardiology: 'dermatology', dermatology: 'neurology', neurology: 'cardiology' };

/** 20 reviewed cases per predicted specialty: 18 confirmed, 2 corrected (so C is 0.9 on the diagonal). */
async function seedReviews(db: Db, model: string, docs: Seeded[]): Promise<void> {
  for (const spec of Object.keys(NEXT)) {
    const picked = docs.filter((d) => d.specialty === spec).slice(0, 20);
    expect(picked).toHaveLength(20);
    for (const [k, d] of picked.entries()) {
      const decidedAt = new Date(W.reference.from.getTime() + DAY + k * 3_600_000);
      const [ref] = await db.insert(schema.referrals).values({
        documentId: d.documentId, decision: 'reviewed', state: 'routed', urgency: d.urgency, urgencyConfidence: 0.5, specialty: spec,
        specialtyConfidence: 0.5, reasons: [], modelVersion: model, policyVersion: 'p1', decidedBy: 'reviewer',
      }).returning();
      // Corrected: the true label is the one whose 10% errors land on `spec`, so every column of C is 0.9 / 0.1.
      const truth = Object.keys(NEXT).find((t) => NEXT[t] === spec)!;
      const decision = k < 18 ? { action: 'confirm' } : { action: 'correct', urgency: d.urgency, specialty: truth };
      await db.insert(schema.reviewTasks).values({
        documentId: d.documentId, referralId: ref!.id, status: 'decided', reasons: [], decision, decidedAt, createdAt: decidedAt,
        predictedUrgency: d.urgency, predictedSpecialty: spec, modelVersion: model,
      });
    }
  }
}

const feature = (m: ModelDrift | undefined, name: string) => m?.features.find((f) => f.feature === name);
const statuses = (m: ModelDrift | undefined) => Object.fromEntries((m?.features ?? []).map((f) => [f.feature, f.status]));

describe('drift report (stage, real Postgres)', () => {
  let tdb: TestDb;
  let report: DriftReport;
  const ring = testKeyring();
  beforeAll(async () => {
    tdb = await createTestDb();
    const db = tdb.db;
    for (const [model, prev, live] of [['lr-shift', SHIFTED, SHIFTED], ['lr-stable', BASE, BASE], ['lr-blip', BASE, SHIFTED]] as const) {
      const ref = await seedWindow(db, ring, model, W.reference, 150, BASE, 0.5);
      await seedWindow(db, ring, model, W.previous, 100, prev, 0.3);
      await seedWindow(db, ring, model, W.live, 100, live, 0.7);
      if (model !== 'lr-blip') await seedReviews(db, model, ref);
    }
    await seedWindow(db, ring, 'lr-small', W.reference, 30, BASE, 0.5);
    await seedWindow(db, ring, 'lr-small', W.live, 20, SHIFTED, 0.5);
    report = await runDriftReport(db, { ...OPTS, actor: 'cli:test' });
  });
  afterAll(async () => tdb?.drop());

  it('raises an alert on the specialty mix, its confidence and the estimated true specialty shift, when both windows drift', () => {
    const m = report.models.find((x) => x.model === 'lr-shift');
    expect(statuses(m)).toEqual({
      kind: 'ok', text_bytes: 'ok', ocr_confidence: 'ok', urgency: 'ok', specialty: 'alert', urgency_confidence: 'ok',
      specialty_confidence: 'alert', urgency_label_shift: 'ok', specialty_label_shift: 'alert',
    });
    expect(m?.status).toBe('alert');
    expect(feature(m, 'specialty')?.test).toMatchObject({ name: 'chi2', df: 2 });
    expect(feature(m, 'specialty')!.test!.pValue).toBeLessThan(1e-6);
    expect(feature(m, 'specialty_confidence')!.test).toMatchObject({ name: 'ks', statistic: 1 });
    // Live predicted neurology 0.6 under C = 0.9 diag: C⁻¹·μ puts true neurology higher still.
    expect(feature(m, 'specialty_label_shift')!.estimate!.neurology).toBeGreaterThan(0.6);
    expect(report.status).toBe('alert');
    expect(driftExitCode(report)).toBe(2);
  });

  it('keeps unshifted features and models ok', () => {
    const m = report.models.find((x) => x.model === 'lr-stable');
    expect(m?.status).toBe('ok');
    expect(new Set(Object.values(statuses(m)))).toEqual(new Set(['ok']));
    for (const f of m!.features) expect(f.psi!).toBeLessThan(0.05);
    expect(feature(m, 'text_bytes')!.test!.pValue).toBeGreaterThan(0.5);
  });

  it('needs two consecutive windows for an alert: one shifted day is a warning', () => {
    const m = report.models.find((x) => x.model === 'lr-blip');
    expect(feature(m, 'specialty')).toMatchObject({ status: 'warn' });
    expect(feature(m, 'specialty')!.psi!).toBeGreaterThan(0.25);
    expect(feature(m, 'specialty')!.previousPsi!).toBeLessThan(0.1);
    expect(feature(m, 'specialty_confidence')?.status).toBe('warn');
    expect(feature(m, 'specialty_label_shift')).toMatchObject({ status: 'not_estimable', note: '0 reviewed cases (need 50)' });
    expect(m?.status).toBe('warn');
  });

  it('says insufficient data below the minimum sample, never a verdict', async () => {
    const m = report.models.find((x) => x.model === 'lr-small');
    expect(new Set(Object.values(statuses(m)))).toEqual(new Set(['insufficient']));
    expect(m?.status).toBe('insufficient');
    expect(feature(m, 'specialty')).toMatchObject({ psi: null, n: { reference: 30, previous: 0, live: 20 } });
    const lowered = await buildDriftReport(tdb.db, { ...OPTS, model: 'lr-small', minSamples: 20 });
    expect(feature(lowered.models[0], 'specialty')?.status).toBe('warn'); // no previous window: never alert
  });

  it('writes a drift_report event (names, statuses, PSI) and a drift_alert event, no document content', async () => {
    const rows = await tdb.db.select().from(schema.auditEvents);
    const byAction = (a: string) => rows.filter((r) => r.action === a);
    expect(byAction('drift_report')).toHaveLength(1);
    const detail = byAction('drift_report')[0]!.detail as { status: string; models: { model: string; features: { feature: string; status: string; psi: number | null }[] }[] };
    expect(detail.status).toBe('alert');
    expect(detail.models.map((m) => m.model).sort()).toEqual(['lr-blip', 'lr-shift', 'lr-small', 'lr-stable']);
    expect(Object.keys(detail.models[0]!.features[0]!).sort()).toEqual(['feature', 'psi', 'status']);
    const alert = byAction('drift_alert');
    expect(alert).toHaveLength(1);
    expect(alert[0]!.detail).toMatchObject({ models: [{ model: 'lr-shift', features: [{ feature: 'specialty' }, { feature: 'specialty_confidence' }, { feature: 'specialty_label_shift' }] }] });
    expect(JSON.stringify(rows.map((r) => r.detail))).not.toMatch(/xxxx|tc1:/);

    const ok = await runDriftReport(tdb.db, { ...OPTS, model: 'lr-stable', actor: 'cli:test' });
    expect([ok.status, driftExitCode(ok)]).toEqual(['ok', 0]);
    const after = await tdb.db.select().from(schema.auditEvents);
    expect(after.filter((r) => r.action === 'drift_report')).toHaveLength(2);
    expect(after.filter((r) => r.action === 'drift_alert')).toHaveLength(1);
  });

  it('reads text length off the ciphertext (UTF-8 bytes), skips purged pages, averages OCR confidence only where OCR ran', async () => {
    const db = tdb.db;
    const doc = await insertTestDocument(db);
    await upsertPages(db, [
      { documentId: doc.id, pageNo: 1, source: 'text-layer', text: 'é'.repeat(10) + 'x'.repeat(100), ocrConfidence: null },
      { documentId: doc.id, pageNo: 2, source: 'ocr', text: 'y'.repeat(7), ocrConfidence: 0.5 },
      { documentId: doc.id, pageNo: 3, source: 'ocr', text: 'z'.repeat(999), ocrConfidence: 0.9, purgedAt: new Date() },
    ], ring);
    const at = new Date(NOW.getTime() + DAY);
    await db.insert(schema.classifications).values({ documentId: doc.id, run: 1, urgency: 'routine', urgencyConfidence: 0.8, specialty: 'cardiology', specialtyConfidence: 0.8, probabilities: {}, evidence: [], modelVersion: 'lr-bytes', createdAt: at });
    const [s] = await driftSamples(db, 'lr-bytes', { from: at, to: new Date(at.getTime() + 1) });
    expect(s).toMatchObject({ kind: 'text', textBytes: 127, urgency: 'routine', specialty: 'cardiology' });
    expect(s!.ocrConfidence).toBeCloseTo(0.7, 6);
  });

  it('renders Markdown with a row per feature', () => {
    const md = renderDriftMarkdown(report);
    expect(md).toMatch(/^# Drift report: ALERT/);
    expect(md).toContain('## Model `lr-shift`: ALERT');
    expect(md.split('\n').filter((l) => l.startsWith('| input: ') || l.startsWith('| output: '))).toHaveLength(4 * 9);
  });
});
