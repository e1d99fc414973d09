// `eval --fields` end to end on a tiny sample, and its argument parsing.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIELD_NAMES } from '@triage/contracts';
import { sharedPath } from '@triage/testkit';
import { describe, expect, it } from 'vitest';
import { parseEvaluationArgs } from '../evaluation.cli.ts';
import { runFieldsEvalCommand } from './run-fields-eval.ts';
import type { FieldsReport } from './fields-report.ts';

describe('eval --fields arguments', () => {
  it('parses the fields mode for callers that handle it, without --data', () => {
    expect(parseEvaluationArgs(['eval', '--fields', '--sample', '6', '--seed', '4', '--via', 'pdf,acroform', '--out', '/tmp/x'], { fields: true })).toEqual({
      command: 'eval-fields',
      args: { out: '/tmp/x', sample: 6, seed: 4, channels: ['text', 'pdf', 'acroform'] },
    });
    expect(parseEvaluationArgs(['eval', '--fields', '--out', 'o', '--via', 'fax', '--ocr-engine', 'native'], { fields: true })).toMatchObject({ args: { channels: ['text', 'fax'], ocrEngine: 'native' } });
    expect(() => parseEvaluationArgs(['eval', '--fields', '--out', 'o', '--via', 'png'], { fields: true })).toThrow(/png/);
    expect(() => parseEvaluationArgs(['eval', '--fields', '--out', 'o', '--data', 'x.jsonl'], { fields: true })).toThrow(/--data is not used/);
    expect(() => parseEvaluationArgs(['eval', '--fields', '--sample', '0', '--out', 'o'], { fields: true })).toThrow(/at least 1/);
    expect(() => parseEvaluationArgs(['eval', '--fields'], { fields: true })).toThrow(/--out/);
    // A caller that does not handle the mode is told so, instead of getting a shape it cannot run.
    expect(() => parseEvaluationArgs(['eval', '--fields', '--out', 'o'])).toThrow(/runFieldsEvalCommand/);
    expect(parseEvaluationArgs(['eval', '--data', 'a.jsonl', '--out', 'o']).command).toBe('eval');
  });
});

describe.skipIf(!existsSync(sharedPath('datasets')))('runFieldsEvalCommand', () => {
  it('runs a tiny sample through text and PDF and writes fields-report.json and .md', async () => {
    const out = await mkdtemp(join(tmpdir(), 'fields-eval-'));
    try {
      const r = await runFieldsEvalCommand({ out, sample: 6, seed: 2, channels: ['text', 'pdf'] });
      const json = JSON.parse(await readFile(r.jsonPath, 'utf8')) as FieldsReport;
      expect(json.kind).toBe('fields-eval');
      expect(json.sample).toBe(6);
      expect(Object.keys(json.byChannel)).toEqual(['text', 'pdf']);
      const text = json.byChannel.text!;
      expect(text.documents).toBe(6 - (json.composition.byFamily.acroform ?? 0));
      expect(Object.keys(text.fields)).toEqual(FIELD_NAMES);
      expect(text.calibration.bins).toHaveLength(10);
      expect(json.msPerTextDocument.n).toBe(text.documents);
      expect(json.extractor.version).toMatch(/^fields-/);
      const md = await readFile(r.markdownPath, 'utf8');
      expect(md).toContain('# Fields evaluation');
      expect(md).toContain('| patientName |');
      expect(r.summary).toContain('referrerNpi');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
