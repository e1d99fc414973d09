// Evaluation cases (gold, prediction, red flags, subgroup) and the metrics over any set of them.
import type { TrainingRecord, Urgency } from '@triage/classifier';
import type { RoutingPolicy } from '@triage/routing';
import { routeWithFlags, NO_FLAGS, type RoutedCase, type TriagePrediction } from '@triage/routing';
import { accuracy, defined, expectedCalibrationError, macroF1, ratio, recall, reliabilityBins, wordRecallCounts, type Scored } from './metrics.ts';
import { applyRedFlags, type RedFlagResult, type RedFlagRules } from '@triage/routing';
import type { SUBGROUP_DIMENSIONS, Subgroups } from './subgroups.ts';
import type { Channel } from './channels.ts';
import type { ChannelRun } from './document-channel.ts';

export type EvalCase = {
  urgencyGold?: Urgency;
  specialtyGold?: readonly string[];
  groups: Subgroups & { channel: Channel };
  pred: TriagePrediction;
  flags: RedFlagResult;
  routed: RoutedCase;
  /** OCR pages below OCR_MIN_CONFIDENCE (persist sends the case to review). */
  lowConfidencePages: number[];
  /** The pipeline would have failed the document (no routing, no review task): never auto-routed. */
  failure?: string;
  /** Index of the record in the evaluation data (set on the channel comparison, to pair a record's channels). */
  record?: number;
  /** Document channels only: what the document stages did. */
  document?: { pages: number; ocrConfidences: number[]; wordRecall: [number, number] };
};

/** routeWithFlags as persist calls it; a document the pipeline fails never reaches routing. */
function routeCase(pred: TriagePrediction, flags: RedFlagResult, policy: RoutingPolicy, lowConfidencePages: number[], failure?: string): RoutedCase {
  const routed = routeWithFlags(pred, flags, policy, lowConfidencePages);
  return failure ? { ...routed, decision: 'review', reasons: [...routed.reasons, `failed:${failure}`] } : routed;
}

export function buildCases(
  records: TrainingRecord[],
  predictions: TriagePrediction[],
  groups: Subgroups[],
  policy: RoutingPolicy,
  rules: RedFlagRules | null,
  /** How each record was read (default: its text as is); red flags run on the text the channel yielded. */
  runs?: readonly ChannelRun[],
): EvalCase[] {
  return records.map((r, i) => {
    const pred = predictions[i]!;
    const run = runs?.[i];
    const text = run ? run.text : r.text;
    const flags = rules ? applyRedFlags(text, rules) : NO_FLAGS;
    const lowConfidencePages = run?.lowConfidencePages ?? [];
    const ocrConfidences = (run?.pages ?? []).flatMap((p) => (p.source === 'ocr' && p.ocrConfidence !== null ? [p.ocrConfidence] : []));
    return {
      ...(r.urgency !== undefined && { urgencyGold: r.urgency }),
      ...(r.specialties !== undefined && { specialtyGold: r.specialties }),
      groups: { ...groups[i]!, channel: run?.channel ?? 'text' },
      pred,
      flags,
      routed: routeCase(pred, flags, policy, lowConfidencePages, run?.failure),
      lowConfidencePages,
      ...(run?.failure !== undefined && { failure: run.failure }),
      ...(run && run.channel !== 'text' && { document: { pages: run.pages.length, ocrConfidences, wordRecall: wordRecallCounts(r.text, run.text) } }),
    };
  });
}

/** Re-routes every case under another policy (threshold sweeps) without re-running the rules. */
export function reroute(cases: EvalCase[], policy: RoutingPolicy): EvalCase[] {
  return cases.map((c) => ({ ...c, routed: routeCase(c.pred, c.flags, policy, c.lowConfidencePages, c.failure) }));
}

export const specialtyScored = (cases: EvalCase[]): Scored[] =>
  cases.flatMap((c) => (c.specialtyGold ? [{ predicted: c.pred.specialty.label, gold: c.specialtyGold }] : []));
export const urgencyScored = (cases: EvalCase[], final = false): Scored[] =>
  cases.flatMap((c) => (c.urgencyGold ? [{ predicted: final ? c.routed.urgency : c.pred.urgency.label, gold: [c.urgencyGold] }] : []));

export function specialtyReliability(cases: EvalCase[]) {
  return reliabilityBins(
    cases.flatMap((c) => (c.specialtyGold ? [{ confidence: c.pred.specialty.confidence, correct: c.specialtyGold.includes(c.pred.specialty.label) }] : [])),
  );
}
export function urgencyReliability(cases: EvalCase[]) {
  return reliabilityBins(
    cases.flatMap((c) => (c.urgencyGold ? [{ confidence: c.pred.urgency.confidence, correct: c.urgencyGold === c.pred.urgency.label }] : [])),
  );
}

/** Auto-routed and right on every head the case has a label for. */
export function autoCorrect(c: EvalCase): boolean {
  return (!c.specialtyGold || c.specialtyGold.includes(c.pred.specialty.label)) && (!c.urgencyGold || c.urgencyGold === c.routed.urgency);
}

const SPECIALTY_REASONS = new Set(['low_specialty_confidence', 'no_team_for_specialty']);

/**
 * Would the case auto-route if its specialty check passed? The shared datasets never label both heads, and the
 * specialty head is unsure on ED triage sentences, so the full policy hides urgency errors behind specialty
 * review. Safety metrics are therefore also given for this urgency-only gate (the worse case).
 */
export function passesUrgencyGate(c: EvalCase): boolean {
  return c.routed.reasons.every((r) => SPECIALTY_REASONS.has(r));
}

