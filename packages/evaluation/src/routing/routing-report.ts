// The routing evaluation as Markdown: one table per policy variant, one row per group.
import type { Bound } from './routing-metrics.ts';
import type { RoutingReport } from './run-routing-eval.ts';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${(100 * v).toFixed(1)} %`);
const b = (x: Bound) => (x.n ? `${x.k}/${x.n} (≤ ${pct(x.upper95)})` : '–');
const precision = (x: Bound) => (x.n ? `${(1 - x.k / x.n).toFixed(3)} (≥ ${(1 - x.upper95).toFixed(3)})` : '–');
const top = (m: Record<string, number>, n = 4) =>
  Object.entries(m)
    .sort((a, c) => c[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

export function routingMarkdown(r: RoutingReport): string {
  const lines = [
    `# Routing on referral-shaped documents`,
    '',
    `Generated ${r.generatedAt}; seed ${r.seed}; ${r.split} half of the source records. Policy \`${r.policy.version}\` (${r.policy.path}).`,
    `Thresholds: \`${JSON.stringify(r.policy.thresholds)}\`.`,
    '',
    `Predictions: ${r.predictions}`,
    '',
    'Bounds in parentheses are one-sided 95 % Clopper–Pearson bounds. Team precision counts a team right when the content is labelled with it.',
    '',
  ];
  for (const v of r.variants) {
    lines.push(`## ${v.name} (uncertainUrgency: ${v.uncertainUrgency})`, '');
    lines.push('| group | n | no-touch | (routing only) | team decided | priority decided | team precision | emergent auto-routed below emergent | over-triage | under-triage | misdirected: to stated clinic / flagged / n | team rules | priority rules |');
    lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const g of v.groups) {
      const m = g.metrics;
      lines.push(
        `| ${g.group} | ${m.n} | ${pct(m.noTouch)} | ${pct(m.routingNoTouch)} | ${pct(m.teamDecided)} | ${pct(m.priorityDecided)} | ${precision(m.teamErrors)} | ${b(m.emergentUnderTriage)} | ${b(m.overTriage)} | ${b(m.underTriage)} | ${m.misdirected.n ? `${m.misdirected.routedToStated} / ${m.misdirected.flagged} / ${m.misdirected.n}` : '–'} | ${top(m.teamRules)} | ${top(m.priorityRules)} |`,
      );
    }
    const all = v.groups.find((g) => g.group === 'text');
    if (all) lines.push('', `Review reasons (text): ${top(all.metrics.reviewReasons, 10)}`, '');
  }
  lines.push('## Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}
