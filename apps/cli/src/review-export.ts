import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { trainingRecordSchema } from '@triage/classifier';
import { joinPageTexts, reviewDecision } from '@triage/contracts';
import type { Keyring } from '@triage/crypto';
import { getPages, latestFieldSet, listLabelledDecisions, type Executor } from '@triage/db';

export type ExportResult = { written: number; skipped: number };

/** The values a reviewer set or corrected (source `reviewer`), by field name. */
function reviewerFields(fields: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries((fields ?? {}) as Record<string, { value?: unknown; source?: string }>)) {
    if (f?.source === 'reviewer') out[name] = f.value;
  }
  return out;
}

/**
 * Reviewer decisions as training records (packages/classifier dataset shape). Confirmations keep the labels
 * the reviewer was shown; corrections carry the reviewer's labels. The file holds document text: it is
 * written owner-only.
 */
export async function exportReviewDecisions(db: Executor, keyring: Keyring, out: string, since?: Date): Promise<ExportResult> {
  const rows = await listLabelledDecisions(db, since);
  const stream = createWriteStream(out, { mode: 0o600 });
  let written = 0;
  let skipped = 0;
  try {
    for (const row of rows) {
      // The note and a free-text reason are sealed and teach the model nothing: labels only.
      const { note: _note, reason: _reason, ...labels } = (row.decision ?? {}) as Record<string, unknown>;
      const d = reviewDecision.safeParse(labels.action === 'reject' ? { ...labels, reason: 'other' } : labels);
      if (!d.success || d.data.action === 'reject') {
        skipped++;
        continue;
      }
      const urgency = d.data.action === 'correct' ? d.data.urgency : (row.predictedUrgency ?? row.referralUrgency);
      const specialty = d.data.action === 'correct' ? d.data.specialty : (row.predictedSpecialty ?? row.referralSpecialty);
      const text = joinPageTexts((await getPages(db, row.documentId, keyring)).map((p) => p.text));
      const fieldCorrections = reviewerFields((await latestFieldSet(db, row.documentId, keyring))?.fields);
      const record = trainingRecordSchema.safeParse({
        text,
        urgency,
        specialties: [specialty],
        source: `review:${row.taskId}`,
        ...(Object.keys(fieldCorrections).length ? { fieldCorrections } : {}),
      });
      // An empty text (unreadable scan) teaches nothing.
      if (!record.success) {
        skipped++;
        continue;
      }
      if (!stream.write(`${JSON.stringify(record.data)}\n`)) await once(stream, 'drain');
      written++;
    }
  } finally {
    stream.end();
    await once(stream, 'close');
  }
  return { written, skipped };
}
