// Values that sit below their label (a form's label row, values on the row beneath), read by position:
// OCR word boxes on scanned pages, character columns on text pages.
import type { FieldSource } from '@triage/contracts';
import type { Sink } from './candidate.ts';
import type { Doc } from './doc.ts';
import type { OpenLabel } from './label-reader.ts';
import { LABEL_LIKE } from './label-scan.ts';
import type { LineInfo } from './sections.ts';
import { readSlot } from './slot-read.ts';

type Tok = { start: number; end: number; x0: number; x1: number; y0: number; y1: number; row: number; k?: number };
type Row = { toks: Tok[]; y0: number; y1: number };
/** A page's rows and, per row, the left edges of the labels on it. */
type PageLayout = { rows: Row[]; byStart: Tok[]; labelX: Map<number, number[]>; isLabel: (t: Tok) => boolean; source: FieldSource; boxed: boolean };

const MULTIROW: Record<string, number> = { reason: 5, diagnosis: 6, address: 3, patientAddress: 3 };
/** Enough for any real form; a page of thousands of labels is not one, and must not cost quadratic time. */
const MAX_OPEN = 300;

function ocrRows(doc: Doc, page: number): Row[] {
  const toks: Tok[] = doc.words[page]!.map((w) => ({ start: w.start, end: w.end, ...w.box, row: 0 }));
  toks.sort((a, b) => (a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2);
  const rows: Row[] = [];
  for (const t of toks) {
    const mid = (t.y0 + t.y1) / 2;
    // Words come sorted by height: a word joins the newest row whose band holds its middle.
    const row = rows[rows.length - 1];
    if (row && mid >= row.y0 && mid <= row.y1) {
      row.toks.push(t);
      row.y0 = Math.min(row.y0, t.y0);
      row.y1 = Math.max(row.y1, t.y1);
    } else rows.push({ toks: [t], y0: t.y0, y1: t.y1 });
  }
  return rows;
}

function textRows(doc: Doc, page: number): Row[] {
  const rows: Row[] = [];
  const text = doc.texts[page]!;
  let y = 0;
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const toks: Tok[] = [];
    for (const m of line.matchAll(/\S+/g)) toks.push({ start: lineStart + m.index, end: lineStart + m.index + m[0].length, x0: m.index, x1: m.index + m[0].length, y0: y, y1: y + 0.8, row: 0 });
    if (toks.length) rows.push({ toks, y0: y, y1: y + 0.8 });
    lineStart += line.length + 1;
    y++;
  }
  return rows;
}

/** The token holding offset `at` (binary search over tokens sorted by start). */
function tokenAt(byStart: Tok[], at: number): Tok | undefined {
  let lo = 0;
  let hi = byStart.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = byStart[mid]!;
    if (t.end <= at) lo = mid + 1;
    else if (t.start > at) hi = mid - 1;
    else return t;
  }
  return byStart[lo] && byStart[lo]!.start < at + 1 ? byStart[lo] : undefined;
}

function pageLayout(doc: Doc, infos: LineInfo[], page: number): PageLayout {
  // Word boxes (a scan's OCR, or a PDF text layer read by position) say where each value stands; a text upload
  // has only its character columns.
  const boxed = doc.words[page]!.length > 0;
  const ocr = boxed && doc.pages[page]!.source === 'ocr';
  const rows = boxed ? ocrRows(doc, page) : textRows(doc, page);
  rows.forEach((r, i) => {
    r.toks.sort((a, b) => a.x0 - b.x0);
    for (const t of r.toks) t.row = i;
  });
  const byStart = rows.flatMap((r) => r.toks).sort((a, b) => a.start - b.start);
  byStart.forEach((t, k) => (t.k = k));
  const labelX = new Map<number, number[]>();
  const labelToks = new Set<Tok>();
  doc.lines.forEach((l, i) => {
    if (l.page !== page) return;
    for (const s of infos[i]!.segs) {
      const first = tokenAt(byStart, l.start + s.labelStart);
      if (!first) continue;
      const xs = labelX.get(first.row) ?? [];
      xs.push(first.x0);
      labelX.set(first.row, xs);
      for (let k = first.k!; k < byStart.length && byStart[k]!.start < l.start + s.labelEnd; k++) labelToks.add(byStart[k]!);
    }
  });
  for (const xs of labelX.values()) xs.sort((a, b) => a - b);
  return { rows, byStart, labelX, isLabel: (t) => labelToks.has(t), source: ocr ? 'ocr-layout' : 'text', boxed };
}

export function readBelow(doc: Doc, infos: LineInfo[], open: OpenLabel[], sink: Sink): void {
  const layouts = new Map<number, PageLayout>();
  for (const o of open.slice(0, MAX_OPEN)) {
    const line = doc.lines[o.line]!;
    const layout = layouts.get(line.page) ?? pageLayout(doc, infos, line.page);
    layouts.set(line.page, layout);
    const span = { start: line.start + o.seg.labelStart, end: line.start + o.seg.labelEnd };
    const first = tokenAt(layout.byStart, span.start);
    if (!first) continue;
    const r = first.row;
    const row = layout.rows[r]!;
    const mine: Tok[] = [];
    for (let k = first.k!; k < layout.byStart.length && layout.byStart[k]!.start < span.end; k++) mine.push(layout.byStart[k]!);
    const x0 = mine[0]!.x0;
    const x1 = mine[mine.length - 1]!.x1;
    const cw = Math.max(1, (x1 - x0) / Math.max(1, span.end - span.start));
    // The label's column runs from its left edge to the next label on its row.
    const rowLabels = layout.labelX.get(r) ?? [];
    const next = rowLabels.find((x) => x > x0 + cw) ?? Infinity;
    const prev = rowLabels.some((x) => x < x0 - cw);
    const left = prev ? x0 - 3 * cw : -Infinity;
    const right = next - cw;
    const h = row.y1 - row.y0 || 1;
    const picked: Tok[] = [];
    let lastRow = row;
    for (let k = r + 1; k < layout.rows.length && k - r <= (MULTIROW[o.seg.entry.slot] ?? 1); k++) {
      const below = layout.rows[k]!;
      if (below.y0 - lastRow.y1 > (layout.boxed ? 1.6 * h : 1.3)) break;
      const cell = below.toks.filter((t) => t.x0 >= left && t.x0 < right);
      // A row with a label in this column is the next field, not this one's value.
      if (!cell.length || cell.some(layout.isLabel) || (!layout.boxed && LABEL_LIKE.test(doc.texts[line.page]!.slice(below.toks[0]!.start, below.toks[below.toks.length - 1]!.end)))) break;
      const run = [cell[0]!];
      for (const t of cell.slice(1)) {
        if (t.x0 - run[run.length - 1]!.x1 > 4 * cw || layout.isLabel(t)) break;
        run.push(t);
      }
      picked.push(...run);
      lastRow = below;
    }
    if (!picked.length) continue;
    // The value must be one run of the page text; a cell split by other words is left to a person.
    const ordered = [...picked].sort((a, b) => a.start - b.start);
    let end = ordered[0]!.end;
    for (const t of ordered.slice(1)) {
      const between = doc.texts[line.page]!.slice(end, t.start);
      if (/\S/.test(between)) break;
      end = t.end;
    }
    const start = ordered[0]!.start;
    const label = line.text.slice(o.seg.labelStart, o.seg.labelEnd);
    readSlot(o.seg.entry.slot, { doc, page: line.page, start, end, base: 0.96, source: layout.source, section: o.section, zone: infos[o.line]!.zone, label }, sink);
  }
}
