// CLI: tsx packages/evaluation/src/evaluation.cli.ts eval|thresholds --data <file...> [options]
//      tsx packages/evaluation/src/evaluation.cli.ts eval --fields [--sample N] [--seed S] [--via text,pdf,acroform,fax] --out DIR
import { pathToFileURL } from 'node:url';
import { loadConfig } from '@triage/config';
import { parseVia, pipelineSettings, type FaxResolution, type PipelineSettings } from './channels.ts';
import { runEvalCommand, type EvalCommandArgs } from './evaluate.ts';
import { runThresholdCommand, type ThresholdCommandArgs } from './thresholds.ts';
import { parseFieldsVia } from './referrals/fields-channels.ts';
import { runFieldsEvalCommand, type FieldsEvalArgs } from './referrals/run-fields-eval.ts';
import { ROUTING_CHANNELS, type RoutingChannel } from './routing/routing-cases.ts';
import { runRoutingEvalCommand, runRoutingThresholdCommand, type RoutingEvalArgs, type RoutingThresholdArgs } from './routing/run-routing-eval.ts';

export type ParsedEvaluationArgs = { command: 'eval'; args: EvalCommandArgs } | { command: 'thresholds'; args: ThresholdCommandArgs };
export type ParsedFieldsEvalArgs = { command: 'eval-fields'; args: FieldsEvalArgs };
export type ParsedRoutingArgs = { command: 'eval-routing'; args: RoutingEvalArgs } | { command: 'thresholds-referrals'; args: RoutingThresholdArgs };

function num(flag: string, v: string | undefined, integer = false): number {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new Error(`${flag} needs a${integer ? 'n integer' : ' number'}, got ${v}`);
  return n;
}

const positiveInt = (flag: string, v: string | undefined) => {
  const n = num(flag, v, true);
  if (n < 1) throw new Error(`${flag} must be at least 1, got ${n}`);
  return n;
};

type OcrOptions = { ocrEngine?: PipelineSettings['OCR_ENGINE']; ocrWorkers?: number; faxResolution?: FaxResolution };

function ocrOptions(o: Record<string, string | undefined>): OcrOptions {
  const engine = o['--ocr-engine'];
  if (engine !== undefined && engine !== 'tesseract.js' && engine !== 'native') throw new Error(`--ocr-engine takes tesseract.js or native, got ${engine}`);
  const fax = o['--fax-resolution'];
  if (fax !== undefined && fax !== 'fine' && fax !== 'standard') throw new Error(`--fax-resolution takes fine or standard, got ${fax}`);
  return {
    ...(engine !== undefined && { ocrEngine: engine }),
    ...(o['--ocr-workers'] !== undefined && { ocrWorkers: positiveInt('--ocr-workers', o['--ocr-workers']) }),
    ...(fax !== undefined && { faxResolution: fax }),
  };
}

/** `eval --fields …`: generated referrals, so no --data. */
function parseFieldsEvalArgs(rest: string[]): FieldsEvalArgs {
  const o = flagValues(rest, 'eval --fields', ['--out', '--sample', '--seed', '--via', '--policy', '--datasets', '--ocr-engine', '--ocr-workers', '--fax-resolution']);
  if (!o['--out']) throw new Error('--out <dir> is required');
  return {
    out: o['--out'],
    ...(o['--sample'] !== undefined && { sample: positiveInt('--sample', o['--sample']) }),
    ...(o['--seed'] !== undefined && { seed: num('--seed', o['--seed'], true) }),
    ...(o['--via'] !== undefined && { channels: parseFieldsVia(o['--via']) }),
    ...(o['--policy'] !== undefined && { policyPath: o['--policy'] }),
    ...(o['--datasets'] !== undefined && { datasetsDir: o['--datasets'] }),
    ...ocrOptions(o),
  };
}

/** `--flag value` pairs of a command that generates its referrals (`command` is e.g. "eval --fields"). */
function flagValues(rest: string[], command: string, allowed: string[]): Record<string, string | undefined> {
  const skip = command.split(' ').at(-1)!;
  const o: Record<string, string | undefined> = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === skip) continue;
    if (a === '--data') throw new Error(`${command} generates its referrals from the shared datasets: --data is not used`);
    if (a === '--no-red-flags' && allowed.includes(a)) {
      o[a] = 'true';
      continue;
    }
    if (!allowed.includes(a)) throw new Error(`unknown argument: ${a}`);
    if (i + 1 >= rest.length) throw new Error(`${a} needs a value`);
    o[a] = rest[++i];
  }
  return o;
}

function rate(flag: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = num(flag, v);
  if (!(n > 0 && n < 1)) throw new Error(`${flag} must be between 0 and 1 (exclusive), got ${n}`);
  return n;
}

