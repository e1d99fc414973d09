import { z } from 'zod';
import type { Listen } from '@triage/db';

export const REVIEW_EVENTS_CHANNEL = 'review_events';

/** What the review_tasks trigger sends: ids only, never document content. */
export const reviewEvent = z
  .object({ type: z.enum(['created', 'claimed', 'released', 'decided']), taskId: z.string().uuid() })
  .strict();
export type ReviewEvent = z.infer<typeof reviewEvent>;

export type ReviewEventHub = {
  subscribe(fn: (e: ReviewEvent) => void): Promise<() => void>;
  close(): Promise<void>;
};

/**
 * One LISTEN connection per API process, fanned out to every open stream. Events come from the database
 * trigger, so a task created by a worker in another process arrives here too.
 */
export function createReviewEventHub(listen: Listen | undefined, onBadPayload: (why: string) => void): ReviewEventHub {
  const subscribers = new Set<(e: ReviewEvent) => void>();
  let unlisten: Promise<() => Promise<void>> | null = null;
  const start = () => {
    if (!listen) throw new Error('live review events need a database listener');
    unlisten ??= listen(REVIEW_EVENTS_CHANNEL, (payload) => {
      let parsed: ReviewEvent;
      try {
        parsed = reviewEvent.parse(JSON.parse(payload));
      } catch {
        onBadPayload('unparseable review event');
        return;
      }
      for (const fn of subscribers) fn(parsed);
    }).catch((e: unknown) => {
      unlisten = null;
      throw e;
    });
    return unlisten;
  };
  return {
    async subscribe(fn) {
      await start();
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
    async close() {
      subscribers.clear();
      const u = unlisten;
      unlisten = null;
      if (u) await (await u.catch(() => async () => undefined))().catch(() => undefined);
    },
  };
}

export function sseFrame(e: ReviewEvent): string {
  return `event: task\ndata: ${JSON.stringify(e)}\n\n`;
}
