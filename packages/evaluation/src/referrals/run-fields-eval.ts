// `eval --fields`: generated referrals through the document channels and extractFields, scored against truth.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { closeDocumentWorkers } from '@triage/documents';
import { FIELDS_VERSION, extractFields } from '@triage/fields';
import { loadPolicy } from '@triage/routing';
import { createDocumentStages, pipelineSettings, type FaxResolution, type PipelineSettings } from '../channels.ts';
import { DEFAULT_POLICY_PATH } from '../evaluate.ts';
import { mapLimit } from '../map-limit.ts';
import { TSAI_FORM } from './acroforms.ts';
import { loadClinicalSources } from './clinical-source.ts';
import { fieldCalibration } from './field-metrics.ts';
import { channelApplies, readThroughChannel, type FieldChannel } from './fields-channels.ts';
import { channelReport, composition, markdownReport, summaryTable, timing, type ChannelRun, type FieldsReport } from './fields-report.ts';
import { REFERENCE_DATE, generateReferrals } from './generate.ts';

export type FieldsEvalArgs = {
  out: string;
  /** Referrals to generate (default 200). */
  sample?: number;
  seed?: number;
  /** Default text, pdf and acroform; fax (OCR) only when asked: it takes seconds a page. */
  channels?: FieldChannel[];
  policyPath?: string;
  /** The shared datasets directory (default: `sharedPath('datasets')` from @triage/testkit). */
  datasetsDir?: string;
  pipeline?: PipelineSettings;
  ocrEngine?: PipelineSettings['OCR_ENGINE'];
  ocrWorkers?: number;
  faxResolution?: FaxResolution;
  onProgress?: (message: string) => void;
};

export type FieldsEvalResult = { report: FieldsReport; jsonPath: string; markdownPath: string; summary: string };

async function defaultDatasetsDir(): Promise<string> {
  // testkit is a dev-time package; load it only when no directory is given.
  const { sharedPath } = await import('@triage/testkit');
  return sharedPath('datasets');
}

export async function runFieldsEvalCommand(args: FieldsEvalArgs): Promise<FieldsEvalResult> {
  const sample = args.sample ?? 200;
  const seed = args.seed ?? 1;
  const channels = args.channels ?? ['text', 'pdf', 'acroform'];
  const policyPath = resolve(args.policyPath ?? DEFAULT_POLICY_PATH);
  const policy = loadPolicy(policyPath);
  const datasetsDir = args.datasetsDir ?? (await defaultDatasetsDir());
  const sources = await loadClinicalSources(datasetsDir, new Set(Object.keys(policy.teams)));
  const docs = generateReferrals({ seed, count: sample, sources });
  args.onProgress?.(`generated ${docs.length} referrals (seed ${seed})`);

  const base = args.pipeline ?? pipelineSettings();
  const settings = { ...base, ...(args.ocrEngine && { OCR_ENGINE: args.ocrEngine }), ...(args.ocrWorkers && { OCR_WORKERS: args.ocrWorkers }) };
  const faxResolution = args.faxResolution ?? 'fine';
  const documentChannels = channels.some((c) => c !== 'text');
  const stages = documentChannels ? createDocumentStages(settings, faxResolution) : null;
  const needsTsai = channels.includes('acroform') && docs.some((d) => d.acroform?.template === 'tsai');
  const tsaiPdf = needsTsai ? await readFile(join(datasetsDir, ...TSAI_FORM)) : null;

  const byChannel: FieldsReport['byChannel'] = {};
  const pooled: ChannelRun[] = [];
  let extractor = { version: FIELDS_VERSION, clinicsVersion: policy.clinics.version };
  try {
    for (const channel of channels) {
      const started = Date.now();
      const mine = docs.filter((d) => channelApplies(channel, d));
      let done = 0;
      const lanes = channel === 'fax' ? settings.OCR_WORKERS + 1 : channel === 'text' ? 1 : 2;
      const runs = await mapLimit(mine, lanes, async (doc): Promise<ChannelRun> => {
        const read = await readThroughChannel(doc, channel, stages!, tsaiPdf);
        const t0 = performance.now();
        const r = read.failure ? null : extractFields({ pages: read.pages, ...(read.acroform && { acroform: read.acroform }), clinics: policy.clinics, today: REFERENCE_DATE });
        const extractMs = performance.now() - t0;
        if (r) extractor = { version: r.version, clinicsVersion: r.clinicsVersion };
        if (++done % 25 === 0 || done === mine.length) args.onProgress?.(`${channel}: ${done}/${mine.length} read`);
        return {
          doc,
          scored: { truth: doc.truth, unscored: doc.unscored, predicted: r?.fields ?? {}, namedClinic: doc.labels.namedClinic },
          extractMs,
          ...(read.failure && { failure: read.failure }),
          ocrConfidences: read.ocrConfidences,
        };
      });
      byChannel[channel] = channelReport(runs, (Date.now() - started) / 1000);
      pooled.push(...runs);
    }
  } finally {
    if (stages) {
      await stages.engine.close();
      await closeDocumentWorkers();
    }
  }

  const notes: string[] = [];
  if (!Object.keys(policy.clinics.synonyms).length) notes.push(`The policy's clinic table (${policy.clinics.version}) is empty: referredTo.specialty cannot be mapped.`);
  if (pooled.every((r) => !Object.keys(r.scored.predicted).length)) notes.push('extractFields returned no field on any document (placeholder extractor?).');
  if (channels.includes('fax') && stages) notes.push(`Fax: ${faxResolution} resolution, OCR ${stages.engineNote}.`);
  const report: FieldsReport = {
    kind: 'fields-eval',
    generatedAt: new Date().toISOString(),
    seed,
    sample,
    channels,
    extractor,
    policy: { path: policyPath, version: policy.version, clinicsVersion: policy.clinics.version },
    ocrEngine: stages && channels.includes('fax') ? stages.engineNote : null,
    faxResolution,
    composition: composition(docs),
    byChannel,
    calibration: fieldCalibration(pooled.map((r) => r.scored)),
    msPerTextDocument: byChannel.text?.extractMs ?? timing([]),
    notes,
  };
  await mkdir(args.out, { recursive: true });
  const jsonPath = join(args.out, 'fields-report.json');
  const markdownPath = join(args.out, 'fields-report.md');
  await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(markdownPath, markdownReport(report));
  return { report, jsonPath, markdownPath, summary: summaryTable(report) };
}
