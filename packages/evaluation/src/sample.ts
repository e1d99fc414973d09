// A seeded, stratified sample of records for the slow (document) channels.
import { createRng, type TrainingRecord } from '@triage/classifier';

const label = (r: TrainingRecord) => `${r.urgency ?? ''}|${r.specialties?.[0] ?? ''}`;

/**
 * Indices (ascending) of `n` records: an equal share per source (each dataset labels a different head, so a
 * proportional split would starve the smaller one of cases), and within a source a systematic pick from the
 * label-sorted, shuffled list, so every label keeps its share. All records when n ≥ their count.
 */
export function stratifiedSample(records: readonly TrainingRecord[], n: number, seed: number): number[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`sample must be a positive integer, got ${n}`);
  if (n >= records.length) return records.map((_, i) => i);
  const random = createRng(seed);
  const bySource = new Map<string, number[]>();
  for (const [i, r] of records.entries()) {
    const key = r.source ?? '';
    let members = bySource.get(key);
    if (!members) bySource.set(key, (members = []));
    members.push(i);
  }
  const sources = [...bySource.keys()].sort();
  // Equal quotas; a source too small for its quota gives the rest to the others.
  const quota = new Map<string, number>();
  let left = n;
  let open = [...sources].sort((a, b) => bySource.get(a)!.length - bySource.get(b)!.length);
  while (open.length) {
    const share = Math.floor(left / open.length);
    const s = open[0]!;
    const size = bySource.get(s)!.length;
    if (size <= share) {
      quota.set(s, size);
      left -= size;
      open = open.slice(1);
      continue;
    }
    // Remaining sources all take `share`, the first few one more for the remainder.
    open.forEach((src, k) => quota.set(src, share + (k < left - share * open.length ? 1 : 0)));
    break;
  }
  const picked: number[] = [];
  for (const s of sources) {
    const members = [...bySource.get(s)!];
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [members[i], members[j]] = [members[j]!, members[i]!];
    }
    members.sort((a, b) => (label(records[a]!) < label(records[b]!) ? -1 : label(records[a]!) > label(records[b]!) ? 1 : 0));
    const k = quota.get(s) ?? 0;
    for (let j = 0; j < k; j++) picked.push(members[Math.floor(((j + 0.5) * members.length) / k)]!);
  }
  return picked.sort((a, b) => a - b);
}
