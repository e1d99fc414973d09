// Drift per model version: reference window vs the live one (and the one before it), input and output features.
import { appendAudit, driftModelVersions, driftReviewedCases, driftSamples, type DriftDocSample, type DriftReviewedCase, type DriftWindow, type Executor } from '@triage/db';
import { bssLabelShift, categoryCounts, chi2Test, ksTest, numericPsi, psiFromCounts, type LabelShift, type TestResult } from './drift-stats.ts';

export const WARN_PSI = 0.1;
export const ALERT_PSI = 0.25;
export const DEFAULT_MIN_SAMPLES = 50;

/** `insufficient` and `not_estimable` are never verdicts: too little data says nothing either way. */
export type DriftStatus = 'ok' | 'warn' | 'alert' | 'insufficient' | 'not_estimable';
export type FeatureDrift = {
  feature: string;
  group: 'input' | 'output';
  kind: 'categorical' | 'numeric' | 'label_shift';
  status: DriftStatus;
  /** Label shift: `reference` counts reviewed cases (the confusion matrix), not predictions. */
  n: { reference: number; previous: number; live: number };
  psi: number | null;
  previousPsi: number | null;
  test: (TestResult & { name: 'ks' | 'chi2' }) | null;
  /** Label shift: the estimated true-label shares of live traffic. */
  estimate?: Record<string, number>;
  note?: string;
};
export type ModelDrift = { model: string; status: DriftStatus; features: FeatureDrift[] };
type IsoWindow = { from: string; to: string };
export type DriftReport = { status: DriftStatus; minSamples: number; windows: { reference: IsoWindow; previous: IsoWindow; live: IsoWindow }; models: ModelDrift[] };
export type DriftOptions = { liveMs: number; referenceMs: number; now?: Date; model?: string | undefined; minSamples?: number };
type Windows = { reference: DriftWindow; previous: DriftWindow; live: DriftWindow };
type Samples = { reference: DriftDocSample[]; previous: DriftDocSample[]; live: DriftDocSample[] };

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
/** `90m`, `12h`, `1d`, `2w` → milliseconds. */
export function parseDuration(s: string): number {
  const m = /^(\d+)([mhdw])$/.exec(s);
  if (!m || Number(m[1]) === 0) throw new Error(`"${s}" is not a duration like 90m, 12h, 1d or 2w`);
  return Number(m[1]) * UNITS[m[2]!]!;
}

/** The reference ends where the previous window starts, so neither window it is compared with is inside it. */
export function driftWindows(now: Date, liveMs: number, referenceMs: number): Windows {
  const t = now.getTime();
  const w = (from: number, to: number): DriftWindow => ({ from: new Date(from), to: new Date(to) });
  return { live: w(t - liveMs, t), previous: w(t - 2 * liveMs, t - liveMs), reference: w(t - 2 * liveMs - referenceMs, t - 2 * liveMs) };
}

// Out-of-vocabulary rate is left out: it needs the words, and page text is sealed. Computing it here would mean
// decrypting every page of both windows (bulk PHI reads for a metric); the vocabulary (the LR artifact's
// features.word.terms) is at hand, the text is not. The classify stage sees the plaintext anyway: it could store
// an oov_rate per classification, and this list would read it like any other numeric column.
type Spec =
  | { feature: string; group: 'input' | 'output'; kind: 'numeric'; value: (s: DriftDocSample) => number | null }
  | { feature: string; group: 'input' | 'output'; kind: 'categorical'; label: (s: DriftDocSample) => string };
const FEATURES: Spec[] = [
  { feature: 'kind', group: 'input', kind: 'categorical', label: (s) => s.kind },
  { feature: 'text_bytes', group: 'input', kind: 'numeric', value: (s) => s.textBytes },
  { feature: 'ocr_confidence', group: 'input', kind: 'numeric', value: (s) => s.ocrConfidence },
  { feature: 'urgency', group: 'output', kind: 'categorical', label: (s) => s.urgency },
  { feature: 'specialty', group: 'output', kind: 'categorical', label: (s) => s.specialty },
  { feature: 'urgency_confidence', group: 'output', kind: 'numeric', value: (s) => s.urgencyConfidence },
  { feature: 'specialty_confidence', group: 'output', kind: 'numeric', value: (s) => s.specialtyConfidence },
];

/** Alert needs both the live and the previous window at ALERT_PSI: one bad day is a warning, not a page. */
export function statusOf(psi: number, previousPsi: number | null): DriftStatus {
  if (psi >= ALERT_PSI && previousPsi !== null && previousPsi >= ALERT_PSI) return 'alert';
  return psi >= WARN_PSI ? 'warn' : 'ok';
}

