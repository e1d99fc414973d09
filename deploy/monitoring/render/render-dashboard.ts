/**
 * Draws the panels of a Grafana dashboard (deploy/monitoring/dashboard.json) from Prometheus `query_range`
 * results as one self-contained HTML page: inline SVG, no script, no external CSS, no network. Grafana is not
 * installable on the build machine; this is a stand-in that keeps the dashboard's panels, layout and queries.
 * Everything here is pure; capture.ts does the Prometheus, the scale run and the screenshot.
 */

export type GridPos = { x: number; y: number; w: number; h: number };
export type Target = { refId?: string; expr?: string; legendFormat?: string; hide?: boolean };
export type Panel = {
  id?: number;
  type: string;
  title?: string;
  gridPos?: GridPos;
  fieldConfig?: { defaults?: { unit?: string; decimals?: number; min?: number; max?: number } };
  targets?: Target[];
};
export type TemplateVar = {
  name: string;
  type: string;
  query?: unknown;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
  current?: { value?: string | string[]; text?: string | string[] };
  options?: { value?: string; selected?: boolean }[];
};
export type Dashboard = { title?: string; panels: Panel[]; templating?: { list?: TemplateVar[] } };

/** One series of a Prometheus matrix result (`/api/v1/query_range`, `resultType: "matrix"`). */
export type MatrixSeries = { metric: Record<string, string>; values: [number, string][] };
export type TargetResult = { refId: string; expr: string; legendFormat?: string; series: MatrixSeries[]; error?: string };

export type SubstituteOptions = {
  /** `$__interval` (Grafana: the query step). */
  interval: string;
  /** `$__rate_interval` (Grafana: max(4 × scrape interval, step + scrape interval)). */
  rateInterval: string;
  /** `$__range`: the whole time range, e.g. `150s`. */
  range?: string;
  /** Values that win over the dashboard's own `templating` (an array is a multi-value selection). */
  vars?: Record<string, string | string[]>;
  /** When set, every range selector `[5m]`, `[1h]` … (not subqueries) becomes `[rangeWindow]`: for a run shorter than the window. */
  rangeWindow?: string;
};

// ---------------------------------------------------------------- queries

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What each template variable stands for in PromQL: a plain value, or a regex (All, multi-value) that needs `=~`. */
export function templateValues(d: Dashboard, overrides: Record<string, string | string[]> = {}): Map<string, { value: string; regex: boolean }> {
  const out = new Map<string, { value: string; regex: boolean }>();
  const put = (name: string, v: string | string[] | undefined, multi: boolean, allValue?: string) => {
    const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
    if (list.length === 0 || list.includes('$__all') || list.includes('All')) out.set(name, { value: allValue ?? '.*', regex: true });
    else if (list.length > 1 || multi) out.set(name, { value: list.length === 1 ? escapeRegex(list[0]!) : `(${list.map(escapeRegex).join('|')})`, regex: true });
    else out.set(name, { value: list[0]!, regex: false });
  };
  for (const v of d.templating?.list ?? []) {
    if (v.type === 'datasource') continue; // chooses the datasource, never appears in an expr
    if (v.name in overrides) put(v.name, overrides[v.name], false, v.allValue);
    else if (v.type === 'constant' || v.type === 'textbox') put(v.name, typeof v.query === 'string' ? v.query : v.current?.value, false);
    // Multi-value or All: the picture shows everything, as Grafana does with "All" selected.
    else if (v.multi || v.includeAll) put(v.name, undefined, true, v.allValue);
    else put(v.name, v.current?.value ?? v.options?.find((o) => o.selected)?.value ?? v.options?.[0]?.value, false);
  }
  for (const [k, v] of Object.entries(overrides)) if (!out.has(k)) put(k, v, false);
  return out;
}

const VAR = /\$\{(\w+)(?::[\w]+)?\}|\$(\w+)|\[\[(\w+)\]\]/g;