const ROUTING_COMMON = ['--seed', '--draws', '--folds', '--policy', '--red-flags', '--no-red-flags', '--datasets'];

function routingCommon(o: Record<string, string | undefined>) {
  return {
    ...(o['--seed'] !== undefined && { seed: num('--seed', o['--seed'], true) }),
    ...(o['--draws'] !== undefined && { draws: positiveInt('--draws', o['--draws']) }),
    ...(o['--folds'] !== undefined && { folds: positiveInt('--folds', o['--folds']) }),
    ...(o['--policy'] !== undefined && { policyPath: o['--policy'] }),
    ...(o['--no-red-flags'] ? { redFlagsPath: null } : o['--red-flags'] !== undefined ? { redFlagsPath: o['--red-flags'] } : {}),
    ...(o['--datasets'] !== undefined && { datasetsDir: o['--datasets'] }),
  };
}

/** `eval --routing` and `thresholds --referrals`: generated referral-shaped documents, so no --data. */
function parseRoutingArgs(command: 'eval' | 'thresholds', rest: string[]): ParsedRoutingArgs {
  if (command === 'eval') {
    const o = flagValues(rest, 'eval --routing', [...ROUTING_COMMON, '--out', '--via', '--fax-sample']);
    if (!o['--out']) throw new Error('--out <dir> is required');
    const channels = o['--via']?.split(',').map((c) => c.trim()).filter(Boolean);
    for (const c of channels ?? []) if (!(ROUTING_CHANNELS as readonly string[]).includes(c)) throw new Error(`--via takes ${ROUTING_CHANNELS.join(', ')} (comma-separated), got "${c}"`);
    return {
      command: 'eval-routing',
      args: {
        ...routingCommon(o),
        out: o['--out'],
        ...(channels && { channels: channels as RoutingChannel[] }),
        ...(o['--fax-sample'] !== undefined && { faxSample: positiveInt('--fax-sample', o['--fax-sample']) }),
      },
    };
  }
  const o = flagValues(rest, 'thresholds --referrals', [...ROUTING_COMMON, '--out', '--specialty-precision', '--emergent-undertriage', '--routine-error', '--delta']);
  return {
    command: 'thresholds-referrals',
    args: {
      ...routingCommon(o),
      ...(o['--out'] !== undefined && { out: o['--out'] }),
      targets: {
        specialtyPrecision: rate('--specialty-precision', o['--specialty-precision'], 0.97),
        emergentUndertriage: rate('--emergent-undertriage', o['--emergent-undertriage'], 0.01),
        routineError: rate('--routine-error', o['--routine-error'], 0.1),
        delta: rate('--delta', o['--delta'], 0.05),
      },
    },
  };
}

/**
 * Parses `eval` / `thresholds` arguments; the lead wires the same shapes into apps/cli. `eval --fields` is parsed
 * only for callers that pass `{ fields: true }` (and so handle `eval-fields`); others get an error naming it.
 */
export function parseEvaluationArgs(argv: string[]): ParsedEvaluationArgs;
export function parseEvaluationArgs(argv: string[], opts: { fields: true }): ParsedEvaluationArgs | ParsedFieldsEvalArgs | ParsedRoutingArgs;
export function parseEvaluationArgs(argv: string[], opts?: { fields: true }): ParsedEvaluationArgs | ParsedFieldsEvalArgs | ParsedRoutingArgs {
  const [command, ...rest] = argv;
  if ((command === 'eval' && rest.includes('--routing')) || (command === 'thresholds' && rest.includes('--referrals'))) {
    if (!opts?.fields) throw new Error('eval --routing / thresholds --referrals are not wired into this command');
    return parseRoutingArgs(command, rest);
  }
  if (command === 'eval' && rest.includes('--fields')) {
    if (!opts?.fields) throw new Error('eval --fields is not wired into this command yet (see runFieldsEvalCommand in @triage/evaluation)');
    return { command: 'eval-fields', args: parseFieldsEvalArgs(rest) };
  }
  if (command !== 'eval' && command !== 'thresholds') throw new Error('usage: eval|thresholds --data <file...> [options]');
  const data: string[] = [];
  const o: Record<string, string | undefined> = {};
  let noRedFlags = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--data') while (i + 1 < rest.length && !rest[i + 1]!.startsWith('--')) data.push(rest[++i]!);
    else if (a === '--no-red-flags') noRedFlags = true;
    else if (['--out', '--model', '--policy', '--red-flags', '--folds', '--seed', '--specialty-precision', '--emergent-undertriage', '--urgency-accuracy', '--max-emergent-review', '--via', '--sample', '--ocr-engine', '--ocr-workers', '--fax-resolution'].includes(a)) o[a] = rest[++i];
    else throw new Error(`unknown argument: ${a}`);
  }
  if (!data.length) throw new Error('--data needs at least one file');
  const common = {
    data,
    ...(o['--model'] !== undefined && { modelPath: o['--model'] }),
    ...(noRedFlags ? { redFlagsPath: null } : o['--red-flags'] !== undefined ? { redFlagsPath: o['--red-flags'] } : {}),
    ...(o['--folds'] !== undefined && { folds: num('--folds', o['--folds'], true) }),
    ...(o['--seed'] !== undefined && { seed: num('--seed', o['--seed'], true) }),
  };
  if (command === 'eval') {
    if (!o['--out']) throw new Error('--out <dir> is required');
    return {
      command,
      args: {
        ...common,
        out: o['--out'],
        ...(o['--policy'] !== undefined && { policyPath: o['--policy'] }),
        ...(o['--via'] !== undefined && { channels: parseVia(o['--via']) }),
        ...(o['--sample'] !== undefined && { sample: positiveInt('--sample', o['--sample']) }),
        ...ocrOptions(o),
      },
    };
  }
  if (!o['--policy']) throw new Error('--policy <path> is required');
  return {
    command,
    args: {
      ...common,
      policyPath: o['--policy'],
      specialtyPrecision: num('--specialty-precision', o['--specialty-precision']),
      emergentUndertriage: num('--emergent-undertriage', o['--emergent-undertriage']),
      ...(o['--urgency-accuracy'] !== undefined && { urgencyAccuracy: num('--urgency-accuracy', o['--urgency-accuracy']) }),
      ...(o['--max-emergent-review'] !== undefined && { maxEmergentReview: num('--max-emergent-review', o['--max-emergent-review']) }),
      ...(o['--out'] !== undefined && { out: o['--out'] }),
    },
  };
}

