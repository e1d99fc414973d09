import type { Box, Diagnosis, FieldEvidence, FieldValue, Identifier, PageInfo, ReferredTo } from './types.ts';

/** Below this the reader is often wrong: the panel marks the value for a second look. */
export const LOW_CONFIDENCE = 0.8;

/** Format hints shown under the editor: the API refuses anything else. */
export const FIELD_HINTS: Record<string, string> = {
  birthDate: 'YYYY-MM-DD',
  referralDate: 'YYYY-MM-DD',
  referrerNpi: '10 digits',
  identifiers: 'One per line, "kind: value" (mrn, nhs, medicare, medicaid, ssn, other)',
  diagnoses: 'One per line, an optional ICD-10 code first',
};
export const SEXES = ['female', 'male', 'other', 'unknown'] as const;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value as lines of text: one line for most fields, one per entry for lists. */
export function formatValue(name: string, value: FieldValue | unknown): string[] {
  if (typeof value === 'string') return [value];
  if (name === 'referredTo' && isObj(value)) {
    const r = value as ReferredTo;
    return [`${r.raw} → ${r.specialty ?? 'no specialty'}`];
  }
  if (Array.isArray(value)) {
    if (name === 'identifiers') return (value as Identifier[]).map((i) => `${i.kind}: ${i.value}`);
    if (name === 'diagnoses') return (value as Diagnosis[]).map((d) => [d.code, d.text].filter(Boolean).join(' '));
    return value.map((v) => String(v));
  }
  return [JSON.stringify(value)];
}

export type EditorKind = 'text' | 'lines' | 'sex' | 'priority' | 'referredTo';
export function editorKind(name: string): EditorKind {
  if (name === 'identifiers' || name === 'diagnoses') return 'lines';
  if (name === 'sex') return 'sex';
  if (name === 'statedPriority') return 'priority';
  if (name === 'referredTo') return 'referredTo';
  return 'text';
}

/** What the editor holds: free text, plus the specialty choice for referredTo. */
export type Draft = { text: string; specialty: string };

export function toDraft(name: string, value: FieldValue | undefined): Draft {
  if (value === undefined) return { text: '', specialty: '' };
  if (name === 'referredTo' && isObj(value)) {
    const r = value as ReferredTo;
    return { text: r.raw, specialty: r.specialty ?? '' };
  }
  return { text: formatValue(name, value).join('\n'), specialty: '' };
}

// An ICD-10 code in front of the words ("I20.9 Angina"): the rest is the text.
const ICD10 = /^([A-TV-Z]\d{2}(?:\.[0-9A-Z]{1,4})?)\s+(.+)$/i;

/** The value to send, or why not; format rules beyond "not empty" are the API's, shown as it words them. */
export function fromDraft(name: string, d: Draft): { value: unknown } | { error: string } {
  const text = d.text.trim();
  if (name === 'referredTo') return text ? { value: { raw: text, specialty: d.specialty || null } } : { error: 'Enter the clinic as the referral names it.' };
  if (!text) return { error: 'Enter a value, or use Remove to clear the field.' };
  if (editorKind(name) !== 'lines') return { value: text };
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  if (name === 'identifiers') {
    return {
      value: lines.map((l) => {
        const i = l.indexOf(':');
        return i > 0 ? { kind: l.slice(0, i).trim().toLowerCase(), value: l.slice(i + 1).trim() } : { kind: 'other', value: l };
      }),
    };
  }
  return {
    value: lines.map((l) => {
      const m = ICD10.exec(l);
      return m ? { code: m[1]!.toUpperCase(), text: m[2]! } : { text: l };
    }),
  };
}

export type Span = { start: number; end: number };

/** Evidence offsets (per page) as offsets in the joined text the case screen shows; out-of-page ones dropped. */
export function joinedSpans(evidence: readonly FieldEvidence[], pages: readonly Pick<PageInfo, 'pageNo' | 'start' | 'end'>[]): Span[] {
  return evidence.flatMap((e) => {
    const p = pages.find((x) => x.pageNo === e.page);
    if (!p) return [];
    const start = p.start + e.start;
    const end = Math.min(p.end, p.start + e.end);
    return end > start ? [{ start, end }] : [];
  });
}

/** Boxes by page, for the overlay on the page images. */
export function boxesByPage(evidence: readonly FieldEvidence[]): Map<number, Box[]> {
  const out = new Map<number, Box[]>();
  for (const e of evidence) if (e.box) out.set(e.page, [...(out.get(e.page) ?? []), e.box]);
  return out;
}

/** A box as percentages of the image it was measured on, so it scales with whatever size the image is shown at. */
export function boxStyle(b: Box, layout: { imageWidth: number; imageHeight: number }) {
  const pct = (n: number, of: number) => `${(Math.max(0, Math.min(of, n)) / of) * 100}%`;
  return {
    left: pct(b.x0, layout.imageWidth),
    top: pct(b.y0, layout.imageHeight),
    width: pct(b.x1 - b.x0, layout.imageWidth),
    height: pct(b.y1 - b.y0, layout.imageHeight),
  };
}
