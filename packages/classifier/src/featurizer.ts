// One head's feature space: [word TF-IDF | char TF-IDF (optional) | numeric block (optional)].
import {
  appendTfidf,
  buildVocabulary,
  charCounts,
  indexCounts,
  indexOf,
  wordTokenCounts,
  type ParsedDoc,
  type SparseRow,
  type Vocabulary,
} from './features.ts';
import { wordCharNgrams } from './tokenize.ts';
import { fitNumericStats, numericBlock, numericFeatureNames, type NumericStats } from './numeric-features.ts';

export type FeatureConfig = {
  word: { minDf: number; maxFeatures: number; bigrams: boolean };
  char?: { min: number; max: number; minDf: number; maxFeatures: number };
  numeric?: { squares: boolean };
};

/** Everything needed to rebuild the featurizer; this is what the artifact stores. */
export type FeaturizerState = {
  config: FeatureConfig;
  word: Vocabulary;
  char?: Vocabulary;
  numeric?: { names: string[]; stats: NumericStats };
};

/** A row plus, when char n-grams are on, which char features each distinct word produced (for evidence). */
export type FeatureRow = SparseRow & {
  charTf?: Map<number, number>;
  wordChars?: Map<string, { count: number; features: number[] }>;
};

export type Featurizer = {
  state: FeaturizerState;
  size: number;
  wordIndex: Map<string, number>;
  charBase: number;
  numericBase: number;
  vectorize(doc: ParsedDoc): FeatureRow;
};

export function fitFeaturizer(docs: ParsedDoc[], config: FeatureConfig): FeaturizerState {
  const state: FeaturizerState = {
    config,
    word: buildVocabulary(
      docs.map((d) => d.wordCounts),
      config.word.minDf,
      config.word.maxFeatures,
      config.word.bigrams ? undefined : (t) => !t.includes(' '),
    ),
  };
  const c = config.char;
  if (c) state.char = buildVocabulary(docs.map((d) => charCounts(d, c.min, c.max)), c.minDf, c.maxFeatures);
  if (config.numeric) {
    state.numeric = {
      names: numericFeatureNames(config.numeric),
      stats: fitNumericStats(docs.map((d) => d.vitals)),
    };
  }
  return state;
}

const GRAM_CACHE_LIMIT = 50_000;

export function createFeaturizer(state: FeaturizerState): Featurizer {
  const wordIndex = indexOf(state.word);
  const charIndex = state.char ? indexOf(state.char) : undefined;
  const charBase = state.word.terms.length;
  const numericBase = charBase + (state.char?.terms.length ?? 0);
  const size = numericBase + (state.numeric?.names.length ?? 0);
  const { char: charCfg, numeric: numCfg } = state.config;
  const gramCache = new Map<string, number[]>();

  const vectorize = (doc: ParsedDoc): FeatureRow => {
    const row: FeatureRow = { idx: [], val: [] };
    appendTfidf(row, indexCounts(doc.wordCounts, wordIndex), state.word.idf);
    if (charCfg && charIndex && state.char) {
      // Per distinct word, only in-vocabulary grams: same tf as full counting, far fewer map operations.
      const tf = new Map<number, number>();
      const wordChars: NonNullable<FeatureRow['wordChars']> = new Map();
      for (const [word, count] of wordTokenCounts(doc)) {
        let features = gramCache.get(word);
        if (!features) {
          features = [];
          for (const g of wordCharNgrams(word, charCfg.min, charCfg.max)) {
            const j = charIndex.get(g);
            if (j !== undefined) features.push(charBase + j);
          }
          // Words repeat across documents; a bounded cache makes this block nearly free.
          if (gramCache.size >= GRAM_CACHE_LIMIT) gramCache.clear();
          gramCache.set(word, features);
        }
        for (const j of features) tf.set(j - charBase, (tf.get(j - charBase) ?? 0) + count);
        wordChars.set(word, { count, features });
      }
      appendTfidf(row, tf, state.char.idf, charBase);
      row.charTf = new Map([...tf].map(([j, n]) => [charBase + j, n]));
      row.wordChars = wordChars;
    }
    if (numCfg && state.numeric) {
      const block = numericBlock(doc.vitals, state.numeric.stats, numCfg);
      block.values.forEach((v, i) => {
        if (v !== 0) {
          row.idx.push(numericBase + i);
          row.val.push(v);
        }
      });
    }
    return row;
  };
  return { state, size, wordIndex, charBase, numericBase, vectorize };
}
