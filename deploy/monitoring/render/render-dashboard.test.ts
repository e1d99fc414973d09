import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CAPTION,
  formatValue,
  legendName,
  linePath,
  niceTicks,
  panelQueries,
  renderDashboardHtml,
  renderPanelSvg,
  substituteVariables,
  timeTicks,
  type Dashboard,
  type Panel,
  type TargetResult,
} from './render-dashboard.ts';

const real = JSON.parse(readFileSync(new URL('../dashboard.json', import.meta.url), 'utf8')) as Dashboard;

const withVars: Dashboard = {
  panels: [],
  templating: {
    list: [
      { name: 'datasource', type: 'datasource', query: 'prometheus' },
      { name: 'stage', type: 'query', multi: true, includeAll: true, current: { value: ['$__all'] } },
      { name: 'channel', type: 'custom', current: { value: 'mllp' } },
      { name: 'env', type: 'constant', query: 'prod' },
    ],
  },
};
const sub = { interval: '2s', rateInterval: '30s' };

describe('variable substitution', () => {
  it('replaces $__rate_interval and $__interval, and a multi-value variable by .* with =~', () => {
    expect(substituteVariables('sum by (stage) (rate(x_total{stage="$stage"}[$__rate_interval]))', withVars, sub)).toBe('sum by (stage) (rate(x_total{stage=~".*"}[30s]))');
    expect(substituteVariables('rate(x[$__interval])', withVars, sub)).toBe('rate(x[2s])');
    expect(substituteVariables('x{stage!="${stage}"}', withVars, sub)).toBe('x{stage!~".*"}');
  });

  it('keeps = for a single value, substitutes ${v}, [[v]] and constants, and leaves unknown names alone', () => {
    expect(substituteVariables('x{channel="$channel", env="[[env]]"} + y{c="${channel}"}', withVars, sub)).toBe('x{channel="mllp", env="prod"} + y{c="mllp"}');
    expect(substituteVariables('x{a="$nope"}', withVars, sub)).toBe('x{a="$nope"}');
  });

  it('a selection of several values becomes an escaped alternation', () => {
    expect(substituteVariables('x{stage="$stage"}', withVars, { ...sub, vars: { stage: ['fields', 'a.b'] } })).toBe('x{stage=~"(fields|a\\.b)"}');
  });

  it('shortens range selectors but not subqueries when asked', () => {
    const e = 'rate(a[5m]) + rate(b[1h]) + max_over_time(c[10m:1m])';
    expect(substituteVariables(e, withVars, { ...sub, rangeWindow: '30s' })).toBe('rate(a[30s]) + rate(b[30s]) + max_over_time(c[10m:1m])');
    expect(substituteVariables(e, withVars, sub)).toBe(e);
  });

  it('yields one query per target of the real dashboard, with nothing left for Grafana to fill in', () => {
    const q = panelQueries(real, sub);
    expect(q.length).toBe(real.panels.reduce((n, p) => n + (p.targets?.length ?? 0), 0));
    expect(new Set(q.map((x) => x.panelKey)).size).toBe(real.panels.length);
    for (const x of q) expect(x.expr).not.toMatch(/\$/);
    expect(q.find((x) => x.panelKey === '5' && x.refId === 'B')?.legendFormat).toBe('{{stage}} oldest s');
  });
});

describe('legend', () => {
  it('substitutes {{label}} (spaces allowed) and drops missing labels', () => {
    expect(legendName('{{stage}} {{outcome}}', { stage: 'fields', outcome: 'failed' })).toBe('fields failed');
    expect(legendName('ACK p99 {{ channel }} (s)', { channel: 'http' })).toBe('ACK p99 http (s)');
    expect(legendName('{{scope}} {{source}}', { scope: 'global' })).toBe('global');
    expect(legendName('open tasks', {})).toBe('open tasks');
  });

  it('without a format shows the series like Prometheus does', () => {
    expect(legendName(undefined, { __name__: 'up', job: 'api' })).toBe('up{job="api"}');
    expect(legendName('', { __name__: 'up' })).toBe('up');
  });
});

