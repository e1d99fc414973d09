// CLI: tsx packages/evaluation/src/evaluation.cli.ts eval|thresholds --data <file...> [options]
//      tsx packages/evaluation/src/evaluation.cli.ts eval --fields [--sample N] [--seed S] [--via text,pdf,acroform,fax] --out DIR
import { pathToFileURL } from 'node:url';
import { loadConfig } from '@triage/config';
import { parseVia, pipelineSettings, type FaxResolution, type PipelineSettings } from './channels.ts';
import { runEvalCommand, type EvalCommandArgs } from './evaluate.ts';
import { runThresholdCommand, type ThresholdCommandArgs } from './thresholds.ts';
import { parseFieldsVia } from './referrals/fields-channels.ts';
import { runFieldsEvalCommand, type FieldsEvalArgs } from './referrals/run-fields-eval.ts';

export type ParsedEvaluationArgs = { command: 'eval'; args: EvalCommandArgs } | { command: 'thresholds'; args: ThresholdCommandArgs };
export type ParsedFieldsEvalArgs = { command: 'eval-fields'; args: FieldsEvalArgs };

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
  const o: Record<string, string | undefined> = {};
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--fields') continue;
    if (a === '--data') throw new Error('eval --fields generates its referrals from the shared datasets: --data is not used');
    if (!['--out', '--sample', '--seed', '--via', '--policy', '--datasets', '--ocr-engine', '--ocr-workers', '--fax-resolution'].includes(a)) throw new Error(`unknown argument: ${a}`);
    if (i + 1 >= rest.length) throw new Error(`${a} needs a value`);
    o[a] = rest[++i];
  }
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

/**
 * Parses `eval` / `thresholds` arguments; the lead wires the same shapes into apps/cli. `eval --fields` is parsed
 * only for callers that pass `{ fields: true }` (and so handle `eval-fields`); others get an error naming it.
 */
export function parseEvaluationArgs(argv: string[]): ParsedEvaluationArgs;
export function parseEvaluationArgs(argv: string[], opts: { fields: true }): ParsedEvaluationArgs | ParsedFieldsEvalArgs;
export function parseEvaluationArgs(argv: string[], opts?: { fields: true }): ParsedEvaluationArgs | ParsedFieldsEvalArgs {
  const [command, ...rest] = argv;
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

async function main(): Promise<void> {
  const started = Date.now();
  const parsed = parseEvaluationArgs(process.argv.slice(2), { fields: true });
  const onProgress = (m: string) => console.error(`[${((Date.now() - started) / 1000).toFixed(0)} s] ${m}`);
  if (parsed.command === 'eval-fields') {
    const r = await runFieldsEvalCommand({ ...parsed.args, pipeline: pipelineSettings(loadConfig(process.env)), onProgress });
    console.log(`wrote ${r.jsonPath} and ${r.markdownPath} in ${((Date.now() - started) / 1000).toFixed(1)} s (extractor ${r.report.extractor.version}, sources ${r.report.extractor.sourceDigest ?? '?'})`);
    console.log(r.summary);
  } else if (parsed.command === 'eval') {
    // The document stages run with the same settings the workers would (OCR_ENGINE, OCR_DPI, limits …).
    const documents = parsed.args.channels?.some((c) => c !== 'text');
    const r = await runEvalCommand({ ...parsed.args, ...(documents && { pipeline: pipelineSettings(loadConfig(process.env)) }), onProgress });
    console.log(`wrote ${parsed.args.out}/report.md and report.html in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const [k, v] of Object.entries(r.metrics)) if (!k.startsWith('by.')) console.log(`  ${k.padEnd(36)} ${v.toFixed(4)}`);
  } else {
    const r = await runThresholdCommand({ ...parsed.args, onProgress });
    console.log(`wrote ${r.path} (${r.version}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`  thresholds ${JSON.stringify(r.thresholds)}  coverage ${r.coverage.toFixed(4)}`);
    for (const [k, v] of Object.entries(r.achieved)) console.log(`  ${k.padEnd(36)} ${v.toFixed(4)}`);
    for (const n of r.notes) console.log(`  note: ${n}`);
  }
}

// Run only when executed directly, so the parser can be imported by tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
