import { ocrDigits } from './checks.ts';
import { LABELS, type LabelEntry } from './labels.ts';

/** A label found on a line and the value after it (offsets into the line's text; the value may be empty). */
export type Segment = {
  entry: LabelEntry;
  labelStart: number;
  labelEnd: number;
  valueStart: number;
  valueEnd: number;
  sep: 'colon' | 'dash' | 'gap' | 'space' | 'eol';
  /** A parenthesis after the label, e.g. "(Last, First)" or "(dd/mm/yyyy)". */
  hint?: string;
};

/** Case, spacing and OCR look-alikes folded away: "D.O.B", "D0B" and "dob" are one label ("MRN#" is "mrn #"). */
export const fold = (s: string): string =>
  s
    .toLowerCase()
    .replace(/rn/g, 'm')
    .replace(/[i1|!]/g, 'l')
    .replace(/0/g, 'o')
    .replace(/5/g, 's')
    .replace(/[^a-z#]/g, '');

const CHAR: Record<string, string> = {
  o: '[o0]', i: '[il1|!]', l: '[li1|]', s: '[s5]', m: '(?:m|rn)', ' ': '\\.? ?', '.': '\\.?\\s*', '/': '\\s*[/\\\\|]?\\s*',
  '-': '[\\s-]?', '#': '\\s*#', ',': '\\s*,?\\s*', '(': '\\s*\\(?\\s*', ')': '\\s*\\)?', '&': '\\s*(?:&|and)\\s*', "'": "['’]?",
};
const phraseRe = (p: string) => [...p].map((c) => CHAR[c] ?? c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('');

const BY_FOLD = new Map<string, LabelEntry>();
for (const e of LABELS) if (!BY_FOLD.has(fold(e.phrase))) BY_FOLD.set(fold(e.phrase), e);
const SORTED = [...LABELS].sort((a, b) => b.phrase.length - a.phrase.length);
const ALTERNATIVES = SORTED.map((e) => phraseRe(e.phrase)).join('|');
const LABEL_RE = new RegExp(`(?<![A-Za-z0-9])(?:${ALTERNATIVES})(?![A-Za-z])`, 'gi');
const CHAIN = new RegExp(`^\\s*/\\s*(?:${ALTERNATIVES})(?![A-Za-z])`, 'i');

/** A line that starts like a label we do not know ("Admitted:", "Mental status -"): it ends the value above. */
export const LABEL_LIKE = /^\s*[A-Z][A-Za-z0-9 .\/&()'#-]{1,40}?\s*(?::(?!\/\/)|\s[-–—](?:\s|$))/;

const LINE_START = /^[\s•*·>\-–]*(?:\d{1,2}[.)]\s*)?$/;
/** What ends a cell or a clause, so a label may follow it. */
const CELL_END = /(?:\t\s*|\s{2,}|[|;,(\]]\s*|[:.]\s+)$/;
const TYPED: Record<NonNullable<LabelEntry['typed']>, RegExp> = {
  date: /^\(?\s*(?:\d{1,4}\s?[/.-]\s?\d|\d{1,2}(?:st|nd|rd|th)?[\s-]+[a-z]{3}|[a-z]{3,9}\.?\s+\d{1,2}\b|\d{8}\b)/i,
  phone: /^\(?\+?\s?\d[\d\s().-]{5,}\d/,
  id: /^[#:.]?\s*(?=[A-Z0-9 -]{0,6}\d)[A-Z0-9][A-Z0-9-]*(?: ?[A-Z0-9-]+){0,3}/i,
};

/**
 * A capitalised common word with a colon after a value on the same line ("Name: Dr A Patel Organization: ...",
 * "Insurance: Aetna ID: W123"): a form cell whose column gap a PDF writer or a fax collapsed to one space. Prose
 * puts such a word after a full stop (already a clause start) or in lower case.
 */
function afterValue(text: string, labelStart: number): boolean {
  if (!/[A-Z]/.test(text[labelStart] ?? '')) return false;
  const before = text.slice(Math.max(0, labelStart - 40), labelStart);
  // The cell to its left is itself labelled on this line: "<Label>: <value> <Label>:".
  return /[A-Za-z0-9)\].]\s$/.test(before) && /:\s*\S/.test(text.slice(0, labelStart));
}

function separator(rest: string, ocr: boolean): { sep: Segment['sep']; len: number } {
  // OCR reads a colon as a semicolon; typed text means a semicolon ("Insurance: Medicaid; ID: ...").
  const colon = (ocr ? /^\s*\.?\s*(?:[:：;=]|#(?=\s*[A-Za-z0-9]))\s*/ : /^\s*\.?\s*(?:[:：=]|#(?=\s*[A-Za-z0-9]))\s*/).exec(rest);
  if (colon) return { sep: 'colon', len: colon[0].length };
  const dash = /^\s*\.?\s*[-–—](?=\s|$)\s*/.exec(rest);
  if (dash) return { sep: 'dash', len: dash[0].length };
  if (/^\s*$/.test(rest)) return { sep: 'eol', len: rest.length };
  const gap = /^(?:\t|\s{2,}|\s*\|)\s*/.exec(rest);
  if (gap) return { sep: 'gap', len: gap[0].length };
  const sp = /^\s*/.exec(rest)!;
  return { sep: 'space', len: sp[0].length };
}

/** Labels on one line, each with the span of its value (up to the next label). */
export function scanLine(text: string, ocr: boolean): Segment[] {
  const hits: Omit<Segment, 'valueEnd'>[] = [];
  LABEL_RE.lastIndex = 0;
  for (let m = LABEL_RE.exec(text); m; m = LABEL_RE.exec(text)) {
    const entry = BY_FOLD.get(fold(m[0]));
    if (!entry) continue;
    const labelStart = m.index;
    let labelEnd = labelStart + m[0].replace(/\s+$/, '').length;
    // "ICD-10 / Dx:", "Name / Surname -": one label written two ways.
    const more = CHAIN.exec(text.slice(labelEnd, labelEnd + 50));
    if (more) labelEnd += more[0].replace(/\s+$/, '').length;
    // "NHS No.", "Tel.": an abbreviation's full stop belongs to the label.
    if (text[labelEnd] === '.' && /^[\s:#-]/.test(text[labelEnd + 1] ?? ' ') && !entry.phrase.endsWith('.')) labelEnd++;
    let hint: string | undefined;
    const paren = /^\s*\(([^()\n]*[A-Za-z][^()\n]{0,29})\)/.exec(text.slice(labelEnd));
    if (paren) {
      hint = paren[1];
      labelEnd += paren[0].length;
    }
    const { sep, len } = separator(text.slice(labelEnd), ocr);
    const valueStart = labelEnd + len;
    // Only the few characters before a label matter: keeps a line of thousands of labels linear.
    const atLineStart = labelStart <= 24 && LINE_START.test(text.slice(0, labelStart));
    const before = text.slice(Math.max(0, labelStart - 24), labelStart);
    const atStart = atLineStart || CELL_END.test(before);
    // The start of a form cell (after a column gap), not just of a clause.
    const atCell = atLineStart || /(?:\t|\s{2,}|\|\s*)$/.test(before);
    const ahead = text.slice(valueStart, valueStart + 40);
    const typedOk = !!entry.typed && TYPED[entry.typed].test(ocr ? ocrDigits(ahead) : ahead);
    let ok: boolean;
    // Letters write "Re Mrs Jane Doe" as often as "Re: Mrs Jane Doe".
    if (entry.slot === 're' && sep === 'space' && atLineStart && /^[A-Z]/.test(text.slice(valueStart, valueStart + 1))) ok = true;
    else if (entry.weak) ok = (atStart && (sep === 'colon' || ((sep === 'dash' || sep === 'gap') && atCell) || (sep === 'eol' && atLineStart) || (sep === 'space' && typedOk))) || (sep === 'colon' && afterValue(text, labelStart));
    else if (sep === 'colon' || sep === 'dash') ok = true;
    else if (sep === 'gap' || sep === 'eol') ok = atStart || typedOk;
    // Scans lose colons: a specific label at the start of a cell still is one.
    else ok = typedOk || (ocr && atStart);
    if (!ok) continue;
    hits.push({ entry, labelStart, labelEnd, valueStart, sep, ...(hint !== undefined && { hint }) });
    LABEL_RE.lastIndex = Math.max(LABEL_RE.lastIndex, labelEnd);
  }
  return hits.map((h, i) => {
    const next = hits[i + 1];
    let valueEnd = next ? next.labelStart : text.length;
    const valueStart = Math.min(h.valueStart, valueEnd);
    while (valueEnd > valueStart && /[\s,;|_]/.test(text[valueEnd - 1]!)) valueEnd--;
    return { ...h, valueStart, valueEnd };
  });
}
