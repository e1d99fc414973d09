// Referral-shaped routing cases: generated referrals through a document channel, read by the fields stage's rules,
// classified (masked as classify masks them) by the fold model that never saw the record, with red flags applied.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseTrainingJsonl, type TrainingRecord, type Urgency } from '@triage/classifier';
import { joinPageTexts, type ReferralFields } from '@triage/contracts';
import { closeDocumentWorkers } from '@triage/documents';
import { extractFields } from '@triage/fields';
import { applyRedFlags, maskStatements, NO_FLAGS, statedReferral, type RedFlagResult, type RedFlagRules, type RoutingPolicy, type StatedReferral, type TriagePrediction } from '@triage/routing';
import { createDocumentStages, type PipelineSettings } from '../channels.ts';
import { mapLimit } from '../map-limit.ts';
import { predictRecords } from '../predictions.ts';
import { TSAI_FORM } from '../referrals/acroforms.ts';
import { loadClinicalSources } from '../referrals/clinical-source.ts';
import { readThroughChannel, type FieldChannel } from '../referrals/fields-channels.ts';
import { REFERENCE_DATE, generateReferral } from '../referrals/generate.ts';
import type { GeneratedReferral, NamedClinic } from '../referrals/referral-types.ts';

export const ROUTING_CHANNELS = ['text', 'pdf', 'fax'] as const;
export type RoutingChannel = (typeof ROUTING_CHANNELS)[number];
export type Split = 'calibration' | 'evaluation';

export type RoutingCase = {
  id: string;
  channel: RoutingChannel;
  dataset: 'mtsamples' | 'ktas';
  split: Split;
  layout: string;
  namedClinic: NamedClinic;
  /** The stated-priority truth: what the referrer wrote, if anything. */
  statedPriority?: Urgency;
  /** Every team the content is labelled with (MTSamples: specialties; KTAS: derived from the complaint). */
  goldTeams: string[];
  goldUrgency?: Urgency;
  /** The team the referral names (right or wrong), as truth. */
  namedTeam?: string;
  pred: TriagePrediction;
  flags: RedFlagResult;
  stated: StatedReferral;
  fields: ReferralFields;
  lowConfidencePages: number[];
  failure?: string;
};

/** Half the source records calibrate thresholds, the other half evaluate them: fixed by the record, never by chance. */
export function splitOf(dataset: string, id: string): Split {
  return createHash('sha256').update(`${dataset}:${id}`).digest()[0]! % 2 === 0 ? 'calibration' : 'evaluation';
}

/** The training records (same files and order as the shipped model's data) and the index of each source id. */
async function labelledRecords(datasetsDir: string): Promise<{ records: TrainingRecord[]; index: Map<string, number> }> {
  const records: TrainingRecord[] = [];
  const index = new Map<string, number>();
  for (const [dataset, file] of [['mtsamples', 'mtsamples/documents.jsonl.gz'], ['ktas', 'ktas/triage.jsonl.gz']] as const) {
    const buf = await readFile(join(datasetsDir, file));
    for (const line of gunzipSync(buf).toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      const [r] = parseTrainingJsonl(line, file);
      if (!r) continue;
      index.set(`${dataset}:${String((JSON.parse(line) as { id?: unknown }).id)}`, records.length);
      records.push(r);
    }
  }
  return { records, index };
}

