import { describe, expect, it } from 'vitest';
import { extractTerms, tokenize, wordCharNgrams } from './tokenize.ts';

describe('tokenize', () => {
  it('keeps offsets that slice the original text back to each token', () => {
    const text = 'Pt. İSTANBUL-born, 71-year-old; SpO2 88% — chest\tpain×2 naïve Ωmega';
    const tokens = tokenize(text);
    expect(tokens.length).toBeGreaterThan(8);
    for (const t of tokens) expect(text.slice(t.start, t.end).toLowerCase()).toBe(t.text);
    expect(tokens.map((t) => t.text)).toContain('spo2');
  });

  it('builds bigrams across spaces and hyphens but not punctuation, and skips bare numbers', () => {
    const text = 'Severe chest pain, shortness of breath; x-ray 2 views';
    const terms = extractTerms(text);
    const names = terms.map((t) => t.term);
    expect(names).toEqual(expect.arrayContaining(['chest pain', 'shortness of', 'of breath', 'x ray']));
    expect(names).not.toContain('pain shortness');
    expect(names).not.toContain('breath x');
    expect(names).not.toContain('2');
    expect(names).not.toContain('ray views'); // a skipped number breaks the chain
    for (const t of terms) {
      expect(text.slice(t.start, t.end).toLowerCase().replace(/[\s-]+/g, ' ')).toBe(t.term);
    }
  });

  it('marks word boundaries in char n-grams', () => {
    expect(wordCharNgrams('abd', 3, 4)).toEqual([' ab', 'abd', 'bd ', ' abd', 'abd ']);
  });
});
