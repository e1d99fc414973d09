// Values that sit below their label (a form's label row, values on the row beneath), read by position:
// OCR word boxes on scanned pages, character columns on text pages.
import type { FieldSource } from '@triage/contracts';
import type { Sink } from './candidate.ts';
import type { Doc } from './doc.ts';
import type { OpenLabel } from './label-reader.ts';
import type { LineInfo } from './sections.ts';
import { readSlot } from './slot-read.ts';

type Tok = { start: number; end: number; x0: number; x1: number; y0: number; y1: number };
type Row = { toks: Tok[]; y0: number; y1: number };
type PageLayout = { rows: Row[]; labels: { start: number; end: number }[]; source: FieldSource };

const MULTIROW: Record<string, number> = { reason: 5, diagnosis: 6, address: 3, patientAddress: 3 };

function ocrRows(doc: Doc, page: number): Row[] {
  const toks: Tok[] = doc.words[page]!.map((w) => ({ start: w.start, end: w.end, ...w.box }));
  toks.sort((a, b) => (a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2);
  const rows: Row[] = [];
  for (const t of toks) {
    const mid = (t.y0 + t.y1) / 2;
    const row = rows.find((r) => mid >= r.y0 && mid <= r.y1);
    if (row) {
      row.toks.push(t);
      row.y0 = Math.min(row.y0, t.y0);
      row.y1 = Math.max(row.y1, t.y1);
    } else rows.push({ toks: [t], y0: t.y0, y1: t.y1 });
  }
  for (const r of rows) r.toks.sort((a, b) => a.x0 - b.x0);
  return rows.sort((a, b) => a.y0 - b.y0);
}

function textRows(doc: Doc, page: number): Row[] {
  const rows: Row[] = [];
  const text = doc.pages[page]!.text;
  let y = 0;
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const toks: Tok[] = [];
    for (const m of line.matchAll(/\S+/g)) toks.push({ start: lineStart + m.index, end: lineStart + m.index + m[0].length, x0: m.index, x1: m.index + m[0].length, y0: y, y1: y + 0.8 });
    if (toks.length) rows.push({ toks, y0: y, y1: y + 0.8 });
    lineStart += line.length + 1;
    y++;
  }
  return rows;
}

function pageLayout(doc: Doc, infos: LineInfo[], page: number): PageLayout {
  const ocr = doc.pages[page]!.source === 'ocr' && doc.words[page]!.length > 0;
  const labels = doc.lines.flatMap((l, i) => (l.page === page ? infos[i]!.segs.map((s) => ({ start: l.start + s.labelStart, end: l.start + s.labelEnd })) : []));
  return { rows: ocr ? ocrRows(doc, page) : textRows(doc, page), labels, source: ocr ? 'ocr-layout' : 'text' };
}

const overlaps = (t: Tok, s: { start: number; end: number }) => t.start < s.end && t.end > s.start;

export function readBelow(doc: Doc, infos: LineInfo[], open: OpenLabel[], sink: Sink): void {
  const layouts = new Map<number, PageLayout>();
  for (const o of open) {
    const line = doc.lines[o.line]!;
    const layout = layouts.get(line.page) ?? pageLayout(doc, infos, line.page);
    layouts.set(line.page, layout);
    const span = { start: line.start + o.seg.labelStart, end: line.start + o.seg.labelEnd };
    const r = layout.rows.findIndex((row) => row.toks.some((t) => overlaps(t, span)));
    if (r < 0) continue;
    const row = layout.rows[r]!;
    const mine = row.toks.filter((t) => overlaps(t, span));
    const x0 = mine[0]!.x0;
    const x1 = mine[mine.length - 1]!.x1;
    const cw = Math.max(1, (x1 - x0) / Math.max(1, span.end - span.start));
    // The label's column runs from its left edge to the next label on its row.
    const rowLabels = layout.labels.filter((l) => row.toks.some((t) => overlaps(t, l))).map((l) => row.toks.find((t) => overlaps(t, l))!.x0);
    const next = rowLabels.filter((x) => x > x0 + cw).sort((a, b) => a - b)[0] ?? Infinity;
    const prev = rowLabels.filter((x) => x < x0 - cw).length > 0;
    const left = prev ? x0 - 3 * cw : -Infinity;
    const right = next - cw;
    const h = row.y1 - row.y0 || 1;
    const picked: Tok[] = [];
    let lastRow = row;
    for (let k = r + 1; k < layout.rows.length && k - r <= (MULTIROW[o.seg.entry.slot] ?? 1); k++) {
      const below = layout.rows[k]!;
      if (below.y0 - lastRow.y1 > (layout.source === 'text' ? 1.3 : 1.6 * h)) break;
      const cell = below.toks.filter((t) => t.x0 >= left && t.x0 < right);
      if (!cell.length || layout.labels.some((l) => overlaps(cell[0]!, l))) break;
      const run = [cell[0]!];
      for (const t of cell.slice(1)) {
        if (t.x0 - run[run.length - 1]!.x1 > 4 * cw || layout.labels.some((l) => overlaps(t, l))) break;
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
      const between = doc.pages[line.page]!.text.slice(end, t.start);
      if (/\S/.test(between)) break;
      end = t.end;
    }
    const start = ordered[0]!.start;
    readSlot(o.seg.entry.slot, { doc, page: line.page, start, end, base: 0.96, source: layout.source, section: o.section, zone: infos[o.line]!.zone }, sink);
  }
}
