import { sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import { rowsOf } from './client.ts';

/** A half-open time window [from, to). */
export type DriftWindow = { from: Date; to: Date };

/** One classified document: labels, confidences and input aggregates. No text, no identifiers. */
export type DriftDocSample = {
  kind: string;
  /** UTF-8 bytes of the page text, read off the ciphertext length (see below); null without readable pages. */
  textBytes: number | null;
  /** Mean OCR confidence of the document's OCR'd pages; null when no page went through OCR. */
  ocrConfidence: number | null;
  urgency: string;
  urgencyConfidence: number;
  specialty: string;
  specialtyConfidence: number;
};

/** A reviewed case: what the model said and what the reviewer decided (confirm: the same labels). */
export type DriftReviewedCase = { predictedUrgency: string; predictedSpecialty: string; trueUrgency: string; trueSpecialty: string };

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** Model versions that classified anything in the window (the report is per version). */
export async function driftModelVersions(db: Executor, w: DriftWindow): Promise<string[]> {
  const rows = rowsOf<{ v: string }>(
    await db.execute(sql`select distinct model_version v from classifications where created_at >= ${at(w.from)} and created_at < ${at(w.to)} order by 1`),
  );
  return rows.map((r) => r.v);
}

/**
 * The window's documents as classified by `modelVersion` (latest run in the window per document). Page text is
 * sealed: its length comes from the ciphertext, never from decrypting. `tc1:<key id>:<base64url(12-byte IV ·
 * 16-byte tag · ciphertext)>`, and GCM ciphertext is exactly as long as the plaintext, so
 * bytes = ⌊3·L/4⌋ − 28 for the L base64url characters. Legacy plaintext pages count as they are; purged pages not.
 * `limit` caps the heavy part: rows come in document-id order, and random uuids make that a random sample.
 */
export async function driftSamples(db: Executor, modelVersion: string, w: DriftWindow, limit = 20_000): Promise<DriftDocSample[]> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      with c as (
        select distinct on (document_id) document_id, urgency, urgency_confidence, specialty, specialty_confidence
        from classifications
        where model_version = ${modelVersion} and created_at >= ${at(w.from)} and created_at < ${at(w.to)}
        order by document_id, run desc
        limit ${limit}
      )
      select d.kind, c.urgency, c.urgency_confidence, c.specialty, c.specialty_confidence, p.text_bytes, p.ocr_confidence
      from c
      join documents d on d.id = c.document_id
      left join lateral (
        select
          sum(case when pg.text like 'tc1:%'
                then ((length(pg.text) - 5 - length(split_part(pg.text, ':', 2))) * 3) / 4 - 28
                else octet_length(pg.text) end) filter (where pg.purged_at is null) text_bytes,
          avg(pg.ocr_confidence) ocr_confidence
        from pages pg where pg.document_id = c.document_id
      ) p on true`),
  );
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => ({
    kind: String(r.kind),
    textBytes: num(r.text_bytes),
    ocrConfidence: num(r.ocr_confidence),
    urgency: String(r.urgency),
    urgencyConfidence: Number(r.urgency_confidence),
    specialty: String(r.specialty),
    specialtyConfidence: Number(r.specialty_confidence),
  }));
}

/**
 * Confirmed and corrected review decisions on `modelVersion`'s predictions, decided in the window (rejections carry
 * no label). Selection bias: review sees low-confidence and flagged cases more often than the rest, so
 * P(pred | true) from them is a review-population estimate; audit-sampled tasks (`audit_sample`) are the unbiased part.
 */
export async function driftReviewedCases(db: Executor, modelVersion: string, w: DriftWindow, limit = 20_000): Promise<DriftReviewedCase[]> {
  const rows = rowsOf<{ pu: string; ps: string; tu: string; ts: string }>(
    await db.execute(sql`
      select predicted_urgency pu, predicted_specialty ps,
        case when decision->>'action' = 'correct' then decision->>'urgency' else predicted_urgency end tu,
        case when decision->>'action' = 'correct' then decision->>'specialty' else predicted_specialty end ts
      from review_tasks
      where status = 'decided' and decision->>'action' in ('confirm', 'correct')
        and predicted_urgency is not null and predicted_specialty is not null
        and model_version = ${modelVersion} and decided_at >= ${at(w.from)} and decided_at < ${at(w.to)}
      limit ${limit}`),
  );
  return rows.map((r) => ({ predictedUrgency: r.pu, predictedSpecialty: r.ps, trueUrgency: r.tu, trueSpecialty: r.ts }));
}