/** Replaces Grafana's built-in and template variables in a PromQL expression so Prometheus itself can run it. */
export function substituteVariables(expr: string, d: Dashboard, o: SubstituteOptions): string {
  const vars = templateValues(d, o.vars);
  const builtins: Record<string, string | undefined> = { __rate_interval: o.rateInterval, __interval: o.interval, __range: o.range, __auto: o.interval };
  const nameOf = (m: string[]) => (m[1] ?? m[2] ?? m[3])!;
  // A regex value in an equality matcher needs the regex operator: label="$v" → label=~".*".
  let out = expr.replace(/(\w+)\s*(=|!=)\s*"([^"]*)"/g, (whole, label: string, op: string, value: string) => {
    const usesRegex = [...value.matchAll(VAR)].some((m) => vars.get(nameOf(m))?.regex);
    return usesRegex ? `${label}${op === '=' ? '=~' : '!~'}"${value}"` : whole;
  });
  out = out.replace(VAR, (whole, a?: string, b?: string, c?: string) => {
    const name = (a ?? b ?? c)!;
    if (name in builtins) return builtins[name] ?? whole;
    return vars.get(name)?.value ?? whole;
  });
  if (o.rangeWindow) out = out.replace(/\[\s*\d+(?:ms|[smhdwy])(?:\d+(?:ms|[smhdwy]))*\s*\]/g, `[${o.rangeWindow}]`);
  return out;
}

export type PanelQuery = { panelKey: string; refId: string; expr: string; legendFormat?: string };

/** Every query the page needs, one per visible panel target, with variables substituted. */
export function panelQueries(d: Dashboard, o: SubstituteOptions): PanelQuery[] {
  return d.panels.flatMap((p, i) =>
    (p.targets ?? [])
      .filter((t) => t.expr && !t.hide)
      .map((t, j) => ({ panelKey: panelKey(p, i), refId: t.refId ?? String.fromCharCode(65 + j), expr: substituteVariables(t.expr!, d, o), legendFormat: t.legendFormat })),
  );
}

export const panelKey = (p: Panel, index: number) => String(p.id ?? `#${index}`);

/** Grafana's legend: `{{label}}` replaced by the series' label value; without a format, the Prometheus series name. */
export function legendName(format: string | undefined, metric: Record<string, string>): string {
  if (!format || format === '__auto') {
    const { __name__: name, ...labels } = metric;
    const inner = Object.entries(labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(', ');
    return inner ? `${name ?? ''}{${inner}}` : (name ?? '{}');
  }
  return format.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, k: string) => metric[k] ?? '').replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------- numbers and units

function trimNum(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** A number in at most ~3 significant digits; `decimals` fixes the digits after the point. */
export function formatNumber(v: number, decimals?: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (decimals !== undefined) return v.toFixed(decimals);
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 100) return trimNum(v, 0);
  if (a >= 10) return trimNum(v, 1);
  if (a >= 1) return trimNum(v, 2);
  return trimNum(v, Math.min(6, 1 - Math.floor(Math.log10(a)) + 1));
}

function si(v: number, suffix: string, decimals?: number): string {
  const a = Math.abs(v);
  const [div, p] = a >= 1e9 ? [1e9, 'B'] : a >= 1e6 ? [1e6, 'M'] : a >= 1e3 ? [1e3, 'K'] : [1, ''];
  return `${formatNumber(v / div, decimals)}${p}${suffix}`;
}

/** A value with the panel's unit (Grafana unit ids: s, ms, ops, percentunit, percent, bytes, short, none). */
export function formatValue(v: number, unit?: string, decimals?: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  switch (unit) {
    case 's':
    case 'ms': {
      const sec = unit === 'ms' ? v / 1000 : v;
      const a = Math.abs(sec);
      if (a === 0) return '0 s';
      if (a < 1e-3) return `${formatNumber(sec * 1e6, decimals)} µs`;
      if (a < 1) return `${formatNumber(sec * 1e3, decimals)} ms`;
      if (a < 60) return `${formatNumber(sec, decimals)} s`;
      if (a < 3600) return `${formatNumber(sec / 60, decimals)} min`;
      if (a < 86400) return `${formatNumber(sec / 3600, decimals)} hour`;
      return `${formatNumber(sec / 86400, decimals)} day`;
    }
    case 'ops':
      return si(v, ' ops/s', decimals);
    case 'reqps':
      return si(v, ' req/s', decimals);
    case 'percentunit':
      return `${formatNumber(v * 100, decimals)}%`;
    case 'percent':
      return `${formatNumber(v, decimals)}%`;
    case 'bytes': {
      const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
      let x = v;
      let i = 0;
      while (Math.abs(x) >= 1024 && i < units.length - 1) (x /= 1024), i++;
      return `${formatNumber(x, decimals)} ${units[i]}`;
    }
    case 'none':
      return formatNumber(v, decimals);
    default:
      return si(v, '', decimals);
  }
}