/** Runs a parsed evaluation command and prints its summary: the one implementation behind `triage eval|thresholds`. */
export async function runEvaluation(parsed: ParsedEvaluationArgs | ParsedFieldsEvalArgs | ParsedRoutingArgs, pipeline: PipelineSettings): Promise<void> {
  const started = Date.now();
  const onProgress = (m: string) => console.error(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${m}`);
  const secs = () => ((Date.now() - started) / 1000).toFixed(1);
  if (parsed.command === 'eval-fields') {
    const r = await runFieldsEvalCommand({ ...parsed.args, pipeline, onProgress });
    console.log(`wrote ${r.jsonPath} and ${r.markdownPath} in ${secs()} s (extractor ${r.report.extractor.version}, sources ${r.report.extractor.sourceDigest ?? '?'})`);
    console.log(r.summary);
  } else if (parsed.command === 'eval-routing') {
    const r = await runRoutingEvalCommand({ ...parsed.args, pipeline, onProgress });
    console.log(`wrote ${r.jsonPath} and ${r.markdownPath} in ${secs()} s`);
    console.log(r.markdown);
  } else if (parsed.command === 'thresholds-referrals') {
    const r = await runRoutingThresholdCommand({ ...parsed.args, pipeline, onProgress });
    console.log(`wrote ${r.path} (${r.version}) from ${r.calibrationCases} calibration referrals in ${secs()} s`);
    for (const c of r.chosen) console.log(`  ${c.name.padEnd(16)} ${String(c.value).padEnd(8)} risk ${c.losses}/${c.n}, bound ${c.upperBound.toFixed(4)} (target ${c.alpha})${c.fallback ? ' FALLBACK' : ''}`);
    for (const n of r.notes) console.log(`  note: ${n}`);
  } else if (parsed.command === 'eval') {
    // The document stages run with the same settings the workers would (OCR_ENGINE, OCR_DPI, limits …).
    const documents = parsed.args.channels?.some((c) => c !== 'text');
    const r = await runEvalCommand({ ...parsed.args, ...(documents && { pipeline }), onProgress });
    console.log(`wrote ${parsed.args.out}/report.md and report.html in ${secs()} s`);
    for (const [k, v] of Object.entries(r.metrics)) if (!k.startsWith('by.')) console.log(`  ${k.padEnd(36)} ${v.toFixed(4)}`);
  } else {
    const r = await runThresholdCommand({ ...parsed.args, onProgress });
    console.log(`wrote ${r.path} (${r.version}) in ${secs()} s`);
    console.log(`  thresholds ${JSON.stringify(r.thresholds)}  coverage ${r.coverage.toFixed(4)}`);
    for (const [k, v] of Object.entries(r.achieved)) console.log(`  ${k.padEnd(36)} ${v.toFixed(4)}`);
    for (const n of r.notes) console.log(`  note: ${n}`);
  }
}

async function main(): Promise<void> {
  await runEvaluation(parseEvaluationArgs(process.argv.slice(2), { fields: true }), pipelineSettings(loadConfig(process.env)));
}

// Run only when executed directly, so the parser can be imported by tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
