import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clinicMatcher, stem } from './clinics.ts';
import { CLINICS } from './testing.ts';

const small = clinicMatcher({ version: 't', synonyms: { 'Cardiovascular / Pulmonary': ['cardiology'], Orthopedic: ['orthopaedics'], 'Hematology - Oncology': ['haematology'], 'ENT - Otolaryngology': ['ENT', 'ear nose and throat'] } });
const policy = clinicMatcher(CLINICS);

describe('clinic phrases', () => {
  it('accepts inflections and both spellings of a table phrase', () => {
    for (const s of ['Cardiology', 'cardiologist', 'the cardiologists', 'cardiological review', 'cardiac clinic', 'Cardiac Service']) expect(small.best(s)?.specialty, s).toBe('Cardiovascular / Pulmonary');
    for (const s of ['Orthopedics', 'orthopaedic', 'Orthopedic surgery']) expect(small.best(s)?.specialty, s).toBe('Orthopedic');
    expect(small.best('Hematology clinic')?.specialty).toBe('Hematology - Oncology');
    expect(small.best('Ear, Nose & Throat')?.specialty).toBe('ENT - Otolaryngology');
  });
  it('matches on word boundaries only, and an adjective only before a clinic noun', () => {
    expect(small.best('differential diagnosis')).toBeNull();
    expect(small.best('the agent')).toBeNull();
    expect(small.best('cardiac arrest in 2019')).toBeNull();
    expect(small.best('Dermatology')).toBeNull();
  });
  it('prefers the longest phrase', () => {
    expect(policy.best('upper GI surgery')?.specialty).toBe('Surgery');
    expect(policy.best('upper GI')?.specialty).toBe('Gastroenterology');
    expect(policy.best('diabetic foot clinic')?.specialty).toBe('Podiatry');
    expect(policy.best('2WW suspected cancer')?.specialty).toBe('Hematology - Oncology');
  });
  it('treats clinic nouns as one at the end of a phrase', () => {
    expect(policy.best('Dear Colorectal Team')?.specialty).toBe('Surgery');
    expect(policy.best('fracture service')?.specialty).toBe('Orthopedic');
  });
  it('stems UK and US spellings to one form', () => {
    expect(stem('Paediatrics')).toBe(stem('pediatric'));
    expect(stem('haematologist')).toBe(stem('hematology'));
    expect(stem('Orthopaedics')).toBe(stem('orthopedic'));
    expect(stem('centre')).toBe(stem('center'));
  });
});

describe("the policy's clinic table", () => {
  const json = JSON.parse(readFileSync(new URL('../../../policy/routing-policy.json', import.meta.url), 'utf8'));
  it('is keyed by exact team names and covers every team', () => {
    expect(json.clinics.version).toMatch(/^clinics-\d{4}\.\d{1,2}\.\d+$/);
    expect(Object.keys(json.clinics.synonyms).sort()).toEqual(Object.keys(json.teams).sort());
    for (const [team, phrases] of Object.entries<string[]>(json.clinics.synonyms)) {
      expect(phrases.length, team).toBeGreaterThanOrEqual(3);
      for (const p of phrases) expect(p.length, `${team}: ${p}`).toBeGreaterThanOrEqual(2);
    }
  });
  it('maps every phrase back to its own team (no phrase is shadowed by another team)', () => {
    const wrong: string[] = [];
    for (const [team, phrases] of Object.entries<string[]>(json.clinics.synonyms)) {
      for (const p of phrases) if (policy.best(p)?.specialty !== team) wrong.push(`${p} → ${policy.best(p)?.specialty} (want ${team})`);
    }
    expect(wrong).toEqual([]);
  });
  it('names clinics the way referrers do', () => {
    const cases: [string, string][] = [
      ['Rapid Access Chest Pain Clinic', 'Cardiovascular / Pulmonary'],
      ['respiratory medicine', 'Cardiovascular / Pulmonary'],
      ['Trauma & Orthopaedics', 'Orthopedic'],
      ['OB/GYN', 'Obstetrics / Gynecology'],
      ['gynaecology', 'Obstetrics / Gynecology'],
      ['CAMHS', 'Psychiatry / Psychology'],
      ['first seizure clinic', 'Neurology'],
      ['TIA clinic', 'Neurology'],
      ['haematology', 'Hematology - Oncology'],
      ['GI', 'Gastroenterology'],
      ['otorhinolaryngology', 'ENT - Otolaryngology'],
      ['paediatric clinic', 'Pediatrics - Neonatal'],
      ['speech and language therapy', 'Speech - Language'],
      ['eye casualty', 'Ophthalmology'],
    ];
    for (const [s, team] of cases) expect(policy.best(s)?.specialty, s).toBe(team);
  });
});
