// Settings compared by cross-validation on every training run; the best (by macro-F1) is kept.
// Exploration that informed these lists (bigrams, λ, vocabulary size) is summarised in MODEL_CARD.md.
import type { HeadSetting, LrSetting } from './cross-validate.ts';

const specialtyWords = { minDf: 2, maxFeatures: 12000, bigrams: false };

/** Specialty: three ways to turn a multi-label doc into a softmax target, same features. */
export const SPECIALTY_CANDIDATES: HeadSetting[] = [
  { name: 'words-soft', features: { word: specialtyWords }, lambda: 1e-5, target: 'soft', maxIter: 40 },
  { name: 'words-duplicate', features: { word: specialtyWords }, lambda: 1e-5, target: 'duplicate', maxIter: 40 },
  { name: 'words-rarest', features: { word: specialtyWords }, lambda: 1e-5, target: 'rarest', maxIter: 40 },
];

const urgencyWords = { minDf: 2, maxFeatures: 5000, bigrams: true };
const urgencyChars = { min: 3, max: 5, minDf: 2, maxFeatures: 20000 };
const vitals = { squares: true };

const textOnly: LrSetting = {
  name: 'words+chars',
  features: { word: urgencyWords, char: urgencyChars },
  lambda: 1e-3,
  target: 'soft',
  maxIter: 150,
};
const withVitals: LrSetting = { ...textOnly, name: 'words+chars+vitals', features: { ...textOnly.features, numeric: vitals } };

/**
 * Urgency: word n-grams vs word + char n-grams, two regularisation strengths, and the nonlinear alternative:
 * boosted trees stacked on raw vitals + the out-of-fold text score (shallow, strongly regularised: 750 records).
 */
export const URGENCY_CANDIDATES: HeadSetting[] = [
  { name: 'words+vitals', features: { word: urgencyWords, numeric: vitals }, lambda: 1e-3, target: 'soft', maxIter: 150 },
  {
    name: 'words+chars+vitals',
    features: { word: urgencyWords, char: urgencyChars, numeric: vitals },
    lambda: 1e-3,
    target: 'soft',
    maxIter: 150,
  },
  {
    name: 'words+chars+vitals-weak-l2',
    features: { word: urgencyWords, char: urgencyChars, numeric: vitals },
    lambda: 1e-4,
    target: 'soft',
    maxIter: 150,
  },
  {
    kind: 'stacked-gbt',
    name: 'gbt(vitals + words+chars score)',
    base: textOnly,
    innerFolds: 5,
    innerSeed: 7,
    trees: { rounds: 150, depth: 2, learningRate: 0.05, l2: 5, minLeaf: 20 },
  },
  {
    kind: 'stacked-gbt',
    name: 'gbt(vitals + words+chars+vitals score)',
    base: withVitals,
    innerFolds: 5,
    innerSeed: 7,
    trees: { rounds: 80, depth: 2, learningRate: 0.05, l2: 10, minLeaf: 30 },
  },
];
