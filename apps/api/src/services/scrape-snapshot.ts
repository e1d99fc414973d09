/**
 * One query set per scrape, shared by the gauges that read it: the first gauge's collect() starts it, the others
 * await the same promise, and it is dropped once the scrape has moved on. A failed query reads as null (no update).
 */
export function scrapeSnapshot<T>(query: () => Promise<T>): () => Promise<T | null> {
  let pending: Promise<T | null> | null = null;
  return () => {
    pending ??= query()
      .catch(() => null)
      .finally(() => setTimeout(() => (pending = null), 0));
    return pending;
  };
}
