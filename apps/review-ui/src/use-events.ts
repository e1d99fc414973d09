import { useEffect, useRef, useState } from 'react';
import type { TaskEvent } from './types.ts';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

/** Server-sent task events (ids only); EventSource reconnects by itself, we only report the state. */
export function useTaskEvents(url: string, onEvent: (e: TaskEvent) => void, factory = (u: string) => new EventSource(u)) {
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const es = factory(url);
    es.onopen = () => setState('live');
    es.onerror = () => setState('reconnecting');
    es.addEventListener('task', (m) => {
      try {
        const data = JSON.parse((m as MessageEvent<string>).data) as TaskEvent;
        if (data && typeof data.taskId === 'string') handler.current(data);
      } catch {
        // A malformed event is ignored; the next refresh still brings the truth.
      }
    });
    return () => es.close();
  }, [url]);
  return state;
}
