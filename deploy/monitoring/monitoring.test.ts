import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '../..');

/** Every metric the code registers (prom-client `name:` and the stats `ratio(…)` helper). */
function registeredMetrics(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      if (f === 'node_modules' || f === 'dist') continue;
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.ts') && !f.endsWith('.test.ts')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/(?:name: |ratio\()'(triage_[a-z0-9_]+)'/g)) names.add(m[1]!);
      }
    }
  };
  walk(join(ROOT, 'apps'));
  walk(join(ROOT, 'packages'));
  return names;
}

const referenced = (exprs: string[]) => new Set(exprs.flatMap((e) => [...e.matchAll(/\btriage_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ''))));

describe('monitoring', () => {
  const metrics = registeredMetrics();
  const rules = parse(readFileSync(join(HERE, 'alert-rules.yml'), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
  const dashboard = JSON.parse(readFileSync(join(HERE, 'dashboard.json'), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };

  it('alerts and dashboard panels use only metrics the code exports', () => {
    expect(metrics.size).toBeGreaterThan(10);
    const exprs = [...rules.groups.flatMap((g) => g.rules.map((r) => r.expr)), ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr))];
    const unknown = [...referenced(exprs)].filter((m) => !metrics.has(m));
    expect(unknown).toEqual([]);
    // Every exported metric is on the dashboard or in an alert, except the per-model override detail and sessions.
    const unused = [...metrics].filter((m) => !referenced(exprs).has(m) && !['triage_review_override_rate_by_model', 'triage_session', 'triage_review_open_tasks'].includes(m));
    expect(unused).toEqual([]);
  });

  it('the rules load and their unit tests pass in promtool', () => {
    const which = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
    // .ci/run installs Debian's prometheus package for promtool; a developer machine without it still runs the check above.
    if (which.status !== 0) return;
    const check = spawnSync('promtool', ['check', 'rules', 'alert-rules.yml'], { cwd: HERE, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const test = spawnSync('promtool', ['test', 'rules', 'alert-rules.test.yml'], { cwd: HERE, encoding: 'utf8' });
    expect(test.status, test.stdout + test.stderr).toBe(0);
  });
});