export function routingMetrics(cases: EvalCase[]) {
  const auto = cases.filter((c) => c.routed.decision === 'auto');
  const autoSpec = auto.filter((c) => c.specialtyGold);
  const autoUrg = auto.filter((c) => c.urgencyGold);
  const emergent = cases.filter((c) => c.urgencyGold === 'emergent');
  const nonEmergent = cases.filter((c) => c.urgencyGold !== undefined && c.urgencyGold !== 'emergent');
  const gated = cases.filter((c) => c.urgencyGold && passesUrgencyGate(c));
  return defined({
    'auto.n': auto.length,
    'auto.specialtyN': autoSpec.length,
    'auto.urgencyN': autoUrg.length,
    'auto.coverage': ratio(auto.length, cases.length),
    'auto.precision': ratio(auto.filter(autoCorrect).length, auto.length),
    'auto.specialtyPrecision': ratio(autoSpec.filter((c) => c.specialtyGold!.includes(c.pred.specialty.label)).length, autoSpec.length),
    'auto.urgencyAccuracy': ratio(autoUrg.filter((c) => c.urgencyGold === c.routed.urgency).length, autoUrg.length),
    // Safety: an emergent case that nobody looks at and that is not marked emergent.
    'triage.underTriageRate': ratio(emergent.filter((c) => c.routed.decision === 'auto' && c.routed.urgency !== 'emergent').length, emergent.length),
    'triage.overTriageRate': ratio(nonEmergent.filter((c) => c.routed.decision === 'auto' && c.routed.urgency === 'emergent').length, nonEmergent.length),
    'urgencyGate.coverage': ratio(cases.filter((c) => c.urgencyGold && passesUrgencyGate(c)).length, cases.filter((c) => c.urgencyGold).length),
    'urgencyGate.accuracy': ratio(gated.filter((c) => c.urgencyGold === c.routed.urgency).length, gated.length),
    'urgencyGate.underTriageRate': ratio(emergent.filter((c) => passesUrgencyGate(c) && c.routed.urgency !== 'emergent').length, emergent.length),
    'urgencyGate.overTriageRate': ratio(nonEmergent.filter((c) => passesUrgencyGate(c) && c.routed.urgency === 'emergent').length, nonEmergent.length),
  });
}

export function computeMetrics(cases: EvalCase[]): Record<string, number> {
  const spec = specialtyScored(cases);
  const urg = urgencyScored(cases);
  const urgFinal = urgencyScored(cases, true);
  return defined({
    cases: cases.length,
    'specialty.n': spec.length,
    'specialty.top1Accuracy': accuracy(spec),
    'specialty.macroF1': macroF1(spec),
    'specialty.ece': expectedCalibrationError(specialtyReliability(cases)),
    'urgency.n': urg.length,
    'urgency.accuracy': accuracy(urg),
    'urgency.macroF1': macroF1(urg),
    'urgency.emergentRecall': recall(urg, 'emergent'),
    'urgency.ece': expectedCalibrationError(urgencyReliability(cases)),
    // After red flags: what the pipeline would actually label.
    'urgencyWithRedFlags.accuracy': accuracy(urgFinal),
    'urgencyWithRedFlags.emergentRecall': recall(urgFinal, 'emergent'),
    'redFlags.hitRate': ratio(cases.filter((c) => c.flags.hits.length > 0).length, cases.length),
    'redFlags.raisedRate': ratio(cases.filter((c) => c.routed.raisedBy.length > 0).length, cases.length),
    ...routingMetrics(cases),
    ...documentMetrics(cases),
  });
}

/** What the document stages did (only for cases that went through them). */
export function documentMetrics(cases: EvalCase[]): Record<string, number> {
  const docs = cases.flatMap((c) => (c.document ? [c.document] : []));
  if (!docs.length) return {};
  const conf = docs.flatMap((d) => d.ocrConfidences);
  const [hit, total] = docs.reduce(([h, t], d) => [h + d.wordRecall[0], t + d.wordRecall[1]], [0, 0]);
  return defined({
    'document.pages': docs.reduce((n, d) => n + d.pages, 0),
    'document.ocrPages': conf.length,
    'document.ocrMeanConfidence': conf.length ? conf.reduce((a, b) => a + b, 0) / conf.length : undefined,
    'document.ocrMinConfidence': conf.length ? Math.min(...conf) : undefined,
    'document.wordRecall': ratio(hit, total),
    'document.lowConfidenceRate': ratio(cases.filter((c) => c.lowConfidencePages.length > 0).length, cases.length),
    'document.failedRate': ratio(cases.filter((c) => c.failure !== undefined).length, cases.length),
  });
}

export type CurvePoint = { threshold: number; coverage: number; accuracy: number | null; underTriage: number | null; gateUnderTriage: number | null };

/** One confidence threshold for both heads (other policy fields unchanged), swept from 0 to 1. */
export function coverageCurve(cases: EvalCase[], policy: RoutingPolicy, steps = 20): CurvePoint[] {
  const out: CurvePoint[] = [];
  for (let s = 0; s <= steps; s++) {
    const t = s / steps;
    const m = routingMetrics(reroute(cases, { ...policy, thresholds: { ...policy.thresholds, urgency: t, specialty: t } }));
    out.push({ threshold: t, coverage: m['auto.coverage'] ?? 0, accuracy: m['auto.precision'] ?? null, underTriage: m['triage.underTriageRate'] ?? null, gateUnderTriage: m['urgencyGate.underTriageRate'] ?? null });
  }
  return out;
}

export function groupBy(cases: EvalCase[], dim: (typeof SUBGROUP_DIMENSIONS)[number]): Map<string, EvalCase[]> {
  const groups = new Map<string, EvalCase[]>();
  for (const c of cases) {
    let members = groups.get(c.groups[dim]);
    if (!members) groups.set(c.groups[dim], (members = []));
    members.push(c);
  }
  return new Map([...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}
