// Training data: the canonical JSONL shape, plus the two raw shared datasets, detected per line.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';

export const URGENCIES = ['emergent', 'urgent', 'routine'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const trainingRecordSchema = z
  .object({
    text: z.string().min(1),
    urgency: z.enum(URGENCIES).optional(),
    specialties: z.array(z.string().min(1)).min(1).optional(),
    source: z.string().optional(),
    /** Field values a reviewer corrected (name → value): labels for the fields reader; the classifier ignores them. */
    fieldCorrections: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((r) => r.urgency !== undefined || r.specialties !== undefined, {
    message: 'record has neither "urgency" nor "specialties"',
  });
export type TrainingRecord = z.infer<typeof trainingRecordSchema>;

const ktasSchema = z.object({
  triage_text: z.string().min(1),
  ktas_expert: z.number().int().min(1).max(5),
});
const mtsamplesSchema = z.object({ text: z.string().min(1), specialties: z.array(z.string()) });

/** KTAS 1–2 → emergent, 3 → urgent, 4–5 → routine (the product's mapping). */
export function ktasToUrgency(level: number): Urgency {
  return level <= 2 ? 'emergent' : level === 3 ? 'urgent' : 'routine';
}

const CANONICAL_KEYS = new Set(['text', 'urgency', 'specialties', 'source']);

/** Parses one JSONL object; returns null for raw rows that carry no label (skipped, not an error). */
export function parseTrainingObject(obj: unknown): TrainingRecord | null {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new Error('expected a JSON object');
  const o = obj as Record<string, unknown>;
  if ('triage_text' in o && 'ktas_expert' in o) {
    const k = ktasSchema.parse(o);
    return { text: k.triage_text, urgency: ktasToUrgency(k.ktas_expert), source: 'ktas' };
  }
  // Raw MTSamples rows have extra fields (id, title, …); canonical ones never do.
  if ('specialties' in o && 'text' in o && Object.keys(o).some((key) => !CANONICAL_KEYS.has(key))) {
    const m = mtsamplesSchema.parse(o);
    const specialties = [...new Set(m.specialties.map((s) => s.trim()).filter(Boolean))];
    return specialties.length ? { text: m.text, specialties, source: 'mtsamples' } : null;
  }
  return trainingRecordSchema.parse(o);
}

function describe(err: unknown): string {
  if (err instanceof z.ZodError) {
    return err.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
  }
  return err instanceof Error ? err.message : String(err);
}

/** Parses JSONL content; errors name the file and the 1-based line number. */
export function parseTrainingJsonl(content: string, name = '<input>'): TrainingRecord[] {
  const out: TrainingRecord[] = [];
  content.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let record: TrainingRecord | null;
    try {
      record = parseTrainingObject(JSON.parse(line));
    } catch (err) {
      throw new Error(`${name} line ${i + 1}: ${describe(err)}`);
    }
    if (record) out.push(record);
  });
  return out;
}

export async function readTrainingFiles(paths: string[]): Promise<TrainingRecord[]> {
  const all: TrainingRecord[] = [];
  for (const path of paths) {
    const buf = await readFile(path);
    // Detect gzip by magic bytes so a misnamed file still works.
    const raw = buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf;
    all.push(...parseTrainingJsonl(raw.toString('utf8').replace(/^\uFEFF/, ''), path));
  }
  return all;
}

/** sha256 over the records in a fixed key order: identifies exactly what a model was trained on. */
export function recordsDigest(records: TrainingRecord[]): string {
  const h = createHash('sha256');
  for (const r of records) {
    h.update(JSON.stringify([r.text, r.urgency ?? null, r.specialties ?? null, r.source ?? null]));
    h.update('\n');
  }
  return h.digest('hex');
}
