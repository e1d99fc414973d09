import type { AcroField, Box, ReferralFields } from '@triage/contracts';

/** One OCR word: offsets into its page's text, and its box on the upright page image. */
export type OcrWord = { start: number; end: number; box: Box; confidence?: number };

/**
 * A page as the pipeline knows it: text (a PDF text layer, a text upload, or OCR) and, for OCR and for text
 * layers read by position, its words' boxes; `width` is the page's in the boxes' units (lets a reader find the
 * right margin).
 */
export type PageInput = { pageNo: number; text: string; source: 'text-layer' | 'plain' | 'ocr'; words?: OcrWord[]; width?: number };

/** One AcroForm field as the PDF holds it: the one definition is in @triage/contracts. */
export type { AcroField } from '@triage/contracts';

/** The policy's clinic synonym table: phrases referrers use → routing-policy specialty. */
export type ClinicTable = { version: string; synonyms: Record<string, string[]> };

export type ExtractInput = {
  pages: PageInput[];
  acroform?: AcroField[];
  clinics: ClinicTable;
  /** "Today" for plausibility checks (a birth date in the future is not one); defaults to now. */
  today?: Date;
};

export type ExtractResult = { fields: ReferralFields; version: string; clinicsVersion: string };
