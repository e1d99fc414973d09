// `eval --routing` and `thresholds --referrals`: no-touch routing on referral-shaped documents, and thresholds for it.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_RED_FLAGS_PATH, loadPolicy, loadRedFlags, parsePolicy, type RoutingPolicy } from '@triage/routing';
import { pipelineSettings, type PipelineSettings } from '../channels.ts';
import { DEFAULT_POLICY_PATH } from '../evaluate.ts';
import { bumpVersion } from '../thresholds.ts';
import { prepareRoutingCases, type RoutingCase, type RoutingChannel, type Split } from './routing-cases.ts';
import { routeReferral, routingMetrics, type RoutingMetrics } from './routing-metrics.ts';
import { routingMarkdown } from './routing-report.ts';
import { chooseRoutingThresholds, type ChosenThreshold, type RoutingTargets } from './routing-thresholds.ts';

export type RoutingRunArgs = {
  seed?: number;
  /** Referrals drawn before keeping one per source record (default 6000: nearly every record once). */
  draws?: number;
  folds?: number;
  policyPath?: string;
  redFlagsPath?: string | null;
  datasetsDir?: string;
  pipeline?: PipelineSettings;
  onProgress?: (m: string) => void;
};

export type RoutingEvalArgs = RoutingRunArgs & { out: string; channels?: RoutingChannel[]; faxSample?: number; targets?: RoutingTargets };

export const DEFAULT_TARGETS: RoutingTargets = { specialtyPrecision: 0.97, emergentUndertriage: 0.01, routineError: 0.1, delta: 0.05 };

export type GroupReport = { group: string; metrics: RoutingMetrics };
export type RoutingReport = {
  kind: 'routing-eval';
  generatedAt: string;
  split: Split | 'all';
  seed: number;
  policy: { path: string; version: string; uncertainUrgency: string; thresholds: RoutingPolicy['thresholds'] };
  predictions: string;
  /** Per policy variant (as shipped, and with the other uncertain-urgency mode), per group. */
  variants: Array<{ name: string; uncertainUrgency: string; groups: GroupReport[] }>;
  notes: string[];
};

async function defaultDatasetsDir(): Promise<string> {
  const { sharedPath } = await import('@triage/testkit');
  return sharedPath('datasets');
}

async function prepare(args: RoutingRunArgs, splits: Split[], channels: RoutingChannel[], faxSample: number) {
  const policyPath = resolve(args.policyPath ?? DEFAULT_POLICY_PATH);
  const policy = loadPolicy(policyPath);
  const rules = args.redFlagsPath === null ? null : loadRedFlags(args.redFlagsPath ?? DEFAULT_RED_FLAGS_PATH);
  const seed = args.seed ?? 1;
  const prepared = await prepareRoutingCases({
    datasetsDir: args.datasetsDir ?? (await defaultDatasetsDir()),
    policy,
    rules,
    seed,
    draws: args.draws ?? 6000,
    splits,
    channels,
    faxSample,
    folds: args.folds ?? 5,
    pipeline: args.pipeline ?? pipelineSettings(),
    ...(args.onProgress && { onProgress: args.onProgress }),
  });
  return { ...prepared, policy, policyPath, seed };
}

/** The groups a reader asks about: per channel, and within it per source, per named clinic, per stated priority. */
export function groupsOf(cases: RoutingCase[]): Array<{ group: string; members: number[] }> {
  const groups = new Map<string, number[]>();
  const add = (g: string, i: number) => groups.set(g, [...(groups.get(g) ?? []), i]);
  cases.forEach((c, i) => {
    add(`${c.channel}`, i);
    add(`${c.channel} · ${c.dataset === 'mtsamples' ? 'specialty-labelled' : 'urgency-labelled'}`, i);
    add(`${c.channel} · clinic ${c.namedClinic}`, i);
    add(`${c.channel} · priority ${c.statedPriority ? 'stated' : 'not stated'}`, i);
  });
  return [...groups].map(([group, members]) => ({ group, members }));
}

/**
 * The policy as given, the same with the other uncertain-urgency mode, and cross-fitted: each half of the source
 * records routed with thresholds chosen (text channel) on the other half only, so no case judges its own threshold.
 */