const RANK: Record<DriftStatus, number> = { alert: 4, warn: 3, ok: 2, insufficient: 1, not_estimable: 0 };
export function worst(statuses: DriftStatus[]): DriftStatus {
  const verdicts = statuses.filter((s) => RANK[s] >= 2);
  return verdicts.length ? verdicts.reduce((a, b) => (RANK[b] > RANK[a] ? b : a)) : 'insufficient';
}

function judge<T>(f: Omit<FeatureDrift, 'status' | 'n' | 'psi' | 'previousPsi' | 'test'>, w: { reference: T[]; previous: T[]; live: T[] }, psiOf: (a: T[], b: T[]) => number, test: (a: T[], b: T[]) => FeatureDrift['test'], min: number): FeatureDrift {
  const n = { reference: w.reference.length, previous: w.previous.length, live: w.live.length };
  if (n.reference < min || n.live < min) return { ...f, status: 'insufficient', n, psi: null, previousPsi: null, test: null, note: `need ${min} per window` };
  const psi = psiOf(w.reference, w.live);
  const previousPsi = n.previous >= min ? psiOf(w.reference, w.previous) : null;
  return { ...f, status: statusOf(psi, previousPsi), n, psi, previousPsi, test: test(w.reference, w.live) };
}

const catPsi = (a: string[], b: string[]) => { const c = categoryCounts(a, b); return psiFromCounts(c.ref, c.live); };
const chi2 = (a: string[], b: string[]) => { const c = categoryCounts(a, b); return { name: 'chi2' as const, ...chi2Test(c.ref, c.live) }; };
const ks = (a: number[], b: number[]) => ({ name: 'ks' as const, ...ksTest(a, b) });

function labelShift(head: 'urgency' | 'specialty', s: Samples, reviewed: DriftReviewedCase[], min: number): FeatureDrift {
  const pairs = reviewed.map((r) => (head === 'urgency' ? { predicted: r.predictedUrgency, actual: r.trueUrgency } : { predicted: r.predictedSpecialty, actual: r.trueSpecialty }));
  const preds = (xs: DriftDocSample[]) => xs.map((x) => x[head]);
  const f = { feature: `${head}_label_shift`, group: 'output' as const, kind: 'label_shift' as const, test: null };
  const n = { reference: pairs.length, previous: s.previous.length, live: s.live.length };
  if (s.reference.length < min || s.live.length < min) return { ...f, status: 'insufficient', n, psi: null, previousPsi: null, note: `need ${min} per window` };
  const [ref, live, prev] = [s.reference, s.live, s.previous].map((w) => bssLabelShift(pairs, preds(w), min)) as [LabelShift, LabelShift, LabelShift];
  if (ref.kind !== 'estimated') return { ...f, status: 'not_estimable', n, psi: null, previousPsi: null, note: ref.reason };
  if (live.kind !== 'estimated') return { ...f, status: 'not_estimable', n, psi: null, previousPsi: null, note: live.reason };
  const psi = psiFromCounts(ref.distribution, live.distribution);
  const previousPsi = prev.kind === 'estimated' && s.previous.length >= min ? psiFromCounts(ref.distribution, prev.distribution) : null;
  const estimate = Object.fromEntries(live.labels.map((l, i) => [l, Math.round(live.distribution[i]! * 1000) / 1000]));
  return { ...f, status: statusOf(psi, previousPsi), n, psi, previousPsi, estimate, ...(live.clipped ? { note: 'negative shares clipped' } : {}) };
}

/** Pure: every feature of one model version from its three windows' samples and the reference's reviewed cases. */
export function modelDrift(model: string, s: Samples, reviewed: DriftReviewedCase[], min: number): ModelDrift {
  const features = FEATURES.map((spec) => {
    const { feature, group, kind } = spec;
    if (spec.kind === 'categorical') {
      const w = { reference: s.reference.map(spec.label), previous: s.previous.map(spec.label), live: s.live.map(spec.label) };
      return judge({ feature, group, kind }, w, catPsi, chi2, min);
    }
    const vals = (xs: DriftDocSample[]) => xs.map(spec.value).filter((v): v is number => v !== null && Number.isFinite(v));
    return judge({ feature, group, kind }, { reference: vals(s.reference), previous: vals(s.previous), live: vals(s.live) }, numericPsi, ks, min);
  });
  features.push(labelShift('urgency', s, reviewed, min), labelShift('specialty', s, reviewed, min));
  return { model, status: worst(features.map((f) => f.status)), features };
}

