// Hand-rolled SVG charts: no chart dependency, output is deterministic text that diffs well.
import type { ReliabilityBin } from './metrics.ts';

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const FONT = 'font-family="sans-serif"';
const f2 = (x: number) => (Math.round(x * 100) / 100).toString();

function svg(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="20" ${FONT} font-size="14" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** Row-normalised heatmap (each gold row sums to 1) so rare classes stay readable; cells show raw counts. */
export function confusionHeatmap(title: string, labels: readonly string[], matrix: number[][]): string {
  const cell = labels.length > 10 ? 18 : 60;
  const fs = cell < 30 ? 9 : 12;
  // ~0.6 em per character of sans-serif text.
  const labelW = Math.min(240, 16 + 0.62 * (fs + 1) * Math.max(...labels.map((l) => l.length)));
  const top = 40 + labelW;
  const left = labelW;
  const n = labels.length;
  const width = Math.max(left + n * cell + 20, 400);
  const height = top + n * cell + 40;
  const body: string[] = [];
  labels.forEach((l, i) => {
    const y = top + i * cell + cell / 2 + 4;
    body.push(`<text x="${left - 6}" y="${y}" ${FONT} font-size="${fs + 1}" text-anchor="end">${escapeXml(l)}</text>`);
    const x = left + i * cell + cell / 2 + 4;
    body.push(`<text x="${x}" y="${top - 6}" ${FONT} font-size="${fs + 1}" transform="rotate(-60 ${x} ${top - 6})">${escapeXml(l)}</text>`);
  });
  matrix.forEach((row, r) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((v, c) => {
      const share = total ? v / total : 0;
      const fill = r === c ? `rgba(30,120,60,${f2(0.08 + 0.92 * share)})` : `rgba(200,40,40,${f2(share ? 0.1 + 0.9 * share : 0)})`;
      const x = left + c * cell;
      const y = top + r * cell;
      body.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#ddd"><title>gold ${escapeXml(labels[r]!)} → predicted ${escapeXml(labels[c]!)}: ${v}</title></rect>`);
      if (v) body.push(`<text x="${x + cell / 2}" y="${y + cell / 2 + fs / 3}" ${FONT} font-size="${fs}" text-anchor="middle">${v}</text>`);
    });
  });
  body.push(`<text x="${width / 2}" y="${height - 12}" ${FONT} font-size="11" text-anchor="middle">rows: gold · columns: predicted · colour: share of the row</text>`);
  return svg(width, height, title, body);
}

type Axes = { left: number; top: number; w: number; h: number };
const AX: Axes = { left: 55, top: 35, w: 320, h: 280 };
const px = (a: Axes, x: number) => a.left + x * a.w;
const py = (a: Axes, y: number) => a.top + (1 - y) * a.h;

function frame(a: Axes, xLabel: string, yLabel: string): string[] {
  const out = [`<rect x="${a.left}" y="${a.top}" width="${a.w}" height="${a.h}" fill="none" stroke="#333"/>`];
  for (let t = 0; t <= 10; t += 2) {
    const v = t / 10;
    out.push(`<line x1="${px(a, v)}" y1="${a.top}" x2="${px(a, v)}" y2="${a.top + a.h}" stroke="#eee"/>`);
    out.push(`<line x1="${a.left}" y1="${py(a, v)}" x2="${a.left + a.w}" y2="${py(a, v)}" stroke="#eee"/>`);
    out.push(`<text x="${px(a, v)}" y="${a.top + a.h + 15}" ${FONT} font-size="10" text-anchor="middle">${v}</text>`);
    out.push(`<text x="${a.left - 6}" y="${py(a, v) + 3}" ${FONT} font-size="10" text-anchor="end">${v}</text>`);
  }
  out.push(`<text x="${a.left + a.w / 2}" y="${a.top + a.h + 32}" ${FONT} font-size="12" text-anchor="middle">${escapeXml(xLabel)}</text>`);
  const yx = a.left - 38;
  const yy = a.top + a.h / 2;
  out.push(`<text x="${yx}" y="${yy}" ${FONT} font-size="12" text-anchor="middle" transform="rotate(-90 ${yx} ${yy})">${escapeXml(yLabel)}</text>`);
  return out;
}

/** Bars: accuracy per confidence bin; diagonal: perfect calibration; bar labels: counts. */
export function reliabilityDiagram(title: string, bins: ReliabilityBin[], ece: number | undefined): string {
  const a = AX;
  const body = frame(a, 'confidence', 'accuracy');
  body.push(`<line x1="${px(a, 0)}" y1="${py(a, 0)}" x2="${px(a, 1)}" y2="${py(a, 1)}" stroke="#999" stroke-dasharray="4 3"/>`);
  for (const b of bins) {
    if (!b.count) continue;
    const x = px(a, b.lo) + 1;
    const w = (b.hi - b.lo) * a.w - 2;
    body.push(`<rect x="${f2(x)}" y="${f2(py(a, b.accuracy))}" width="${f2(w)}" height="${f2(b.accuracy * a.h)}" fill="rgba(40,90,200,0.6)"><title>${f2(b.lo)}–${f2(b.hi)}: n=${b.count}, acc ${f2(b.accuracy)}, conf ${f2(b.meanConfidence)}</title></rect>`);
    body.push(`<circle cx="${f2(px(a, b.meanConfidence))}" cy="${f2(py(a, b.accuracy))}" r="3" fill="#c33"/>`);
    body.push(`<text x="${f2(x + w / 2)}" y="${a.top + a.h - 4}" ${FONT} font-size="9" text-anchor="middle" fill="#fff">${b.count}</text>`);
  }
  if (ece !== undefined) body.push(`<text x="${a.left + 8}" y="${a.top + 16}" ${FONT} font-size="12">ECE ${ece.toFixed(3)}</text>`);
  return svg(a.left + a.w + 20, a.top + a.h + 45, title, body);
}

export type Series = { name: string; color: string; points: Array<{ x: number; y: number | null }> };

/** Line chart on [0,1]²; an optional marker flags the current operating point. */
export function lineChart(title: string, xLabel: string, yLabel: string, series: Series[], marker?: { x: number; y: number; label: string }): string {
  const a = AX;
  const body = frame(a, xLabel, yLabel);
  series.forEach((s, i) => {
    const pts = s.points.filter((p): p is { x: number; y: number } => p.y !== null);
    if (pts.length) body.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map((p) => `${f2(px(a, p.x))},${f2(py(a, p.y))}`).join(' ')}"/>`);
    for (const p of pts) body.push(`<circle cx="${f2(px(a, p.x))}" cy="${f2(py(a, p.y))}" r="2" fill="${s.color}"/>`);
    // Legend below the axes, so it never hides a line.
    body.push(`<text x="${a.left}" y="${a.top + a.h + 50 + 14 * i}" ${FONT} font-size="11" fill="${s.color}">■ ${escapeXml(s.name)}</text>`);
  });
  if (marker) {
    body.push(`<circle cx="${f2(px(a, marker.x))}" cy="${f2(py(a, marker.y))}" r="6" fill="none" stroke="#000" stroke-width="2"/>`);
    body.push(`<text x="${f2(px(a, marker.x) + 8)}" y="${f2(py(a, marker.y) - 8)}" ${FONT} font-size="11">${escapeXml(marker.label)}</text>`);
  }
  return svg(a.left + a.w + 20, a.top + a.h + 50 + 14 * series.length, title, body);
}
