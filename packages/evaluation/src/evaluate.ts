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
import { createDocumentStages, pipelineSettings, type Channel, type ChannelInfo, type DocumentChannel, type FaxResolution, type PipelineSettings } from './channels.ts';
import { runDocumentChannel, type ChannelRun } from './document-channel.ts';
import { mapLimit } from './map-limit.ts';
import { stratifiedSample } from './sample.ts';
import { agreementWithText } from './channel-report.ts';
import { closeDocumentWorkers } from '@triage/documents';

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
  /** Channels to compare (`text` always runs); digital-pdf and fax-ocr go through the real document stages. */
  channels?: Channel[];
  /** Records (seeded, stratified) that go through every channel; default all. */
  sample?: number;
  /** Extraction, rendering and OCR settings; default the config schema's defaults (as the workers run). */
  pipeline?: PipelineSettings;
  faxResolution?: FaxResolution;
  /** Overrides of the pipeline's OCR_ENGINE / OCR_WORKERS (`--ocr-engine`, `--ocr-workers`). */
  ocrEngine?: PipelineSettings['OCR_ENGINE'];
  ocrWorkers?: number;
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
  /** The sampled records through every requested channel (text included), for the channel comparison. */
  channelCases: EvalCase[];
  channelInfo: ChannelInfo;
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
  const channels = args.channels ?? ['text'];
  const sample = args.sample === undefined ? records.map((_, i) => i) : stratifiedSample(records, args.sample, args.seed ?? 42);
  const faxResolution = args.faxResolution ?? 'fine';
  const { runs, engine, seconds } = await readThroughChannels(records, sample, channels.filter((c): c is DocumentChannel => c !== 'text'), settingsOf(args), faxResolution, args.onProgress);
  args.onProgress?.(`${records.length} labelled records; predicting (${args.folds ? `${args.folds}-fold CV` : 'shipped model'})`);
  const run = await predictRecords(records, {
    ...(args.modelPath !== undefined && { modelPath: args.modelPath }),
    ...(args.folds !== undefined && { folds: args.folds }),
    ...(args.seed !== undefined && { seed: args.seed }),
    ...(args.onProgress && { onProgress: args.onProgress }),
    extraTexts: runs.map((r) => ({ of: r.of, text: r.run.text })),
  });
  const cases = buildCases(records, run.predictions, groups, policy, rules);
  const channelCases = [
    ...sample.map((i) => ({ ...cases[i]!, record: i })),
    ...buildCases(
      runs.map((r) => records[r.of]!),
      run.extraPredictions,
      runs.map((r) => groups[r.of]!),
      policy,
      rules,
      runs.map((r) => r.run),
    ).map((c, k) => ({ ...c, record: runs[k]!.of })),
  ];
  return {
    records,
    cases,
    run,
    policy,
    policyPath,
    rules,
    channelCases,
    channelInfo: { channels, sampled: sample.length, engine, faxResolution, seconds },
  };
}

function settingsOf(args: Omit<EvalCommandArgs, 'out'>): PipelineSettings {
  const base = args.pipeline ?? pipelineSettings();
  return { ...base, ...(args.ocrEngine !== undefined && { OCR_ENGINE: args.ocrEngine }), ...(args.ocrWorkers !== undefined && { OCR_WORKERS: args.ocrWorkers }) };
}

/** Renders and reads back the sampled records through each document channel, with the workers' stage functions. */
async function readThroughChannels(
  records: TrainingRecord[],
  sample: number[],
  channels: DocumentChannel[],
  settings: PipelineSettings,
  faxResolution: FaxResolution,
  onProgress?: (message: string) => void,
): Promise<{ runs: Array<{ of: number; run: ChannelRun }>; engine: string | null; seconds: Partial<Record<Channel, number>> }> {
  if (!channels.length) return { runs: [], engine: null, seconds: {} };
  const stages = createDocumentStages(settings, faxResolution);
  const runs: Array<{ of: number; run: ChannelRun }> = [];
  const seconds: Partial<Record<Channel, number>> = {};
  try {
    for (const channel of channels) {
      const started = Date.now();
      let done = 0;
      // One more document in flight than OCR workers, so rendering and parsing overlap recognition.
      const out = await mapLimit(sample, settings.OCR_WORKERS + 1, async (i) => {
        const r = await runDocumentChannel(channel, records[i]!.text, stages);
        if (++done % 20 === 0 || done === sample.length) onProgress?.(`${channel}: ${done}/${sample.length} documents read`);
        return r;
      });
      seconds[channel] = (Date.now() - started) / 1000;
      out.forEach((run, k) => runs.push({ of: sample[k]!, run }));
    }
  } finally {
    await stages.engine.close();
    await closeDocumentWorkers();
  }
  return { runs, engine: stages.engineNote, seconds };
}

/**
 * Overall metrics plus `by.<dimension>.<group>.<metric>` for every subgroup. `by.channel.*` comes from the channel
 * comparison (the sampled records through every channel); everything else from the text channel over all records.
 */
export function allMetrics(cases: EvalCase[], channelCases: EvalCase[] = cases): Record<string, number> {
  const out: Record<string, number> = { ...computeMetrics(cases) };
  for (const dim of SUBGROUP_DIMENSIONS) {
    for (const [g, members] of groupBy(dim === 'channel' ? channelCases : cases, dim)) {
      for (const [k, v] of Object.entries(computeMetrics(members))) out[`by.${dim}.${g}.${k}`] = v;
    }
  }
  for (const [ch, a] of agreementWithText(channelCases)) {
    for (const [k, v] of Object.entries(a)) if (v !== undefined) out[`by.channel.${ch}.sameAsText.${k}`] = v;
  }
  return out;
}

export async function runEvalCommand(args: EvalCommandArgs): Promise<EvalCommandResult> {
  const started = Date.now();
  const prepared = await prepareCases(args);
  const metrics = allMetrics(prepared.cases, prepared.channelCases);
  for (const [ch, s] of Object.entries(prepared.channelInfo.seconds)) metrics[`by.channel.${ch}.document.wallSeconds`] = s;
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
  await writeFile(join(out, 'metrics.json'), `${JSON.stringify({ mode: prepared.run.mode, description: prepared.run.description, channels: prepared.channelInfo, metrics }, null, 2)}\n`);
  return { reportMd, reportHtml, metrics };
}
