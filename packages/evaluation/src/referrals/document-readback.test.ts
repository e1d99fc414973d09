// Generated referrals rendered and read back by the real document code: PDF text layers and AcroForm fields.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { closeDocumentWorkers } from '@triage/documents';
import { loadPolicy } from '@triage/routing';
import { sharedPath } from '@triage/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentStages, pipelineSettings, type DocumentStages } from '../channels.ts';
import { DEFAULT_POLICY_PATH } from '../evaluate.ts';
import { TSAI_FORM } from './acroforms.ts';
import { loadClinicalSources, type ClinicalSources } from './clinical-source.ts';
import { channelApplies, readThroughChannel } from './fields-channels.ts';
import { generateReferrals } from './generate.ts';

const DATASETS = sharedPath('datasets');
const flat = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

describe.skipIf(!existsSync(DATASETS))('generated referrals through the document code', () => {
  let sources: ClinicalSources;
  let stages: DocumentStages;
  beforeAll(async () => {
    sources = await loadClinicalSources(DATASETS, new Set(Object.keys(loadPolicy(DEFAULT_POLICY_PATH).teams)));
    stages = createDocumentStages(pipelineSettings());
  });
  afterAll(async () => {
    await stages.engine.close();
    await closeDocumentWorkers();
  });

  it('keeps every truth value in the born-digital PDF text layer', async () => {
    const docs = generateReferrals({ seed: 5, count: 14, sources }).filter((d) => channelApplies('pdf', d));
    expect(docs.length).toBeGreaterThan(8);
    for (const d of docs) {
      const read = await readThroughChannel(d, 'pdf', stages);
      expect(read.failure, d.id).toBeUndefined();
      expect(read.pages.every((p) => p.source === 'text-layer')).toBe(true);
      const text = flat(read.pages.map((p) => p.text).join('\n'));
      for (const [k, written] of Object.entries(d.written)) for (const w of written!) expect(text.includes(flat(w)), `${d.id} ${k}: "${w}"`).toBe(true);
    }
  });

  it('reads filled AcroForms (the shared Tsai form and a generated one) back with the truth values', async () => {
    const tsai = await readFile(join(DATASETS, ...TSAI_FORM));
    const docs = generateReferrals({ seed: 9, count: 8, sources, layouts: ['acro-tsai', 'acro-generated'] });
    expect(new Set(docs.map((d) => d.layout))).toEqual(new Set(['acro-tsai', 'acro-generated']));
    for (const d of docs) {
      const read = await readThroughChannel(d, 'acroform', stages, tsai);
      expect(read.failure, d.id).toBeUndefined();
      const fields = read.acroform!;
      if (d.layout === 'acro-tsai') expect(fields).toHaveLength(37);
      const filled = d.acroform!.template === 'tsai' ? Object.entries(d.acroform!.values) : d.acroform!.fields.flatMap((f) => (f.value === undefined ? [] : [[f.name, f.value] as const]));
      for (const [name, value] of filled) {
        const got = fields.find((f) => f.name === name);
        if (typeof value === 'boolean') expect(got?.checked ?? false, `${d.id} ${name}`).toBe(value);
        else expect(got?.value, `${d.id} ${name}`).toBe(value);
      }
      // Each truth value is some field's text, or (a stated priority) the name of a ticked box.
      const texts = fields.map((f) => flat(f.value ?? ''));
      const ticked = new Set(fields.filter((f) => f.checked).map((f) => f.name));
      for (const [k, written] of Object.entries(d.written)) {
        if (k === 'referredTo' && d.layout === 'acro-tsai') continue; // the Tsai form names its clinic in print
        for (const w of written!) expect(texts.some((t) => t.includes(flat(w))) || ticked.has(w), `${d.id} ${k}: "${w}"`).toBe(true);
      }
    }
  });
});
