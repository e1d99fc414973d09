// Tokens keep character offsets into the original text so evidence can point back at it.
export type Token = { text: string; start: number; end: number };
export type Term = { term: string; start: number; end: number };

const TOKEN_RE = /[\p{L}\p{N}]+/gu;
const DIGITS_RE = /^\p{N}+$/u;
// Bigrams only join tokens separated by spaces or a hyphen, never across punctuation.
const JOINABLE_GAP_RE = /^[ \t\r\n-]{1,3}$/;

// Lowercase per token (not the whole text) so offsets stay valid even when case-folding changes length.
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN_RE)) {
    const start = m.index ?? 0;
    tokens.push({ text: m[0].toLowerCase(), start, end: start + m[0].length });
  }
  return tokens;
}

/**
 * Word unigrams and bigrams with their spans. Pure-number tokens are skipped: in clinical text they are
 * vitals, doses and dates, which the numeric features parse properly; as words they only add noise.
 */
export function extractTerms(text: string, tokens: Token[] = tokenize(text)): Term[] {
  const terms: Term[] = [];
  let prev: Token | undefined;
  for (const tok of tokens) {
    if (DIGITS_RE.test(tok.text) || tok.text.length > 40) {
      prev = undefined;
      continue;
    }
    terms.push({ term: tok.text, start: tok.start, end: tok.end });
    if (prev && JOINABLE_GAP_RE.test(text.slice(prev.end, tok.start))) {
      terms.push({ term: `${prev.text} ${tok.text}`, start: prev.start, end: tok.end });
    }
    prev = tok;
  }
  return terms;
}

/** Character n-grams of one word padded with spaces (so prefixes and suffixes are marked), lengths min..max. */
export function wordCharNgrams(word: string, min: number, max: number): string[] {
  const grams: string[] = [];
  const w = ` ${word} `;
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= w.length; i++) grams.push(w.slice(i, i + n));
  }
  return grams;
}

export function countTerms(terms: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}