/** Referrals, at most one per source record (several letters from one record would not be independent draws). */
export function onePerRecord(docs: GeneratedReferral[]): GeneratedReferral[] {
  const seen = new Set<string>();
  return docs.filter((d) => {
    const k = `${d.source.dataset}:${d.source.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export type PrepareRoutingArgs = {
  datasetsDir: string;
  policy: RoutingPolicy;
  rules: RedFlagRules | null;
  seed: number;
  /** Referrals to draw before keeping one per record. */
  draws: number;
  splits: Split[];
  channels: RoutingChannel[];
  /** Per split, how many referrals go through the fax channel (OCR takes seconds a page). */
  faxSample: number;
  folds: number;
  pipeline: PipelineSettings;
  onProgress?: (m: string) => void;
};

type Read = { doc: GeneratedReferral; channel: RoutingChannel; fields: ReferralFields; text: string; masked: string; lowConfidencePages: number[]; failure?: string };

export async function prepareRoutingCases(args: PrepareRoutingArgs): Promise<{ cases: RoutingCase[]; description: string; records: number }> {
  const sources = await loadClinicalSources(args.datasetsDir, new Set(Object.keys(args.policy.teams)));
  const all = Array.from({ length: args.draws }, (_, i) => generateReferral(i, { seed: args.seed, sources }));
  const docs = onePerRecord(all).filter((d) => args.splits.includes(splitOf(d.source.dataset, d.source.id)));
  args.onProgress?.(`${docs.length} referrals (one per source record) from ${args.draws} draws, seed ${args.seed}`);
  const { records, index } = await labelledRecords(args.datasetsDir);
  const reads = await readAll(docs, args);
  const extraTexts = reads.map((r) => {
    const of = index.get(`${r.doc.source.dataset}:${r.doc.source.id}`);
    if (of === undefined) throw new Error(`source record ${r.doc.source.dataset}:${r.doc.source.id} is not in the training data`);
    return { of, text: r.masked };
  });
  const run = await predictRecords(records, { folds: args.folds, seed: args.seed, extraTexts, ...(args.onProgress && { onProgress: args.onProgress }) });
  const cases = reads.map((r, k): RoutingCase => {
    const d = r.doc;
    return {
      id: d.id,
      channel: r.channel,
      dataset: d.source.dataset,
      split: splitOf(d.source.dataset, d.source.id),
      layout: d.layout,
      namedClinic: d.labels.namedClinic,
      ...(d.labels.statedPriority && { statedPriority: d.labels.statedPriority }),
      goldTeams: d.labels.specialties.length ? d.labels.specialties : [d.labels.specialty],
      ...(d.labels.urgency && { goldUrgency: d.labels.urgency }),
      ...(d.truth.referredTo?.specialty && { namedTeam: d.truth.referredTo.specialty }),
      pred: run.extraPredictions[k]!,
      flags: args.rules ? applyRedFlags(r.text, args.rules) : NO_FLAGS,
      stated: statedReferral(r.fields),
      fields: r.fields,
      lowConfidencePages: r.lowConfidencePages,
      ...(r.failure && { failure: r.failure }),
    };
  });
  return { cases, description: run.description, records: records.length };
}

async function readAll(docs: GeneratedReferral[], args: PrepareRoutingArgs): Promise<Read[]> {
  const needsStages = args.channels.some((c) => c !== 'text');
  const stages = needsStages ? createDocumentStages(args.pipeline, 'fine') : null;
  const tsai = docs.some((d) => d.acroform?.template === 'tsai') && needsStages ? await readFile(join(args.datasetsDir, ...TSAI_FORM)) : null;
  const out: Read[] = [];
  try {
    for (const channel of args.channels) {
      // AcroForms are PDFs: they have no text or fax rendering here, only the pdf channel (form fields + text layer).
      let mine = docs.filter((d) => (channel === 'pdf' ? true : d.family !== 'acroform'));
      if (channel === 'fax') mine = args.splits.flatMap((s) => mine.filter((d) => splitOf(d.source.dataset, d.source.id) === s).slice(0, args.faxSample));
      let done = 0;
      const lanes = channel === 'fax' ? args.pipeline.OCR_WORKERS + 1 : channel === 'pdf' ? 2 : 1;
      out.push(
        ...(await mapLimit(mine, lanes, async (doc) => {
          const r = await readOne(doc, channel, stages, tsai, args.policy);
          if (++done % 100 === 0 || done === mine.length) args.onProgress?.(`${channel}: ${done}/${mine.length} read`);
          return r;
        })),
      );
    }
  } finally {
    if (stages) {
      await stages.engine.close();
      await closeDocumentWorkers();
    }
  }
  return out;
}

async function readOne(doc: GeneratedReferral, channel: RoutingChannel, stages: ReturnType<typeof createDocumentStages> | null, tsai: Buffer | null, policy: RoutingPolicy): Promise<Read> {
  const via: FieldChannel = channel === 'pdf' && doc.family === 'acroform' ? 'acroform' : channel;
  const read = await readThroughChannel(doc, via, stages!, tsai);
  const fields: ReferralFields = read.failure ? {} : extractFields({ pages: read.pages, ...(read.acroform && { acroform: read.acroform }), clinics: policy.clinics, today: REFERENCE_DATE }).fields;
  const text = joinPageTexts(read.pages.map((p) => p.text));
  // classify fails such a document (no_text): it never reaches routing.
  const failure = read.failure ?? (text.replace(/\s/g, '').length < 3 ? 'no_text' : undefined);
  const ocrPages = read.pages.filter((p) => p.source === 'ocr');
  const lowConfidencePages = ocrPages.filter((_, i) => (read.ocrConfidences[i] ?? 0) < (stages?.ocrMinConfidence ?? 0)).map((p) => p.pageNo);
  return {
    doc,
    channel,
    fields,
    text,
    masked: joinPageTexts(maskStatements(read.pages, fields)),
    lowConfidencePages,
    ...(failure && { failure }),
  };
}
