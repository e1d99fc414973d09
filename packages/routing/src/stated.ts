import type { ReferralFields } from '@triage/contracts';
import type { StatedReferral } from './decide.ts';

/** What routing takes from the fields stage: the clinic named (mapped to a specialty) and the stated priority. */
export function statedReferral(fields: ReferralFields | null | undefined): StatedReferral {
  const clinic = fields?.referredTo;
  const priority = fields?.statedPriority;
  return {
    ...(clinic?.value.specialty && { clinic: { specialty: clinic.value.specialty, confidence: clinic.confidence } }),
    ...(priority && { priority: { value: priority.value, confidence: priority.confidence } }),
  };
}

/**
 * Page texts with the referrer's statements of clinic and priority blanked out (same length, so offsets hold):
 * the model must judge the content on its own, or "agreement" with a wrong clinic would be the letter agreeing
 * with itself.
 */
export function maskStatements(pages: ReadonlyArray<{ pageNo: number; text: string }>, fields: ReferralFields | null | undefined): string[] {
  const spans = [...(fields?.referredTo?.evidence ?? []), ...(fields?.statedPriority?.evidence ?? [])];
  return pages.map((p) => {
    let text = p.text;
    for (const e of spans) {
      if (e.page !== p.pageNo) continue;
      const start = Math.max(0, Math.min(e.start, text.length));
      const end = Math.max(start, Math.min(e.end, text.length));
      text = text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
    }
    return text;
  });
}