/** Round tick values covering [min, max] (about `count` of them). */
export function niceTicks(min: number, max: number, count = 5): { min: number; max: number; step: number; ticks: number[] } {
  if (!(max > min)) max = min + (min === 0 ? 1 : Math.abs(min));
  const rough = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(rough));
  const norm = rough / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let t = lo; t <= hi + step / 2; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : Number(t.toPrecision(12)));
  return { min: lo, max: hi, step, ticks };
}

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** Time ticks (unix seconds) on round UTC boundaries, no more than `maxTicks`. */
export function timeTicks(from: number, to: number, maxTicks: number): { step: number; ticks: number[] } {
  const span = Math.max(1, to - from);
  const step = TIME_STEPS.find((s) => span / s <= maxTicks) ?? 86400 * Math.ceil(span / 86400 / maxTicks);
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return { step, ticks };
}

const pad2 = (n: number) => String(n).padStart(2, '0');
export const utcTime = (t: number, seconds = true) => {
  const d = new Date(t * 1000);
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}${seconds ? `:${pad2(d.getUTCSeconds())}` : ''}`;
};

// ---------------------------------------------------------------- drawing

/** Grafana's classic palette, in order, without its four darkest colours (unreadable on the dark background). */
export const PALETTE = [
  '#7EB26D', '#EAB839', '#6ED0E0', '#EF843C', '#E24D42', '#1F78C1', '#BA43A9', '#705DA0', '#508642', '#CCA300', '#447EBC', '#C15C17',
  '#B7DBAB', '#F4D598', '#70DBED', '#F9BA8F', '#F29191', '#82B5D8', '#E5A8E2', '#AEA2E0',
];

export const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export type Line = { name: string; color: string; points: [number, number][] };

/** The finite points of a series (Prometheus sends values as strings; NaN and ±Inf are left out). */
export function seriesPoints(s: MatrixSeries): [number, number][] {
  return s.values.map(([t, v]) => [Number(t), Number(v)] as [number, number]).filter(([t, v]) => Number.isFinite(t) && Number.isFinite(v));
}

/**
 * An SVG path for points already in pixel space: a new sub-path ("M") wherever consecutive samples are more than
 * `maxGap` seconds apart, so a missing scrape shows as a gap, as in Grafana.
 */
export function linePath(points: [number, number][], x: (t: number) => number, y: (v: number) => number, maxGap = Infinity): string {
  let d = '';
  let prev: number | undefined;
  for (const [t, v] of points) {
    const cmd = prev === undefined || t - prev > maxGap ? 'M' : 'L';
    d += `${d ? ' ' : ''}${cmd}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
    prev = t;
  }
  return d;
}

/** Lines of one panel, one per series of every target, named by the target's legend format. */
export function panelLines(results: TargetResult[]): Line[] {
  const lines: Line[] = [];
  for (const r of results) {
    for (const s of r.series) {
      const points = seriesPoints(s);
      if (points.length === 0) continue;
      lines.push({ name: legendName(r.legendFormat, s.metric), color: PALETTE[lines.length % PALETTE.length]!, points });
    }
  }
  return lines;
}

/** Above this many series, the legend counts the all-zero ones instead of listing them. */
export const LEGEND_MAX = 12;
const CHAR_W = 6.4; // average advance of an 11px sans-serif glyph, for laying out text without a browser
const textW = (s: string, px = 11) => s.length * CHAR_W * (px / 11);
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export type PanelSvgOptions = { width: number; height: number; from: number; to: number; step: number };

