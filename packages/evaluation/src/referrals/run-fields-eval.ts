// `eval --fields`: generated referrals through the document channels and extractFields, scored against truth.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** sha256 (12 hex) of the extractor's sources: its version string does not change while it is being worked on. */
async function extractorDigest(): Promise<string | null> {
  try {
    const dir = dirname(fileURLToPath(import.meta.resolve('@triage/fields')));
    const files = (await readdir(dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
    const h = createHash('sha256');
    for (const f of files) h.update(f).update(await readFile(join(dir, f)));
    return h.digest('hex').slice(0, 12);
  } catch {
    return null;
  }
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
  const extractorErrors: string[] = [];
  let extractor = { version: FIELDS_VERSION, clinicsVersion: policy.clinics.version };
  const sourceDigest = await extractorDigest();
  try {
    for (const channel of channels) {
      const started = Date.now();
      const mine = docs.filter((d) => channelApplies(channel, d));
      // One untimed call first, so the per-document time is not the JIT warming up.
      if (channel === 'text' && mine[0]) {
        try {
          extractFields({ pages: mine[0].pages.map((text, i) => ({ pageNo: i + 1, text, source: 'plain' })), clinics: policy.clinics, today: REFERENCE_DATE });
        } catch {
          // reported below, when the document is read for real
        }
      }
      let done = 0;
      const lanes = channel === 'fax' ? settings.OCR_WORKERS + 1 : channel === 'text' ? 1 : 2;
      const runs = await mapLimit(mine, lanes, async (doc): Promise<ChannelRun> => {
        const read = await readThroughChannel(doc, channel, stages!, tsaiPdf);
        const t0 = performance.now();
        let r: ReturnType<typeof extractFields> | null = null;
        let failure = read.failure;
        try {
          if (!failure) r = extractFields({ pages: read.pages, ...(read.acroform && { acroform: read.acroform }), clinics: policy.clinics, today: REFERENCE_DATE });
        } catch (e) {
          // An extractor bug on one document is a finding, not the end of the run: scored as returning nothing.
          failure = 'extractor_error';
          extractorErrors.push(`${doc.id} (${channel}): ${e instanceof Error ? e.message : String(e)}`);
        }
        const extractMs = performance.now() - t0;
        if (r) extractor = { version: r.version, clinicsVersion: r.clinicsVersion };
        if (++done % 25 === 0 || done === mine.length) args.onProgress?.(`${channel}: ${done}/${mine.length} read`);
        return {
          doc,
          scored: { truth: doc.truth, unscored: doc.unscored, predicted: r?.fields ?? {}, namedClinic: doc.labels.namedClinic },
          extractMs,
          ...(failure && { failure }),
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
  if (extractorErrors.length) notes.push(`extractFields threw on ${extractorErrors.length} document reads (scored as returning nothing), e.g. ${extractorErrors.slice(0, 3).join('; ')}`);
  if (channels.includes('fax') && stages) notes.push(`Fax: ${faxResolution} resolution, OCR ${stages.engineNote}.`);
  const report: FieldsReport = {
    kind: 'fields-eval',
    generatedAt: new Date().toISOString(),
    seed,
    sample,
    channels,
    extractor: { ...extractor, sourceDigest },
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
