// TF-IDF blocks (word and char n-grams) with vocabularies chosen on the training split only.
import { countTerms, extractTerms, tokenize, wordCharNgrams, type Term, type Token } from './tokenize.ts';
import { parseVitals, type Vitals } from './numeric.ts';

export type Vocabulary = { terms: string[]; idf: number[] };
export type SparseRow = { idx: number[]; val: number[] };

/** A document parsed once and reused across folds and settings. */
export type ParsedDoc = {
  text: string;
  tokens: Token[];
  terms: Term[];
  wordCounts: Map<string, number>;
  vitals: Vitals;
  /** Char n-gram counts, cached per "min-max" range (training only; prediction looks up per token). */
  charCache?: Map<string, Map<string, number>>;
};

/** Counts of single words (bigrams excluded): char n-grams are generated once per distinct word. */
export function wordTokenCounts(doc: ParsedDoc): [string, number][] {
  return [...doc.wordCounts].filter(([t]) => !t.includes(' '));
}

export function parseDoc(text: string): ParsedDoc {
  const tokens = tokenize(text);
  const terms = extractTerms(text, tokens);
  return { text, tokens, terms, wordCounts: countTerms(terms.map((t) => t.term)), vitals: parseVitals(text) };
}

export function charCounts(doc: ParsedDoc, min: number, max: number): Map<string, number> {
  doc.charCache ??= new Map();
  const key = `${min}-${max}`;
  let counts = doc.charCache.get(key);
  if (!counts) {
    counts = new Map();
    for (const [word, n] of wordTokenCounts(doc)) {
      for (const g of wordCharNgrams(word, min, max)) counts.set(g, (counts.get(g) ?? 0) + n);
    }
    doc.charCache.set(key, counts);
  }
  return counts;
}

/** Keep terms with df >= minDf, the maxFeatures most frequent (ties by term, for determinism). */
export function buildVocabulary(
  docs: Map<string, number>[],
  minDf: number,
  maxFeatures: number,
  keep: (term: string) => boolean = () => true,
): Vocabulary {
  const df = new Map<string, number>();
  for (const d of docs) for (const t of d.keys()) if (keep(t)) df.set(t, (df.get(t) ?? 0) + 1);
  const kept = [...df].filter(([, n]) => n >= minDf);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const top = kept.slice(0, maxFeatures);
  const n = docs.length;
  // Smoothed idf, as in scikit-learn: never zero, never infinite.
  // Rounded to float32 here so training sees exactly the idf the artifact ships.
  return { terms: top.map(([t]) => t), idf: top.map(([, d]) => Math.fround(Math.log((1 + n) / (1 + d)) + 1)) };
}

export function indexOf(vocab: Vocabulary): Map<string, number> {
  return new Map(vocab.terms.map((t, i) => [t, i]));
}

/** Term counts → vocabulary index → raw tf; out-of-vocabulary terms dropped. */
export function indexCounts(counts: Iterable<[string, number]>, index: Map<string, number>): Map<number, number> {
  const tf = new Map<number, number>();
  for (const [term, n] of counts) {
    const j = index.get(term);
    if (j !== undefined) tf.set(j, (tf.get(j) ?? 0) + n);
  }
  return tf;
}

/** Sublinear tf (1 + ln tf) × idf, L2-normalised, appended to `row` with indices offset by `base`. */
export function appendTfidf(row: SparseRow, tf: Map<number, number>, idf: ArrayLike<number>, base = 0): void {
  const from = row.val.length;
  let norm = 0;
  for (const [j, n] of tf) {
    const v = (1 + Math.log(n)) * (idf[j] ?? 0);
    row.idx.push(j + base);
    row.val.push(v);
    norm += v * v;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let q = from; q < row.val.length; q++) row.val[q] = row.val[q]! * scale;
}
