// `triage thresholds`: pick policy thresholds from cross-validated predictions against explicit targets.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parsePolicy, type RoutingPolicy } from '@triage/routing';
import { passesUrgencyGate, reroute, routingMetrics, type EvalCase } from './cases.ts';
import { prepareCases } from './evaluate.ts';
import { highestEmergentReview, lowestThresholdForPrecision } from './threshold-sweep.ts';

export type ThresholdCommandArgs = {
  data: string[];
  policyPath: string;
  /** Where to write the updated policy; defaults to overwriting policyPath. */
  out?: string;
  specialtyPrecision: number;
  emergentUndertriage: number;
  urgencyAccuracy?: number;
  /**
   * Upper bound for emergentReview; defaults to the policy's current value, so the command can tighten the
   * emergent safety net but never loosen it unattended. The uncapped value is reported in the notes.
   */
  maxEmergentReview?: number;
  folds?: number;
  seed?: number;
  modelPath?: string;
  redFlagsPath?: string | null;
  /** Version suffix date; injectable so tests are deterministic. */
  date?: Date;
  onProgress?: (message: string) => void;
};
export type Thresholds = { urgency: number; specialty: number; emergentReview: number };
export type ThresholdCommandResult = { thresholds: Thresholds; coverage: number; achieved: Record<string, number>; path: string; version: string; notes: string[] };

function checkRate(name: string, v: number | undefined): void {
  if (v !== undefined && !(v >= 0 && v <= 1)) throw new Error(`${name} must be between 0 and 1, got ${v}`);
}

/** Pure: chooses thresholds on already-routed cases (red flags applied); exported for tests. */
export function chooseThresholds(
  cases: EvalCase[],
  policy: RoutingPolicy,
  targets: { specialtyPrecision: number; urgencyAccuracy: number; emergentUndertriage: number; maxEmergentReview?: number },
): { thresholds: Thresholds; achieved: Record<string, number>; notes: string[] } {
  const notes: string[] = [];
  const spec = lowestThresholdForPrecision(
    cases.flatMap((c) => (c.specialtyGold ? [{ confidence: c.pred.specialty.confidence, correct: c.specialtyGold.includes(c.pred.specialty.label) }] : [])),
    targets.specialtyPrecision,
  );
  // Urgency as the policy sees it: red-flag-raised labels arrive with confidence 1.
  const urg = lowestThresholdForPrecision(
    cases.flatMap((c) => (c.urgencyGold ? [{ confidence: c.routed.urgencyConfidence, correct: c.routed.urgency === c.urgencyGold }] : [])),
    targets.urgencyAccuracy,
  );
  if (!spec) notes.push(`no specialty threshold reaches precision ${targets.specialtyPrecision}: set to 1 (nothing auto-routes on specialty)`);
  if (!urg) notes.push(`no urgency threshold reaches accuracy ${targets.urgencyAccuracy}: set to 1`);
  const base = { urgency: urg?.threshold ?? 1, specialty: spec?.threshold ?? 1 };

  // Given those, which emergent cases would slip through if the possible_emergent rule never fired? Judged on the
  // urgency gate alone (specialty assumed to pass): the conservative case, see passesUrgencyGate.
  const open = reroute(cases, { ...policy, thresholds: { ...policy.thresholds, ...base, emergentReview: Infinity } });
  const emergent = open.filter((c) => c.urgencyGold === 'emergent');
  const candidates = emergent.filter((c) => passesUrgencyGate(c) && c.routed.urgency !== 'emergent').map((c) => c.routed.pEmergent);
  if (!emergent.length) notes.push('no emergent cases in the data: emergentReview cannot be checked and is left at 1');
  const er = highestEmergentReview(candidates, emergent.length, targets.emergentUndertriage);
  const cap = targets.maxEmergentReview ?? 1;
  if (er.threshold > cap) notes.push(`emergentReview: the data allow up to ${er.threshold}; capped at ${cap} (raise maxEmergentReview to loosen the emergent safety net)`);
  const thresholds = { ...policy.thresholds, ...base, emergentReview: Math.min(er.threshold, cap) };

  const routed = routingMetrics(reroute(cases, { ...policy, thresholds }));
  const achieved: Record<string, number> = { ...routed, emergentCases: emergent.length, uncappedEmergentReview: er.threshold };
  if (spec) Object.assign(achieved, { 'marginal.specialtyPrecision': spec.precision, 'marginal.specialtyCoverage': spec.covered / cases.filter((c) => c.specialtyGold).length });
  if (urg) Object.assign(achieved, { 'marginal.urgencyAccuracy': urg.precision, 'marginal.urgencyCoverage': urg.covered / cases.filter((c) => c.urgencyGold).length });
  // The per-head choice is marginal; the joint auto-routed set is smaller and can land on the other side.
  const jointSpec = routed['auto.specialtyPrecision'];
  if (jointSpec !== undefined && jointSpec < targets.specialtyPrecision) {
    notes.push(`joint auto-routed specialty precision ${jointSpec.toFixed(3)} on ${routed['auto.specialtyN']} cases is below the target (the per-head choice met it on all specialty-labelled cases)`);
  }
  return { thresholds, achieved, notes };
}

/** "policy-2026.11.1" → "policy-2026.11.1+thr.2026-11-23"; an earlier +thr suffix is replaced, not stacked. */
export function bumpVersion(version: string, date: Date): string {
  return `${version.replace(/\+thr\.[^+]*$/, '')}+thr.${date.toISOString().slice(0, 10)}`;
}

export async function runThresholdCommand(args: ThresholdCommandArgs): Promise<ThresholdCommandResult> {
  checkRate('specialtyPrecision', args.specialtyPrecision);
  checkRate('emergentUndertriage', args.emergentUndertriage);
  checkRate('urgencyAccuracy', args.urgencyAccuracy);
  checkRate('maxEmergentReview', args.maxEmergentReview);
  const policyPath = resolve(args.policyPath);
  // Keep the file's own JSON (every field, in order); only thresholds and version change.
  const raw = JSON.parse(await readFile(policyPath, 'utf8')) as Record<string, unknown> & { thresholds: Record<string, unknown> };
  parsePolicy(raw, policyPath);
  const prepared = await prepareCases({
    data: args.data,
    policyPath,
    folds: args.folds ?? 5,
    ...(args.seed !== undefined && { seed: args.seed }),
    ...(args.modelPath !== undefined && { modelPath: args.modelPath }),
    ...(args.redFlagsPath !== undefined && { redFlagsPath: args.redFlagsPath }),
    ...(args.onProgress && { onProgress: args.onProgress }),
  });
  const chosen = chooseThresholds(prepared.cases, { ...prepared.policy, paused: false }, {
    specialtyPrecision: args.specialtyPrecision,
    urgencyAccuracy: args.urgencyAccuracy ?? 0.9,
    emergentUndertriage: args.emergentUndertriage,
    maxEmergentReview: args.maxEmergentReview ?? prepared.policy.thresholds.emergentReview,
  });
  const version = bumpVersion(String(raw.version), args.date ?? new Date());
  const updated = { ...raw, version, thresholds: { ...raw.thresholds, ...chosen.thresholds } };
  parsePolicy(updated, 'updated policy');
  const path = resolve(args.out ?? policyPath);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(updated, null, 2)}\n`);
  return { thresholds: chosen.thresholds, coverage: chosen.achieved['auto.coverage'] ?? 0, achieved: chosen.achieved, path, version, notes: [prepared.run.description, ...chosen.notes] };
}
