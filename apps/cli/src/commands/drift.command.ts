import { z } from 'zod';
import { DEFAULT_MIN_SAMPLES, driftExitCode, parseDuration, renderDriftMarkdown, runDriftReport } from '@triage/evaluation/drift';
import { cliActor } from '../cli-actor.ts';
import { withDb } from '../cli-db.ts';
import type { Command } from './command.ts';

const duration = z
  .string()
  .regex(/^[1-9]\d*[mhdw]$/, 'must be a duration like 90m, 12h, 1d or 2w')
  .transform(parseDuration);

// `--format json`, not a bare `--json`: the command table's parser takes `--flag value` pairs only.
const args = z
  .object({
    since: duration.default(parseDuration('1d')),
    reference: duration.default(parseDuration('30d')),
    model: z.string().min(1).max(200).optional(),
    format: z.enum(['markdown', 'json'], { message: 'must be markdown or json' }).default('markdown'),
    'min-samples': z.coerce.number().int('must be an integer').min(2, 'must be at least 2').default(DEFAULT_MIN_SAMPLES),
  })
  .strict();

/** Input and output drift per model version, live window vs reference; audited; exit 2 on an alert (for cron/CI). */
export const driftReportCommand: Command<typeof args> = {
  name: ['drift', 'report'],
  usage: 'drift report [--since 1d] [--reference 30d] [--model V] [--format markdown|json] [--min-samples 50]   PSI/KS/χ² drift per model; exit 2 on alert',
  args,
  async run(a, { config }) {
    const report = await withDb(config, (db) =>
      runDriftReport(db, { liveMs: a.since, referenceMs: a.reference, model: a.model, minSamples: a['min-samples'], actor: cliActor() }),
    );
    console.log(a.format === 'json' ? JSON.stringify(report, null, 2) : renderDriftMarkdown(report));
    return driftExitCode(report);
  },
};
