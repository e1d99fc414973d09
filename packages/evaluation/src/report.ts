// One document model rendered twice: Markdown (charts as .svg files beside it) and self-contained HTML.
import { escapeXml } from './svg.ts';

export type Table = { columns: string[]; rows: Array<Array<string | number | undefined>> };
export type Chart = { file: string; title: string; svg: string };
export type Block = { text: string } | { table: Table } | { charts: Chart[] } | { list: string[] };
export type Section = { heading: string; blocks: Block[] };
export type ReportDoc = { title: string; sections: Section[] };

export function fmt(v: string | number | undefined, digits = 3): string {
  if (v === undefined) return '–';
  if (typeof v === 'string') return v;
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function mdTable(t: Table): string {
  const head = `| ${t.columns.map(mdCell).join(' | ')} |`;
  // Right-align columns that hold only numbers (or gaps); text columns stay left.
  const numeric = t.columns.map((_, i) => i > 0 && t.rows.every((r) => r[i] === undefined || typeof r[i] === 'number'));
  const rule = `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`;
  return [head, rule, ...t.rows.map((r) => `| ${r.map((c) => mdCell(fmt(c))).join(' | ')} |`)].join('\n');
}

export function renderMarkdown(doc: ReportDoc): string {
  const out = [`# ${doc.title}`, ''];
  for (const s of doc.sections) {
    out.push(`## ${s.heading}`, '');
    for (const b of s.blocks) {
      if ('text' in b) out.push(b.text, '');
      else if ('list' in b) out.push(...b.list.map((l) => `- ${l}`), '');
      else if ('table' in b) out.push(mdTable(b.table), '');
      else out.push(b.charts.map((c) => `![${c.title}](${c.file})`).join('\n'), '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

// Minimal inline Markdown for prose: **bold** and `code`, after escaping.
function inline(s: string): string {
  return escapeXml(s)
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/`(.+?)`/g, '<code>$1</code>');
}

function htmlTable(t: Table): string {
  const head = `<tr>${t.columns.map((c) => `<th>${escapeXml(c)}</th>`).join('')}</tr>`;
  const rows = t.rows.map((r) => `<tr>${r.map((c, i) => `<td${i ? ' class="num"' : ''}>${inline(fmt(c))}</td>`).join('')}</tr>`);
  return `<table>${head}${rows.join('')}</table>`;
}

const CSS = `body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:3px 8px}th{background:#f3f3f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}.charts{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
figure{margin:0;overflow-x:auto;max-width:100%}code{background:#f3f3f3;padding:0 3px}`;

export function renderHtml(doc: ReportDoc): string {
  const body: string[] = [`<h1>${escapeXml(doc.title)}</h1>`];
  for (const s of doc.sections) {
    body.push(`<h2>${escapeXml(s.heading)}</h2>`);
    for (const b of s.blocks) {
      if ('text' in b) body.push(`<p>${inline(b.text)}</p>`);
      else if ('list' in b) body.push(`<ul>${b.list.map((l) => `<li>${inline(l)}</li>`).join('')}</ul>`);
      else if ('table' in b) body.push(htmlTable(b.table));
      else body.push(`<div class="charts">${b.charts.map((c) => `<figure>${c.svg}</figure>`).join('')}</div>`);
    }
  }
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${escapeXml(doc.title)}</title><style>${CSS}</style></head>`,
    `<body>${body.join('\n')}</body></html>`,
    '',
  ].join('\n');
}

export function chartsOf(doc: ReportDoc): Chart[] {
  return doc.sections.flatMap((s) => s.blocks.flatMap((b) => ('charts' in b ? b.charts : [])));
}