/** One panel as an SVG element: title, axes, grid, a line per series, legend; "No data" when nothing came back. */
export function renderPanelSvg(panel: Panel, results: TargetResult[], o: PanelSvgOptions): string {
  const { width: W, height: H } = o;
  const unit = panel.fieldConfig?.defaults?.unit;
  const decimals = panel.fieldConfig?.defaults?.decimals;
  const title = escapeXml(clip(panel.title ?? '', Math.floor((W - 24) / 7.2)));
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" class="panel" role="img" aria-label="${escapeXml(panel.title ?? '')}">`];
  parts.push(`<rect x="0.5" y="0.5" width="${W - 1}" height="${H - 1}" rx="3" fill="#181b1f" stroke="#2c3036"/>`);
  parts.push(`<text x="12" y="21" class="title">${title}</text>`);
  const lines = panelLines(results);
  const errors = results.filter((r) => r.error).map((r) => `${r.refId}: ${r.error}`);
  const center = (text: string, cls: string, dy = 0) => `<text x="${W / 2}" y="${H / 2 + 10 + dy}" text-anchor="middle" class="${cls}">${escapeXml(text)}</text>`;
  if (lines.length === 0) {
    parts.push(center('No data', 'nodata'));
    errors.slice(0, 2).forEach((e, i) => parts.push(center(clip(e, Math.floor(W / 6.5)), 'error', 22 + i * 16)));
    parts.push('</svg>');
    return parts.join('');
  }

  if (panel.type === 'stat' || panel.type === 'gauge') {
    const shown = lines.slice(0, 4);
    const cw = (W - 24) / shown.length;
    shown.forEach((l, i) => {
      const last = l.points[l.points.length - 1]![1];
      const cx = 12 + cw * i + cw / 2;
      const size = Math.max(18, Math.min(48, (H - 60) / 2, cw / 5));
      parts.push(`<text x="${cx}" y="${H / 2 + size / 3}" text-anchor="middle" font-size="${size.toFixed(0)}" font-weight="600" fill="${l.color}">${escapeXml(formatValue(last, unit, decimals))}</text>`);
      if (shown.length > 1 || l.name) parts.push(`<text x="${cx}" y="${H / 2 + size / 3 + 22}" text-anchor="middle" class="legend">${escapeXml(clip(l.name, Math.floor(cw / 6.5)))}</text>`);
    });
    parts.push('</svg>');
    return parts.join('');
  }

  // Legend rows (below the chart, as Grafana's bottom list legend). With many series, those at 0 the whole
  // time are still drawn but counted rather than listed, so the legend stays readable.
  const zeroOnly = lines.length > LEGEND_MAX ? lines.filter((l) => l.points.every(([, v]) => v === 0)) : [];
  const items: (Line & { label: string })[] = lines.filter((l) => !zeroOnly.includes(l)).map((l) => ({ ...l, label: clip(l.name, 60) }));
  if (zeroOnly.length) items.push({ name: '', color: 'none', points: [], label: `${zeroOnly.length} more series at 0 throughout` });
  const rows: (typeof items)[] = [[]];
  let rowW = 0;
  for (const it of items) {
    const w = 18 + textW(it.label) + 18;
    if (rowW + w > W - 24 && rows[rows.length - 1]!.length > 0) rows.push([]), (rowW = 0);
    rows[rows.length - 1]!.push(it);
    rowW += w;
  }
  const maxLegendRows = Math.max(1, Math.floor((H - 140) / 16));
  const legendRows = rows.slice(0, maxLegendRows);
  const legendH = legendRows.length * 16 + 8;

  // Y scale over every point in the window; includes 0 when all values are on one side of it.
  const values = lines.flatMap((l) => l.points.map(([, v]) => v));
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo > 0) lo = 0;
  if (hi < 0) hi = 0;
  if (panel.fieldConfig?.defaults?.min !== undefined) lo = panel.fieldConfig.defaults.min;
  if (panel.fieldConfig?.defaults?.max !== undefined) hi = panel.fieldConfig.defaults.max;
  const chartTop = 36;
  const chartBottom = H - 22 - legendH;
  const yt = niceTicks(lo, hi, Math.max(2, Math.min(6, Math.floor((chartBottom - chartTop) / 36))));
  const yLabels = yt.ticks.map((t) => formatValue(t, unit, decimals));
  const left = 12 + Math.max(...yLabels.map((l) => textW(l))) + 8;
  const right = W - 14;
  const x = (t: number) => left + ((t - o.from) / Math.max(1e-9, o.to - o.from)) * (right - left);
  const y = (v: number) => chartBottom - ((v - yt.min) / Math.max(1e-12, yt.max - yt.min)) * (chartBottom - chartTop);

  yt.ticks.forEach((t, i) => {
    const py = y(t).toFixed(1);
    parts.push(`<line x1="${left}" x2="${right}" y1="${py}" y2="${py}" class="grid"/>`);
    parts.push(`<text x="${left - 6}" y="${Number(py) + 4}" text-anchor="end" class="tick">${escapeXml(yLabels[i]!)}</text>`);
  });
  const tt = timeTicks(o.from, o.to, Math.max(2, Math.floor((right - left) / 80)));
  for (const t of tt.ticks) {
    const px = x(t).toFixed(1);
    parts.push(`<line x1="${px}" x2="${px}" y1="${chartTop}" y2="${chartBottom}" class="grid"/>`);
    const label = utcTime(t, tt.step < 60);
    // A label that would run off the panel's edge is left out (its grid line stays).
    if (Number(px) + textW(label, 10.5) / 2 <= W - 2) parts.push(`<text x="${px}" y="${chartBottom + 15}" text-anchor="middle" class="tick">${label}</text>`);
  }
  const clipId = `clip-${String(panel.id ?? panel.title ?? 'p').replace(/[^\w-]/g, '_')}`;
  parts.push(`<clipPath id="${clipId}"><rect x="${left}" y="${chartTop - 2}" width="${right - left}" height="${chartBottom - chartTop + 4}"/></clipPath>`);
  parts.push(`<g clip-path="url(#${clipId})">`);
  const maxGap = Math.max(o.step * 2.5, 1);
  for (const l of [...zeroOnly, ...lines.filter((l) => !zeroOnly.includes(l))]) {
    parts.push(`<path d="${linePath(l.points, x, y, maxGap)}" fill="none" stroke="${l.color}" stroke-width="1.6" stroke-linejoin="round"/>`);
    // An isolated sample has no segment to draw: mark it.
    l.points.forEach(([t, v], i) => {
      const alone = (i === 0 || t - l.points[i - 1]![0] > maxGap) && (i === l.points.length - 1 || l.points[i + 1]![0] - t > maxGap);
      if (alone) parts.push(`<circle cx="${x(t).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.2" fill="${l.color}"/>`);
    });
  }
  parts.push('</g>');

  legendRows.forEach((row, r) => {
    let lx = 12;
    const ly = chartBottom + 34 + r * 16;
    row.forEach((it, k) => {
      const more = r === legendRows.length - 1 && k === row.length - 1 && rows.length > legendRows.length ? ` (+${items.length - legendRows.flat().length} more)` : '';
      if (it.color !== 'none') parts.push(`<rect x="${lx}" y="${ly - 4}" width="12" height="3" rx="1" fill="${it.color}"/>`);
      parts.push(`<text x="${lx + 17}" y="${ly}" class="legend">${escapeXml(it.label + more)}</text>`);
      lx += 18 + textW(it.label) + 18;
    });
  });
  parts.push('</svg>');
  return parts.join('');
}

