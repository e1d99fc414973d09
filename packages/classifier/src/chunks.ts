// Splits a document into sentence chunks with offsets: the unit the embedding model embeds and occludes.
export type Chunk = { start: number; end: number; text: string };

const SENTENCE_END = /[.!?;:\n]+(?=\s|$)|\n/g;
export const MAX_CHUNKS = 48;

export function sentenceChunks(text: string, maxChunks = MAX_CHUNKS): Chunk[] {
  const spans: { start: number; end: number }[] = [];
  let from = 0;
  const push = (end: number) => {
    const raw = text.slice(from, end);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (/[\p{L}\p{N}]/u.test(trimmed)) spans.push({ start: from + lead, end: from + lead + trimmed.length });
  };
  for (const m of text.matchAll(SENTENCE_END)) {
    push(m.index + m[0].length);
    from = m.index + m[0].length;
  }
  push(text.length);
  // Long documents: merge neighbours so the chunk count (and so the embedding cost) stays bounded.
  const per = Math.max(1, Math.ceil(spans.length / maxChunks));
  const out: Chunk[] = [];
  for (let i = 0; i < spans.length; i += per) {
    const start = spans[i]!.start;
    const end = spans[Math.min(spans.length, i + per) - 1]!.end;
    out.push({ start, end, text: text.slice(start, end) });
  }
  return out;
}

/** Normalised mean of the chunk vectors, optionally leaving one out (occlusion). */
export function pooled(vectors: Float32Array[], dim: number, leaveOut = -1): Float64Array {
  const v = new Float64Array(dim);
  vectors.forEach((x, i) => {
    if (i === leaveOut) return;
    for (let d = 0; d < dim; d++) v[d] = v[d]! + x[d]!;
  });
  let norm = 0;
  for (let d = 0; d < dim; d++) norm += v[d]! * v[d]!;
  const s = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let d = 0; d < dim; d++) v[d] = v[d]! * s;
  return v;
}
