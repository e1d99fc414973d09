const words = (s: string) => s.toLowerCase().match(/[a-z0-9]+/g) ?? [];

/** Source words (case and punctuation ignored, as a multiset) found again in the read text: [hits, total]. */
export function wordRecallCounts(source: string, read: string): [number, number] {
  const got = new Map<string, number>();
  for (const w of words(read)) got.set(w, (got.get(w) ?? 0) + 1);
  const want = words(source);
  let hit = 0;
  for (const w of want) {
    const n = got.get(w) ?? 0;
    if (n > 0) {
      hit++;
      got.set(w, n - 1);
    }
  }
  return [hit, want.length];
}