describe('numbers', () => {
  it('formats the dashboard units', () => {
    expect(formatValue(0.25, 's')).toBe('250 ms');
    expect(formatValue(3, 's')).toBe('3 s');
    expect(formatValue(90, 's')).toBe('1.5 min');
    expect(formatValue(4.5, 'ops')).toBe('4.5 ops/s');
    expect(formatValue(0.42, 'percentunit')).toBe('42%');
    expect(formatValue(1500, 'short')).toBe('1.5K');
    expect(formatValue(0.05, undefined)).toBe('0.05');
  });

  it('ticks are round and cover the range', () => {
    expect(niceTicks(0, 9.3, 5)).toMatchObject({ min: 0, max: 10, step: 2, ticks: [0, 2, 4, 6, 8, 10] });
    expect(niceTicks(0, 0).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    const t = timeTicks(1000, 1100, 6);
    expect(t.step).toBe(30);
    expect(t.ticks).toEqual([1020, 1050, 1080]);
  });
});

const panel: Panel = { id: 1, type: 'timeseries', title: 'Stage throughput', gridPos: { x: 0, y: 0, w: 12, h: 8 }, fieldConfig: { defaults: { unit: 'ops' } }, targets: [{ refId: 'A', expr: 'x', legendFormat: '{{stage}}' }] };
const matrix: TargetResult = {
  refId: 'A',
  expr: 'x',
  legendFormat: '{{stage}}',
  series: [
    { metric: { stage: 'classify' }, values: [[100, '1'], [102, '3'], [104, '2']] },
    { metric: { stage: 'extract' }, values: [[100, 'NaN'], [102, '0.5']] },
  ],
};
const box = { width: 600, height: 300, from: 100, to: 104, step: 2 };

describe('panel SVG', () => {
  it('draws one path per series through the points, scaled into the chart, with its legend', () => {
    const svg = renderPanelSvg(panel, [matrix], box);
    const paths = [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1]!);
    expect(paths).toHaveLength(2);
    const pts = paths[0]!.split(' ').map((s) => s.slice(1).split(',').map(Number) as [number, number]);
    expect(paths[0]).toMatch(/^M[\d.]+,[\d.]+ L[\d.]+,[\d.]+ L[\d.]+,[\d.]+$/);
    // x grows with time and ends at the right edge; the highest value (3) is the smallest y.
    expect(pts[0]![0]).toBeLessThan(pts[1]![0]);
    expect(pts[2]![0]).toBeCloseTo(600 - 14, 0);
    expect(pts[1]![1]).toBeLessThan(pts[2]![1]);
    expect(pts[2]![1]).toBeLessThan(pts[0]![1]);
    // The NaN sample is left out: the second series is one isolated point, marked by a circle.
    expect(paths[1]).toMatch(/^M[\d.]+,[\d.]+$/);
    expect(svg).toContain('<circle');
    expect(svg).toContain('>classify<');
    expect(svg).toContain('>extract<');
    expect(svg).toContain('ops/s');
    expect(svg).not.toContain('No data');
  });

  it('with many series, lists the ones that move and counts those at 0 throughout', () => {
    const many: TargetResult = {
      refId: 'A',
      expr: 'x',
      legendFormat: '{{stage}} {{state}}',
      series: Array.from({ length: 14 }, (_, i) => ({ metric: { stage: `s${i}`, state: 'active' }, values: [[100, i < 2 ? '5' : '0'], [102, '0']] as [number, string][] })),
    };
    const svg = renderPanelSvg(panel, [many], { ...box, width: 900 });
    expect([...svg.matchAll(/<path /g)]).toHaveLength(14);
    expect(svg).toContain('>s0 active<');
    expect(svg).toContain('>s1 active<');
    expect(svg).not.toContain('>s5 active<');
    expect(svg).toContain('12 more series at 0 throughout');
  });

  it('breaks the line at a gap longer than the step allows', () => {
    const id = (v: number) => v;
    expect(linePath([[0, 1], [2, 2], [20, 3], [22, 4]], id, id, 5)).toBe('M0.0,1.0 L2.0,2.0 M20.0,3.0 L22.0,4.0');
    expect(linePath([[0, 1], [2, 2]], id, id)).toBe('M0.0,1.0 L2.0,2.0');
  });

  it('says "No data" when the query returned nothing, and shows a query error', () => {
    const empty = renderPanelSvg(panel, [{ ...matrix, series: [] }], box);
    expect(empty).toContain('No data');
    expect(empty).not.toContain('<path');
    const onlyNaN = renderPanelSvg(panel, [{ ...matrix, series: [{ metric: {}, values: [[100, 'NaN']] }] }], box);
    expect(onlyNaN).toContain('No data');
    const failed = renderPanelSvg(panel, [{ ...matrix, series: [], error: 'parse error at char 3' }], box);
    expect(failed).toContain('A: parse error at char 3');
  });

  it('a stat panel shows the last value as a number', () => {
    const svg = renderPanelSvg({ ...panel, type: 'stat', fieldConfig: { defaults: { unit: 'percentunit' } } }, [{ ...matrix, series: [{ metric: {}, values: [[100, '0.5'], [102, '0.875']] }] }], box);
    expect(svg).toContain('>87.5%<');
    expect(svg).not.toContain('<path');
  });
});

describe('page', () => {
  it('lays the panels out on the 24-column grid with the caption and time range, self-contained', () => {
    const html = renderDashboardHtml({ dashboard: real, results: { '1': [matrix] }, from: 1_780_000_000, to: 1_780_000_150, step: 2, width: 1600, notes: ['300 documents'] });
    expect(html).toContain(CAPTION);
    expect(html).toContain('Run of 2026-05-28, 20:26:40–20:29:10 UTC (2 min 30 s)');
    expect(html).toContain('<p>300 documents</p>');
    expect((html.match(/<svg /g) ?? []).length).toBe(real.panels.length);
    // Panel 1 is left, panel 2 (x: 12) starts half-way: (1568 + 8) / 24 × 12.
    expect(html).toMatch(/left:0px;top:0px;width:780px;height:312px/);
    expect(html).toMatch(/left:788px;top:0px;width:780px/);
    // Only panel 1 got data; the other twelve say so.
    expect((html.match(/No data/g) ?? []).length).toBe(real.panels.length - 1);
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org)/);
  });

  it('says when the rate windows were shortened', () => {
    const html = renderDashboardHtml({ dashboard: real, results: {}, from: 0, to: 60, step: 2, rangeWindow: '30s' });
    expect(html).toContain('shortened to <code>[30s]</code>');
  });
});
