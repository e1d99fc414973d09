// `triage eval`: run the real classifier + red flags + routing policy over labelled data and write a report.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTrainingFiles, type TrainingRecord } from '@triage/classifier';
import { loadPolicy, type RoutingPolicy } from '@triage/routing';
import { buildCases, computeMetrics, groupBy, type EvalCase } from './cases.ts';
import { buildEvalReport } from './eval-report.ts';
import { predictRecords, type PredictionRun } from './predictions.ts';
import { DEFAULT_RED_FLAGS_PATH, loadRedFlags, type RedFlagRules } from '@triage/routing';
import { chartsOf, renderHtml, renderMarkdown } from './report.ts';
import { documentTypesByText, SUBGROUP_DIMENSIONS, subgroupsOf } from './subgroups.ts';

export const DEFAULT_POLICY_PATH = fileURLToPath(new URL('../../../policy/routing-policy.json', import.meta.url));

export type EvalCommandArgs = {
  data: string[];
  out: string;
  modelPath?: string;
  policyPath?: string;
  /** Defaults to policy/red-flags.json; pass null to evaluate the model and policy without rules. */
  redFlagsPath?: string | null;
  /** K-fold cross-validated predictions; without it the shipped model is evaluated as is. */
  folds?: number;
  seed?: number;
  onProgress?: (message: string) => void;
};
export type EvalCommandResult = { reportMd: string; reportHtml: string; metrics: Record<string, number> };

export type Prepared = {
  records: TrainingRecord[];
  cases: EvalCase[];
  run: PredictionRun;
  policy: RoutingPolicy;
  policyPath: string;
  rules: RedFlagRules | null;
};

/** Records → predictions → red flags → routing decisions; shared by eval and threshold selection. */
export async function prepareCases(args: Omit<EvalCommandArgs, 'out'>): Promise<Prepared> {
  if (!args.data.length) throw new Error('no evaluation data files given');
  const records = await readTrainingFiles(args.data);
  if (!records.length) throw new Error('the evaluation data holds no labelled records');
  const policyPath = resolve(args.policyPath ?? DEFAULT_POLICY_PATH);
  const policy = loadPolicy(policyPath);
  const rules = args.redFlagsPath === null ? null : loadRedFlags(args.redFlagsPath ?? DEFAULT_RED_FLAGS_PATH);
  const docTypes = await documentTypesByText(args.data);
  const groups = records.map((r) => subgroupsOf(r, docTypes));
  args.onProgress?.(`${records.length} labelled records; predicting (${args.folds ? `${args.folds}-fold CV` : 'shipped model'})`);
  const run = await predictRecords(records, {
    ...(args.modelPath !== undefined && { modelPath: args.modelPath }),
    ...(args.folds !== undefined && { folds: args.folds }),
    ...(args.seed !== undefined && { seed: args.seed }),
    ...(args.onProgress && { onProgress: args.onProgress }),
  });
  return { records, cases: buildCases(records, run.predictions, groups, policy, rules), run, policy, policyPath, rules };
}

/** Overall metrics plus `by.<dimension>.<group>.<metric>` for every subgroup. */
export function allMetrics(cases: EvalCase[]): Record<string, number> {
  const out: Record<string, number> = { ...computeMetrics(cases) };
  for (const dim of SUBGROUP_DIMENSIONS) {
    for (const [g, members] of groupBy(cases, dim)) {
      for (const [k, v] of Object.entries(computeMetrics(members))) out[`by.${dim}.${g}.${k}`] = v;
    }
  }
  return out;
}

export async function runEvalCommand(args: EvalCommandArgs): Promise<EvalCommandResult> {
  const started = Date.now();
  const prepared = await prepareCases(args);
  const metrics = allMetrics(prepared.cases);
  const doc = buildEvalReport({
    ...prepared,
    metrics,
    data: args.data.map((d) => resolve(d)),
    seconds: (Date.now() - started) / 1000,
  });
  const out = resolve(args.out);
  await mkdir(out, { recursive: true });
  const reportMd = renderMarkdown(doc);
  const reportHtml = renderHtml(doc);
  for (const chart of chartsOf(doc)) await writeFile(join(out, chart.file), `${chart.svg}\n`);
  await writeFile(join(out, 'report.md'), reportMd);
  await writeFile(join(out, 'report.html'), reportHtml);
  await writeFile(join(out, 'metrics.json'), `${JSON.stringify({ mode: prepared.run.mode, description: prepared.run.description, metrics }, null, 2)}\n`);
  return { reportMd, reportHtml, metrics };
}
