// The fields evaluation's report: per channel and field scores, named-clinic and priority rates, calibration.
import { FIELD_NAMES, type FieldName } from '@triage/contracts';
import { fieldCalibration, referredToRates, scoreFields, statedPriorityRate, type Calibration, type FieldScore, type RightRate, type ScoredDoc } from './field-metrics.ts';
import type { FieldChannel } from './fields-channels.ts';
import type { GeneratedReferral, LayoutFamily } from './referral-types.ts';

export type Timing = { n: number; mean: number; p50: number; p95: number };

export type ChannelReport = {
  documents: number;
  /** Documents the pipeline would have failed (a DocumentError reason): scored as returning nothing. */
  failures: Record<string, number>;
  fields: Record<FieldName, FieldScore>;
  referredTo: ReturnType<typeof referredToRates>;
  statedPriority: RightRate;
  calibration: Calibration;
  /** extractFields alone, per document. */
  extractMs: Timing;
  /** Rendering + reading (+ OCR) wall-clock seconds for the channel. */
  readSeconds: number;
  ocrMeanConfidence?: number;
  byFamily: Partial<Record<LayoutFamily, { documents: number; fields: Record<FieldName, FieldScore> }>>;
};

export type FieldsReport = {
  kind: 'fields-eval';
  generatedAt: string;
  seed: number;
  sample: number;
  channels: FieldChannel[];
  extractor: { version: string; clinicsVersion: string; sourceDigest: string | null };
  policy: { path: string; version: string; clinicsVersion: string };
  ocrEngine: string | null;
  faxResolution: string;
  composition: ReturnType<typeof composition>;
  byChannel: Partial<Record<FieldChannel, ChannelReport>>;
  /** Every channel's returned values pooled. */
  calibration: Calibration;
  msPerTextDocument: Timing;
  notes: string[];
};

export type ChannelRun = { doc: GeneratedReferral; scored: ScoredDoc; extractMs: number; failure?: string; ocrConfidences: number[] };

export function timing(ms: number[]): Timing {
  if (!ms.length) return { n: 0, mean: 0, p50: 0, p95: 0 };
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { n: s.length, mean: s.reduce((a, b) => a + b, 0) / s.length, p50: q(0.5), p95: q(0.95) };
}

const count = <T extends string>(xs: T[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});

// What a scheduler cannot book without: who, born when, how to reach them, who sent them, why.
const CORE: ReadonlyArray<FieldName | FieldName[]> = ['patientName', 'birthDate', ['patientPhone', 'patientAddress'], 'referrerName', ['referrerPhone', 'referrerFax'], 'reason'];

export function composition(docs: GeneratedReferral[]) {
  const incomplete = docs.filter((d) => CORE.some((k) => (Array.isArray(k) ? k.every((x) => d.truth[x] === undefined) : d.truth[k] === undefined)));
  return {
    byLayout: count(docs.map((d) => d.layout)),
    byFamily: count(docs.map((d) => d.family)),
    byLocale: count(docs.map((d) => d.locale)),
    bySource: count(docs.map((d) => d.source.dataset)),
    namedClinic: count(docs.map((d) => d.labels.namedClinic)),
    statedPriority: count(docs.map((d) => d.labels.statedPriority ?? 'none')),
    urgencyKnown: docs.filter((d) => d.labels.urgency).length,
    /** Missing at least one of: name, DOB, a patient contact, referrer, a referrer contact, reason. */
    incompleteShare: docs.length ? incomplete.length / docs.length : 0,
    fieldPresent: Object.fromEntries(FIELD_NAMES.map((k) => [k, docs.filter((d) => d.truth[k] !== undefined).length])),
  };
}

export function channelReport(runs: ChannelRun[], readSeconds: number): ChannelReport {
  const scored = runs.map((r) => r.scored);
  const conf = runs.flatMap((r) => r.ocrConfidences);
  const byFamily: ChannelReport['byFamily'] = {};
  for (const fam of ['letter', 'form', 'acroform'] as const) {
    const of = runs.filter((r) => r.doc.family === fam);
    if (of.length) byFamily[fam] = { documents: of.length, fields: scoreFields(of.map((r) => r.scored)) };
  }
  return {
    documents: runs.length,
    failures: count(runs.flatMap((r) => (r.failure ? [r.failure] : []))),
    fields: scoreFields(scored),
    referredTo: referredToRates(scored),
    statedPriority: statedPriorityRate(scored),
    calibration: fieldCalibration(scored),
    extractMs: timing(runs.map((r) => r.extractMs)),
    readSeconds,
    ...(conf.length && { ocrMeanConfidence: conf.reduce((a, b) => a + b, 0) / conf.length }),
    byFamily,
  };
}

const pct = (x: number | undefined) => (x === undefined ? '  -  ' : (100 * x).toFixed(1).padStart(5));
const cell = (s: FieldScore | undefined) => (s && s.docs ? `${pct(s.precision)} ${pct(s.recall)} ${pct(s.accuracy)}` : '      n/a        ');
const rateCell = (r: RightRate) => (r.n ? `${pct(r.rate).trim()} of ${r.n}` : 'n/a');

