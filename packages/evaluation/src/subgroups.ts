// Subgroups for fairness/robustness breakdowns: source, age band, sex, document type (and the case's channel).
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { TrainingRecord } from '@triage/classifier';

export type Subgroups = { source: string; age: string; sex: string; documentType: string };
/** `channel` (text, digital-pdf, fax-ocr) is set per case by buildCases, not per record. */
export const SUBGROUP_DIMENSIONS = ['source', 'age', 'sex', 'documentType', 'channel'] as const;

const AGE = /\b(\d{1,3})[- ](?:year|yr)s?[- ]old\b/i;
const BANDS: Array<[number, string]> = [
  [18, '0-17'],
  [40, '18-39'],
  [65, '40-64'],
  [80, '65-79'],
  [Infinity, '80+'],
];

export function ageBand(text: string): string {
  const m = AGE.exec(text);
  const age = m ? Number(m[1]) : NaN;
  if (!Number.isFinite(age) || age > 120) return 'unknown';
  return BANDS.find(([upper]) => age < upper)![1];
}

// First mention wins: notes describe the patient before relatives ("her mother …").
const SEX = /\b(male|man|boy|gentleman|female|woman|girl|lady)\b/i;
const FEMALE = new Set(['female', 'woman', 'girl', 'lady']);

export function sexOf(text: string): string {
  const m = SEX.exec(text);
  if (!m) return 'unknown';
  return FEMALE.has(m[1]!.toLowerCase()) ? 'female' : 'male';
}

/**
 * readTrainingFiles drops MTSamples' document_types, so read the raw lines again and key them by text.
 * Multi-typed documents take their first listed type.
 */
export async function documentTypesByText(paths: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const path of paths) {
    const buf = await readFile(path);
    const raw = (buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf).toString('utf8');
    for (const line of raw.split(/\r?\n/)) {
      if (!line.includes('"document_types"')) continue;
      try {
        const o = JSON.parse(line) as { text?: unknown; document_types?: unknown };
        const first = Array.isArray(o.document_types) ? o.document_types.find((t) => typeof t === 'string') : undefined;
        if (typeof o.text === 'string' && typeof first === 'string') out.set(o.text, first);
      } catch {
        // The record loader already reported malformed lines; here they simply carry no type.
      }
    }
  }
  return out;
}

export function subgroupsOf(record: TrainingRecord, documentTypes: Map<string, string>): Subgroups {
  return {
    source: record.source ?? 'unknown',
    age: ageBand(record.text),
    sex: sexOf(record.text),
    documentType: documentTypes.get(record.text) ?? (record.source === 'ktas' ? 'ED triage note' : 'unknown'),
  };
}