export async function buildDriftReport(db: Executor, opts: DriftOptions): Promise<DriftReport> {
  const min = opts.minSamples ?? DEFAULT_MIN_SAMPLES;
  const w = driftWindows(opts.now ?? new Date(), opts.liveMs, opts.referenceMs);
  const models = opts.model ? [opts.model] : await driftModelVersions(db, w.live);
  const out: ModelDrift[] = [];
  for (const model of models) {
    const [reference, previous, live, reviewed] = await Promise.all([
      driftSamples(db, model, w.reference),
      driftSamples(db, model, w.previous),
      driftSamples(db, model, w.live),
      driftReviewedCases(db, model, w.reference),
    ]);
    out.push(modelDrift(model, { reference, previous, live }, reviewed, min));
  }
  const iso = (x: DriftWindow) => ({ from: x.from.toISOString(), to: x.to.toISOString() });
  return { status: worst(out.map((m) => m.status)), minSamples: min, windows: { reference: iso(w.reference), previous: iso(w.previous), live: iso(w.live) }, models: out };
}

const round = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);

/** Audit: feature names, statuses and PSI values (labels and numbers only, no document content). */
export async function recordDriftAudit(db: Executor, r: DriftReport, actor: string): Promise<void> {
  const models = r.models.map((m) => ({ model: m.model, status: m.status, features: m.features.map((f) => ({ feature: f.feature, status: f.status, psi: round(f.psi) })) }));
  await appendAudit(db, { actor, action: 'drift_report', detail: { status: r.status, windows: r.windows, models } });
  if (r.status !== 'alert') return;
  const alerting = r.models
    .filter((m) => m.status === 'alert')
    .map((m) => ({ model: m.model, features: m.features.filter((f) => f.status === 'alert').map((f) => ({ feature: f.feature, psi: round(f.psi), previousPsi: round(f.previousPsi) })) }));
  await appendAudit(db, { actor, action: 'drift_alert', detail: { windows: { live: r.windows.live, previous: r.windows.previous }, models: alerting } });
}

export async function runDriftReport(db: Executor, opts: DriftOptions & { actor: string }): Promise<DriftReport> {
  const report = await buildDriftReport(db, opts);
  await recordDriftAudit(db, report, opts.actor);
  return report;
}

export const driftExitCode = (r: DriftReport) => (r.status === 'alert' ? 2 : 0);

const fmt = (x: number | null) => (x === null ? '–' : x.toFixed(3));
const fmtP = (p: number) => (p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

export function renderDriftMarkdown(r: DriftReport): string {
  const win = (x: IsoWindow) => `${x.from.slice(0, 16)}Z → ${x.to.slice(0, 16)}Z`;
  const lines = [
    `# Drift report: ${r.status.toUpperCase()}`,
    '',
    `Live ${win(r.windows.live)} · previous ${win(r.windows.previous)} · reference ${win(r.windows.reference)}`,
    `Warn at PSI ≥ ${WARN_PSI}; alert at PSI ≥ ${ALERT_PSI} in both the live and the previous window; fewer than ${r.minSamples} per window is insufficient data.`,
  ];
  if (r.models.length === 0) lines.push('', 'No classifications in the live window.');
  for (const m of r.models) {
    lines.push('', `## Model \`${m.model}\`: ${m.status.toUpperCase()}`, '', '| feature | status | PSI | prev PSI | test | p | n ref / prev / live | note |', '|---|---|---|---|---|---|---|---|');
    for (const f of m.features) {
      const test = f.test ? `${f.test.name === 'ks' ? 'KS D' : 'χ²'}=${f.test.statistic.toFixed(3)}${f.test.df !== undefined ? ` (df ${f.test.df})` : ''}` : '–';
      const est = f.estimate ? `est. live: ${Object.entries(f.estimate).map(([k, v]) => `${k} ${v}`).join(', ')}` : '';
      const note = [est, f.note ?? ''].filter(Boolean).join('; ');
      lines.push(`| ${f.group}: ${f.feature} | ${f.status} | ${fmt(f.psi)} | ${fmt(f.previousPsi)} | ${test} | ${f.test ? fmtP(f.test.pValue) : '–'} | ${f.n.reference} / ${f.n.previous} / ${f.n.live} | ${note} |`);
    }
  }
  return lines.join('\n');
}