export function evaluateVariants(cases: RoutingCase[], policy: RoutingPolicy, targets: RoutingTargets = DEFAULT_TARGETS): RoutingReport['variants'] {
  const other = policy.uncertainUrgency === 'review' ? 'conservative' : 'review';
  const crossFitted = new Map<Split, RoutingPolicy>();
  for (const [half, otherHalf] of [['calibration', 'evaluation'], ['evaluation', 'calibration']] as const) {
    const chosen = chooseRoutingThresholds(cases.filter((c) => c.split === otherHalf && c.channel === 'text'), policy, targets);
    crossFitted.set(half, { ...policy, thresholds: chosen.thresholds });
  }
  const variants: Array<{ name: string; uncertainUrgency: string; policyOf: (c: RoutingCase) => RoutingPolicy }> = [
    { name: 'as shipped', uncertainUrgency: policy.uncertainUrgency, policyOf: () => policy },
    { name: `uncertainUrgency ${other}`, uncertainUrgency: other, policyOf: () => ({ ...policy, uncertainUrgency: other }) },
    { name: 'cross-fitted (thresholds from the other half of the records)', uncertainUrgency: policy.uncertainUrgency, policyOf: (c) => crossFitted.get(c.split)! },
  ];
  return variants.map((v) => {
    const outcomes = cases.map((c) => routeReferral(c, { ...v.policyOf(c), paused: false }));
    return {
      name: v.name,
      uncertainUrgency: v.uncertainUrgency,
      groups: groupsOf(cases).map((g) => ({ group: g.group, metrics: routingMetrics(g.members.map((i) => cases[i]!), g.members.map((i) => outcomes[i]!)) })),
    };
  });
}

export async function runRoutingEvalCommand(args: RoutingEvalArgs): Promise<{ report: RoutingReport; jsonPath: string; markdownPath: string; markdown: string }> {
  const channels = args.channels ?? ['text', 'pdf'];
  const p = await prepare(args, ['calibration', 'evaluation'], channels, args.faxSample ?? 75);
  const notes = [
    'Referrals come from the generator (made-up people, shared clinical text), one per source record. `triage thresholds --referrals` chooses the shipped thresholds on the text channel of these same records (cross-validated predictions), so "as shipped" is in-sample; the cross-fitted rows are not.',
    'Specialty-labelled = MTSamples content (team labels from the dataset); urgency-labelled = KTAS content (expert triage level; its team is derived from the complaint by a rule, so its team precision is indicative only).',
  ];
  if (p.policy.paused) notes.push('The policy is paused; it is evaluated as if it were not.');
  const report: RoutingReport = {
    kind: 'routing-eval',
    generatedAt: new Date().toISOString(),
    split: 'all',
    seed: p.seed,
    policy: { path: p.policyPath, version: p.policy.version, uncertainUrgency: p.policy.uncertainUrgency, thresholds: p.policy.thresholds },
    predictions: p.description,
    variants: evaluateVariants(p.cases, p.policy, args.targets),
    notes,
  };
  await mkdir(args.out, { recursive: true });
  const jsonPath = join(args.out, 'routing-report.json');
  const markdownPath = join(args.out, 'routing-report.md');
  const markdown = routingMarkdown(report);
  await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdownPath, markdown);
  return { report, jsonPath, markdownPath, markdown };
}

export type RoutingThresholdArgs = RoutingRunArgs & { out?: string; targets: RoutingTargets; date?: Date };

export async function runRoutingThresholdCommand(args: RoutingThresholdArgs): Promise<{ path: string; version: string; chosen: ChosenThreshold[]; notes: string[]; calibrationCases: number }> {
  for (const [k, v] of Object.entries(args.targets)) if (!(v > 0 && v < 1)) throw new Error(`${k} must be between 0 and 1, got ${v}`);
  // Every record calibrates: the bounds need every case there is (LTT's guarantee covers the selection itself).
  const p = await prepare(args, ['calibration', 'evaluation'], ['text'], 0);
  const r = chooseRoutingThresholds(p.cases, p.policy, args.targets);
  // Keep the file's own JSON (every field, in order); only thresholds, their basis and the version change.
  const raw = JSON.parse(await readFile(p.policyPath, 'utf8')) as Record<string, unknown> & { thresholds: Record<string, unknown> };
  const version = bumpVersion(String(raw.version), args.date ?? new Date());
  const updated = {
    ...raw,
    version,
    thresholds: { ...raw.thresholds, ...r.thresholds },
    thresholdsBasis: {
      method: 'Learn-then-Test, fixed-sequence, exact binomial p-values; each bound holds with probability 1 - delta on its own',
      delta: args.targets.delta,
      calibration: `${p.cases.length} generated referrals (text), one per source record, seed ${p.seed}; ${p.description}`,
      bounds: Object.fromEntries(r.chosen.map((c) => [c.name, { value: c.value, alpha: c.alpha, losses: c.losses, n: c.n, upperBound: Number(c.upperBound.toFixed(4)), fallback: c.fallback }])),
    },
  };
  parsePolicy(updated, 'updated policy');
  const path = resolve(args.out ?? p.policyPath);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(updated, null, 2)}\n`);
  return { path, version, chosen: r.chosen, notes: r.notes, calibrationCases: p.cases.length };
}
