import { CONFIRM_REASONS, CORRECT_REASONS, FIELD_NAMES, joinPageTexts, PAGE_SEPARATOR, REJECT_REASONS, URGENCIES } from '@triage/contracts';
import type { ClassificationRow, DocumentRow, FieldSetRow, PageRow, Principal, ReferralRow, ReviewTaskListRow } from '@triage/db';
import type { RedFlagRules, RoutingPolicy } from '@triage/routing';
import { missingFieldNames } from './missing-fields.ts';


export type TaskSummary = ReturnType<typeof taskSummary>;

export function taskSummary(row: ReviewTaskListRow, now: Date, viewer: Principal) {
  const live = row.claimedById !== null && row.claimExpiresAt !== null && row.claimExpiresAt > now;
  return {
    id: row.id,
    documentId: row.documentId,
    status: row.status,
    reasons: row.reasons,
    urgency: row.urgency,
    urgencyConfidence: row.urgencyConfidence,
    specialty: row.specialty,
    specialtyConfidence: row.specialtyConfidence,
    team: row.team,
    suspectedEmergent: row.suspectedEmergent,
    createdAt: row.createdAt.toISOString(),
    dueAt: row.dueAt.toISOString(),
    overdue: row.status === 'open' && row.dueAt <= now,
    // An expired lease is nobody's: the UI shows the case as free.
    claim: live ? { by: row.claimedBy ?? 'unknown', expiresAt: row.claimExpiresAt!.toISOString(), mine: row.claimedById === viewer.tokenId } : null,
  };
}

type StoredEvidence = { head: 'urgency' | 'specialty'; start: number; end: number; weight: number };
type StoredHit = { ruleId: string; start: number; end: number };

/** Page spans inside the joined text, so the UI can map offsets back to pages. */
export function pageSpans(pages: readonly Pick<PageRow, 'text'>[]): { start: number; end: number }[] {
  let at = 0;
  return pages.map((p) => {
    const span = { start: at, end: at + p.text.length };
    at = span.end + PAGE_SEPARATOR.length;
    return span;
  });
}

export function caseView(input: {
  summary: TaskSummary;
  doc: DocumentRow;
  pages: PageRow[];
  referral: ReferralRow | undefined;
  classification: ClassificationRow | undefined;
  policy: RoutingPolicy;
  redFlags: RedFlagRules | null | undefined;
  fieldSet?: FieldSetRow | undefined;
}) {
  const { summary, doc, pages, referral, classification, policy, redFlags, fieldSet } = input;
  const text = joinPageTexts(pages.map((p) => p.text));
  const spans = pageSpans(pages);
  const inText = (s: number, e: number) => Number.isInteger(s) && Number.isInteger(e) && s >= 0 && e <= text.length && s < e;
  const evidence = ((classification?.evidence ?? []) as StoredEvidence[])
    .filter((e) => inText(e.start, e.end))
    .map((e) => ({ head: e.head, start: e.start, end: e.end, weight: e.weight }));
  const labels = new Map((redFlags?.rules ?? []).map((r) => [r.id, r.description]));
  const hits = ((referral?.redFlags ?? []) as StoredHit[])
    .filter((h) => inText(h.start, h.end))
    .map((h) => ({ rule: h.ruleId, ...(labels.has(h.ruleId) ? { label: labels.get(h.ruleId) } : {}), start: h.start, end: h.end }));
  const probs = (classification?.probabilities ?? {}) as { urgency?: Record<string, number>; specialty?: Record<string, number> };
  return {
    task: summary,
    document: {
      id: doc.id,
      kind: doc.kind,
      receivedAt: doc.receivedAt.toISOString(),
      pages: pages.map((p, i) => ({
        pageNo: p.pageNo,
        source: p.source,
        ocrConfidence: p.ocrConfidence,
        rotation: p.rotation,
        start: spans[i]?.start ?? 0,
        end: spans[i]?.end ?? 0,
        // Word boxes are in pixels of the upright image OCR read at this resolution.
        ...(p.layout ? { layout: { imageWidth: p.layout.imageWidth, imageHeight: p.layout.imageHeight, dpi: p.layout.dpi } } : {}),
      })),
    },
    // Field evidence offsets are per page (`page`, `start`, `end` in that page's text); pages[].start maps them.
    fields: fieldSet ? fieldSet.fields : null,
    missing: fieldSet ? missingFieldNames(fieldSet.missing, referral?.reasons ?? []) : [],
    conflicts: fieldSet?.conflicts ?? [],
    fieldsVersion: fieldSet?.fieldsVersion ?? null,
    fieldNames: [...FIELD_NAMES],
    text,
    evidence,
    redFlags: hits,
    basis: referral?.basis ?? null,
    probabilities: { urgency: probs.urgency ?? {}, specialty: probs.specialty ?? {} },
    modelVersion: referral?.modelVersion ?? classification?.modelVersion ?? null,
    policyVersion: referral?.policyVersion ?? null,
    options: { urgencies: [...URGENCIES], specialties: Object.keys(policy.teams).sort(), rejectReasons: [...REJECT_REASONS], confirmReasons: [...CONFIRM_REASONS], correctReasons: [...CORRECT_REASONS] },
  };
}
