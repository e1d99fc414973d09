// Which parts of the text pushed a head towards its predicted label, with character offsets.
import type { ParsedDoc } from './features.ts';
import type { Featurizer, FeatureRow } from './featurizer.ts';
import { numericBlock } from './numeric-features.ts';
import type { Evidence } from './types.ts';

export type RuntimeHead = {
  name: Evidence['head'];
  labels: readonly string[];
  featurizer: Featurizer;
  W: Float32Array; // feature-major, K columns
  b: Float64Array;
  temperature: number;
};

export const EVIDENCE_TERMS = 8;
export const OCCURRENCES_PER_TERM = 3;

type Bucket = { term: string; weight: number; span?: { start: number; end: number } };

/**
 * Contribution of feature j = x_j · (W[j, pred] − mean over other labels of W[j, k]). Word n-grams count
 * as themselves; char n-gram contributions are shared out over the words that contain them; numeric
 * features point at the text they were parsed from. Returns one Evidence per occurrence.
 */
export function headEvidence(head: RuntimeHead, doc: ParsedDoc, row: FeatureRow, pred: number): Evidence[] {
  const { featurizer: f, W } = head;
  const K = head.labels.length;
  const buckets = new Map<string, Bucket>();
  const add = (key: string, term: string, weight: number, span?: Bucket['span']) => {
    const b = buckets.get(key);
    if (b) b.weight += weight;
    else buckets.set(key, { term, weight, ...(span ? { span } : {}) });
  };
  const charContrib = new Map<number, number>();
  const spans = f.state.numeric && f.state.config.numeric
    ? numericBlock(doc.vitals, f.state.numeric.stats, f.state.config.numeric).spans
    : [];

  for (let q = 0; q < row.idx.length; q++) {
    const j = row.idx[q]!;
    let others = 0;
    for (let k = 0; k < K; k++) if (k !== pred) others += W[j * K + k]!;
    const c = row.val[q]! * (W[j * K + pred]! - others / Math.max(1, K - 1));
    if (j < f.charBase) {
      const term = f.state.word.terms[j]!;
      add(`w:${term}`, term, c);
    } else if (j < f.numericBase) {
      charContrib.set(j, c);
    } else {
      const span = spans[j - f.numericBase];
      if (span) add(`n:${span.start}:${span.end}`, doc.text.slice(span.start, span.end), c, span);
    }
  }

  if (row.wordChars && row.charTf && charContrib.size) {
    // A gram's contribution is split evenly over its occurrences, then summed per word.
    for (const [word, { count, features }] of row.wordChars) {
      let c = 0;
      for (const j of features) c += (charContrib.get(j) ?? 0) / (row.charTf.get(j) ?? 1);
      if (c !== 0) add(`w:${word}`, word, c * count);
    }
  }

  const top = [...buckets.values()]
    .filter((b) => b.weight > 0)
    .sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1))
    .slice(0, EVIDENCE_TERMS);
  const wanted = new Set(top.filter((b) => !b.span).map((b) => b.term));
  const occurrences = new Map<string, { start: number; end: number }[]>();
  for (const t of doc.terms) {
    if (!wanted.has(t.term)) continue;
    const list = occurrences.get(t.term) ?? [];
    if (list.length < OCCURRENCES_PER_TERM) list.push({ start: t.start, end: t.end });
    occurrences.set(t.term, list);
  }
  const weight = (w: number) => Number(w.toPrecision(4)); // 4 significant digits: never rounds a real push to 0
  return top.flatMap((b) =>
    (b.span ? [b.span] : (occurrences.get(b.term) ?? [])).map((s) => ({
      head: head.name,
      term: b.term,
      start: s.start,
      end: s.end,
      weight: weight(b.weight),
    })),
  );
}