/** A fixed-width table: one row per field, P / R / A per channel. */
export function summaryTable(r: FieldsReport): string {
  const chans = r.channels.filter((c) => r.byChannel[c]);
  const head = `${'field'.padEnd(22)}${chans.map((c) => `${c} (${r.byChannel[c]!.documents})`.padEnd(19)).join('')}`;
  const sub = `${''.padEnd(22)}${chans.map(() => '   P     R     A  ').join(' ')}`;
  const rows = FIELD_NAMES.map((k) => `${k.padEnd(22)}${chans.map((c) => cell(r.byChannel[c]!.fields[k])).join('  ')}`);
  const extra = [
    `${'referredTo right'.padEnd(22)}${chans.map((c) => rateCell(r.byChannel[c]!.referredTo.named).padEnd(19)).join('')}`,
    `${'statedPriority right'.padEnd(22)}${chans.map((c) => rateCell(r.byChannel[c]!.statedPriority).padEnd(19)).join('')}`,
    `${'confidence ECE'.padEnd(22)}${chans.map((c) => (r.byChannel[c]!.calibration.ece?.toFixed(3) ?? 'n/a').padEnd(19)).join('')}`,
  ];
  return [head, sub, ...rows, ...extra].join('\n');
}

export function markdownReport(r: FieldsReport): string {
  const chans = r.channels.filter((c) => r.byChannel[c]);
  const c = r.composition;
  const table = [
    `| field | ${chans.map((ch) => `${ch} P / R / A`).join(' | ')} |`,
    `|---|${chans.map(() => '---').join('|')}|`,
    ...FIELD_NAMES.map((k) => `| ${k} | ${chans.map((ch) => { const s = r.byChannel[ch]!.fields[k]; return s.docs ? `${pct(s.precision).trim()} / ${pct(s.recall).trim()} / ${pct(s.accuracy).trim()}` : 'n/a'; }).join(' | ')} |`),
    `| referredTo right (named a clinic) | ${chans.map((ch) => rateCell(r.byChannel[ch]!.referredTo.named)).join(' | ')} |`,
    `| … of those naming the wrong clinic | ${chans.map((ch) => rateCell(r.byChannel[ch]!.referredTo.namedWrong)).join(' | ')} |`,
    `| statedPriority right (stated one) | ${chans.map((ch) => rateCell(r.byChannel[ch]!.statedPriority)).join(' | ')} |`,
    `| confidence ECE (10 bins) | ${chans.map((ch) => r.byChannel[ch]!.calibration.ece?.toFixed(3) ?? 'n/a').join(' | ')} |`,
    `| documents (failed) | ${chans.map((ch) => `${r.byChannel[ch]!.documents} (${Object.values(r.byChannel[ch]!.failures).reduce((a, b) => a + b, 0)})`).join(' | ')} |`,
  ];
  const rel = [
    '| confidence | values | mean confidence | share right |',
    '|---|---|---|---|',
    ...r.calibration.bins.filter((b) => b.count).map((b) => `| ${b.lo.toFixed(1)}–${b.hi.toFixed(1)} | ${b.count} | ${b.meanConfidence.toFixed(3)} | ${b.accuracy.toFixed(3)} |`),
  ];
  return [
    `# Fields evaluation`,
    '',
    `Extractor \`${r.extractor.version}\`, clinic table \`${r.extractor.clinicsVersion}\` (policy ${r.policy.version}); ${r.sample} generated referrals, seed ${r.seed}; OCR ${r.ocrEngine ?? 'not used'}. ${r.generatedAt}.`,
    '',
    `Documents: ${Object.entries(c.byFamily).map(([k, v]) => `${v} ${k}`).join(', ')}; ${(100 * c.incompleteShare).toFixed(0)} % miss a core field; clinic named right/wrong/none ${c.namedClinic.right ?? 0}/${c.namedClinic.wrong ?? 0}/${c.namedClinic.none ?? 0}; priority stated on ${r.sample - (c.statedPriority.none ?? 0)}.`,
    'P = correct / returned, R = correct / present in truth, A = (correct + correctly absent) / documents, in %. AcroForms are read only through the acroform channel; letters and typed forms through the others.',
    '',
    ...table,
    '',
    `extractFields on text: ${r.msPerTextDocument.mean.toFixed(2)} ms per document (p50 ${r.msPerTextDocument.p50.toFixed(2)}, p95 ${r.msPerTextDocument.p95.toFixed(2)}).`,
    '',
    `## Field confidence, all channels (ECE ${r.calibration.ece?.toFixed(3) ?? 'n/a'} over ${r.calibration.n} values)`,
    '',
    ...(r.calibration.n ? rel : ['No values were returned.']),
    ...(r.notes.length ? ['', '## Notes', '', ...r.notes.map((n) => `- ${n}`)] : []),
    '',
  ].join('\n');
}
