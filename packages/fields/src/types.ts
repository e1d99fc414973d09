import type { Box, ReferralFields } from '@triage/contracts';

/** One OCR word: offsets into its page's text, and its box on the upright page image. */
export type OcrWord = { start: number; end: number; box: Box; confidence?: number };

/** A page as the pipeline knows it: text (a PDF text layer, a text upload, or OCR) and, for OCR, its words. */
export type PageInput = { pageNo: number; text: string; source: 'text-layer' | 'plain' | 'ocr'; words?: OcrWord[] };

/** One AcroForm field as the PDF holds it (values of born-digital forms are usually not in the text layer). */
export type AcroField = {
  name: string;
  /** 1-based page of the field's first widget; null when the PDF does not say. */
  page: number | null;
  kind: 'text' | 'checkbox' | 'radio' | 'dropdown' | 'other';
  /** Text / selected option; null when empty. For a checkbox, the export value when checked. */
  value: string | null;
  checked?: boolean;
  options?: string[];
};

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
