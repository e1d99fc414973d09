// Evaluation cases (gold, prediction, red flags, subgroup) and the metrics over any set of them.
import type { TrainingRecord, Urgency } from '@triage/classifier';
import type { RoutingPolicy } from '@triage/routing';
import { routeWithFlags, NO_FLAGS, type RoutedCase, type TriagePrediction } from '@triage/routing';
import { accuracy, defined, expectedCalibrationError, macroF1, ratio, recall, reliabilityBins, type Scored } from './metrics.ts';
import { applyRedFlags, type RedFlagResult, type RedFlagRules } from '@triage/routing';
import type { SUBGROUP_DIMENSIONS, Subgroups } from './subgroups.ts';

export type EvalCase = {
  urgencyGold?: Urgency;
  specialtyGold?: readonly string[];
  groups: Subgroups;
  pred: TriagePrediction;
  flags: RedFlagResult;
  routed: RoutedCase;
};

export function buildCases(
  records: TrainingRecord[],
  predictions: TriagePrediction[],
  groups: Subgroups[],
  policy: RoutingPolicy,
  rules: RedFlagRules | null,
): EvalCase[] {
  return records.map((r, i) => {
    const pred = predictions[i]!;
    const flags = rules ? applyRedFlags(r.text, rules) : NO_FLAGS;
    return {
      ...(r.urgency !== undefined && { urgencyGold: r.urgency }),
      ...(r.specialties !== undefined && { specialtyGold: r.specialties }),
      groups: groups[i]!,
      pred,
      flags,
      routed: routeWithFlags(pred, flags, policy),
    };
  });
}

/** Re-routes every case under another policy (threshold sweeps) without re-running the rules. */
export function reroute(cases: EvalCase[], policy: RoutingPolicy): EvalCase[] {
  return cases.map((c) => ({ ...c, routed: routeWithFlags(c.pred, c.flags, policy) }));
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
