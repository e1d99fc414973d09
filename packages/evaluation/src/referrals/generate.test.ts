// The generator over the shared datasets (read at run time): determinism, valid identifiers, truth in the text.
import { existsSync } from 'node:fs';
import { loadPolicy } from '@triage/routing';
import { sharedPath } from '@triage/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_PATH } from '../evaluate.ts';
import { loadClinicalSources, type ClinicalSources } from './clinical-source.ts';
import { composition } from './fields-report.ts';
import { generateReferral, generateReferrals } from './generate.ts';
import { isValidNpi } from './identifiers.ts';
import { ACRO_LAYOUTS, FORM_LAYOUTS, LETTER_STYLES, type GeneratedReferral } from './referral-types.ts';

const DATASETS = sharedPath('datasets');
const flat = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

describe.skipIf(!existsSync(DATASETS))('referral generator', () => {
  let sources: ClinicalSources;
  let teams: Set<string>;
  let docs: GeneratedReferral[];
  beforeAll(async () => {
    teams = new Set(Object.keys(loadPolicy(DEFAULT_POLICY_PATH).teams));
    sources = await loadClinicalSources(DATASETS, teams);
    docs = generateReferrals({ seed: 11, count: 400, sources });
  });

  it('is deterministic per seed, and document i does not depend on the sample size', () => {
    const again = generateReferrals({ seed: 11, count: 40, sources });
    expect(JSON.stringify(again)).toBe(JSON.stringify(docs.slice(0, 40)));
    expect(JSON.stringify(generateReferral(39, { seed: 11, sources }))).toBe(JSON.stringify(docs[39]));
    const other = generateReferrals({ seed: 12, count: 40, sources });
    expect(other.filter((d, i) => JSON.stringify(d.truth) === JSON.stringify(docs[i]!.truth)).length).toBe(0);
  });

  it('gives every referrer NPI a valid check digit, in the truth and in the text', () => {
    const npis = docs.flatMap((d) => (d.truth.referrerNpi ? [d.truth.referrerNpi] : []));
    expect(npis.length).toBeGreaterThan(50);
    for (const n of npis) expect(isValidNpi(n), n).toBe(true);
    for (const d of docs) for (const m of d.pages.join('\n').matchAll(/NPI:?\s*(\d{10})\b/g)) expect(isValidNpi(m[1]!), `${d.id}: ${m[1]}`).toBe(true);
  });

  it('writes every truth value into the document text (letters and typed forms)', () => {
    for (const d of docs.filter((x) => x.family !== 'acroform')) {
      const text = flat(d.pages.join('\n'));
      for (const k of Object.keys(d.truth) as Array<keyof typeof d.truth>) {
        const written = d.written[k];
        expect(written?.length, `${d.id} ${k} has no written form`).toBeGreaterThan(0);
        for (const w of written!) expect(text.includes(flat(w)), `${d.id} (${d.layout}) ${k}: "${w}"`).toBe(true);
      }
    }
  });

  it('varies layouts, locales, named clinics, priorities and gaps, with consistent labels', () => {
    const layouts = new Set(docs.map((d) => d.layout));
    for (const l of [...LETTER_STYLES, ...FORM_LAYOUTS, ...ACRO_LAYOUTS]) expect(layouts, l).toContain(l);
    expect(new Set(docs.map((d) => d.locale))).toEqual(new Set(['uk', 'us']));
    expect(new Set(docs.map((d) => d.labels.namedClinic))).toEqual(new Set(['right', 'wrong', 'none']));
    expect(new Set(docs.map((d) => d.labels.statedPriority ?? 'none'))).toEqual(new Set(['emergent', 'urgent', 'routine', 'none']));
    expect(docs.filter((d) => d.labels.urgency).length).toBeGreaterThan(60);
    // Most referrals miss a core field, as published audits found (52–74 %).
    const { incompleteShare } = composition(docs);
    expect(incompleteShare).toBeGreaterThan(0.5);
    expect(incompleteShare).toBeLessThan(0.75);
    // Several date formats for the same field.
    expect(new Set(docs.flatMap((d) => d.written.birthDate ?? []).map((s) => s.replace(/\d/g, '9').replace(/[A-Za-z]+/g, 'M'))).size).toBeGreaterThan(6);
    for (const d of docs) {
      expect(teams.has(d.labels.specialty)).toBe(true);
      expect(d.labels.statedPriority).toBe(d.truth.statedPriority);
      if (d.labels.namedClinic === 'none') expect(d.truth.referredTo).toBeUndefined();
      else expect(d.labels.specialties.includes(d.truth.referredTo!.specialty!), d.id).toBe(d.labels.namedClinic === 'right');
    }
  });
});
