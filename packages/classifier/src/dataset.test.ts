import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseTrainingJsonl, readTrainingFiles, recordsDigest } from './dataset.ts';

const ktas = {
  id: 3,
  chief_complaint: 'chest pain',
  triage_text: '49-year-old male. Chief complaint: chest pain. BP 110/70, HR 70.',
  ktas_expert: 2,
  ktas_nurse: 3,
  diagnosis_in_ed: 'Angina',
};
const mtsamples = {
  id: 'abc',
  specialties: ['Surgery', 'Orthopedic'],
  document_types: ['Consult'],
  title: 'Knee',
  description: 'Knee pain.',
  text: 'PREOPERATIVE DIAGNOSIS: torn meniscus.',
};
const canonical = { text: 'Please see urgently: new AF.', urgency: 'urgent', source: 'review' };

describe('training data loader', () => {
  it('reads canonical, KTAS and MTSamples lines from plain and gzipped files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'triage-data-'));
    const plain = join(dir, 'mixed.jsonl');
    writeFileSync(plain, [JSON.stringify(canonical), '', JSON.stringify(ktas)].join('\n'));
    const gz = join(dir, 'docs.jsonl.gz');
    writeFileSync(gz, gzipSync(`${JSON.stringify(mtsamples)}\n${JSON.stringify({ ...mtsamples, specialties: [] })}\n`));

    const records = await readTrainingFiles([plain, gz]);
    expect(records).toEqual([
      canonical,
      { text: ktas.triage_text, urgency: 'emergent', source: 'ktas' },
      { text: mtsamples.text, specialties: ['Surgery', 'Orthopedic'], source: 'mtsamples' },
    ]); // the unlabelled MTSamples row is skipped
  });

  it('maps KTAS levels 1–2 / 3 / 4–5 to emergent / urgent / routine', () => {
    const levels = [1, 2, 3, 4, 5].map((ktas_expert) => JSON.stringify({ ...ktas, ktas_expert })).join('\n');
    expect(parseTrainingJsonl(levels).map((r) => r.urgency)).toEqual(['emergent', 'emergent', 'urgent', 'routine', 'routine']);
  });

  it('rejects a bad line with its file name and line number', () => {
    const good = JSON.stringify(canonical);
    expect(() => parseTrainingJsonl(`${good}\n${good}\n{"text": "x", "urgency": "soon"}`, 'data.jsonl')).toThrow(
      /data\.jsonl line 3: urgency/,
    );
    expect(() => parseTrainingJsonl(`${good}\nnot json`, 'data.jsonl')).toThrow(/data\.jsonl line 2:/);
    expect(() => parseTrainingJsonl('{"text": "no labels"}', 'x')).toThrow(/line 1: record has neither/);
    expect(() => parseTrainingJsonl(JSON.stringify({ ...ktas, ktas_expert: 9 }), 'k')).toThrow(/line 1: ktas_expert/);
  });

  it('digests records so any change in content changes the digest', () => {
    const a = [{ text: 'a', urgency: 'routine' as const }];
    expect(recordsDigest(a)).toBe(recordsDigest([{ text: 'a', urgency: 'routine' }]));
    expect(recordsDigest(a)).not.toBe(recordsDigest([{ text: 'a', urgency: 'urgent' }]));
  });
});