// ---------------------------------------------------------------- the page

export type RenderInput = {
  dashboard: Dashboard;
  /** Results per panel (key: `panelKey`), one entry per target. */
  results: Record<string, TargetResult[]>;
  /** The run's window, unix seconds, and the query step in seconds. */
  from: number;
  to: number;
  step: number;
  /** Extra caption lines (what ran, scrape interval, any query change), plain text. */
  notes?: string[];
  /** Range windows shortened for a short run (SubstituteOptions.rangeWindow), said in the caption. */
  rangeWindow?: string;
  /** Page width in CSS pixels (the panels' 24-column grid fills it less the margins). */
  width?: number;
};

export const CAPTION =
  'Rendered from Prometheus data of a real <code>pnpm scale-test</code> run by deploy/monitoring/render (Grafana is not installable on the build machine); same panels and queries as dashboard.json';

const ROW_PX = 40; // one gridPos height unit
const GAP = 8;

export function renderDashboardHtml(input: RenderInput): string {
  const width = input.width ?? 1600;
  const inner = width - 2 * 16;
  const colW = (inner + GAP) / 24;
  const { dashboard: d } = input;
  const day = new Date(input.from * 1000).toISOString().slice(0, 10);
  const span = Math.round(input.to - input.from);
  const when = `Run of ${day}, ${utcTime(input.from)}–${utcTime(input.to)} UTC (${span >= 120 ? `${Math.floor(span / 60)} min ${span % 60} s` : `${span} s`}), query step ${input.step} s.`;
  const caption = `${CAPTION}${input.rangeWindow ? `, except that the rate and histogram windows (<code>[5m]</code>, <code>[1h]</code>) are shortened to <code>[${escapeXml(input.rangeWindow)}]</code> to fit a run this short` : ''}.`;
  let bottom = 0;
  const panels = d.panels.map((p, i) => {
    const g = p.gridPos ?? { x: 0, y: bottom, w: 24, h: 8 };
    const left = Math.round(g.x * colW);
    const top = g.y * ROW_PX;
    const w = Math.round(g.w * colW - GAP);
    if (p.type === 'row') {
      bottom = Math.max(bottom, g.y + 1);
      return `<div class="row" style="left:${left}px;top:${top}px;width:${inner}px">${escapeXml(p.title ?? '')}</div>`;
    }
    const h = g.h * ROW_PX - GAP;
    bottom = Math.max(bottom, g.y + g.h);
    const svg = renderPanelSvg(p, input.results[panelKey(p, i)] ?? [], { width: w, height: h, from: input.from, to: input.to, step: input.step });
    return `<div class="cell" style="left:${left}px;top:${top}px;width:${w}px;height:${h}px">${svg}</div>`;
  });
  const css = `
    *{box-sizing:border-box}
    body{margin:0;padding:16px;background:#111217;color:#ccccdc;font:13px/1.45 "DejaVu Sans","Liberation Sans",Arial,sans-serif;width:${width}px}
    header{margin-bottom:14px}
    h1{font-size:20px;font-weight:500;margin:0 0 6px;color:#e6e6f0}
    header p{margin:2px 0;max-width:${inner}px;color:#a8a8b8}
    header p.caption{color:#ccccdc}
    code{font-family:"DejaVu Sans Mono",monospace;font-size:12px;background:#22252b;padding:0 3px;border-radius:2px}
    .grid{position:relative;width:${inner}px}
    .cell{position:absolute}
    .row{position:absolute;font-weight:600;font-size:15px;color:#e6e6f0}
    svg{display:block;font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif}
    svg .title{font-size:13px;font-weight:600;fill:#e6e6f0}
    svg .tick{font-size:10.5px;fill:#9fa3ad}
    svg .legend{font-size:11px;fill:#ccccdc}
    svg .grid{stroke:#2a2e35;stroke-width:1}
    svg .nodata{font-size:15px;fill:#8e8e9e}
    svg .error{font-size:11px;fill:#f2495c}`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeXml(d.title ?? 'dashboard')} (rendered)</title>`,
    `<style>${css}</style></head><body>`,
    '<header>',
    `<h1>${escapeXml(d.title ?? 'Dashboard')}</h1>`,
    `<p class="caption">${caption}</p>`,
    `<p>${escapeXml(when)}</p>`,
    ...(input.notes ?? []).map((n) => `<p>${escapeXml(n)}</p>`),
    '</header>',
    `<main class="grid" style="height:${bottom * ROW_PX}px">${panels.join('\n')}</main>`,
    '</body></html>',
  ].join('\n');
}
