import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiFailure, type Api } from './api.ts';

export type ClaimState =
  | { kind: 'claiming' }
  | { kind: 'mine'; expiresAt: string; renewFailing: boolean }
  | { kind: 'held'; by: string; until: string | null }
  | { kind: 'closed' }
  | { kind: 'missing' }
  | { kind: 'error'; message: string };

const MIN_RENEW_MS = 1000;
const MAX_RENEW_MS = 120_000;

/**
 * Holds the lease on a case while the screen is open: claims on open, renews every third of the lease,
 * and releases on leave (unmount, navigation, tab close — keepalive so the request outlives the page).
 */
export function useClaim(api: Api, taskId: string) {
  const [state, setState] = useState<ClaimState>({ kind: 'claiming' });
  const current = useRef(state);
  current.current = state;
  const decided = useRef(false);
  const leaseMs = useRef(0);

  const claim = useCallback(async () => {
    try {
      const r = await api.claim(taskId);
      if (!leaseMs.current) leaseMs.current = Date.parse(r.claimExpiresAt) - Date.now();
      setState({ kind: 'mine', expiresAt: r.claimExpiresAt, renewFailing: false });
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 409) {
        const by = typeof e.extra.heldBy === 'string' ? e.extra.heldBy : null;
        setState(by ? { kind: 'held', by, until: typeof e.extra.until === 'string' ? e.extra.until : null } : { kind: 'closed' });
      } else if (e instanceof ApiFailure && e.status === 404) {
        setState({ kind: 'missing' });
      } else if (current.current.kind === 'mine') {
        // Offline for a moment: keep the claim we have, say so, retry on the next tick.
        setState({ ...current.current, renewFailing: true });
      } else {
        setState({ kind: 'error', message: e instanceof Error ? e.message : 'claim failed' });
      }
    }
  }, [api, taskId]);

  useEffect(() => {
    void claim();
  }, [claim]);

  // Renewal: a third of the lease leaves two chances before it lapses.
  const mine = state.kind === 'mine';
  useEffect(() => {
    if (!mine) return;
    const every = Math.min(MAX_RENEW_MS, Math.max(MIN_RENEW_MS, Math.floor(leaseMs.current / 3)));
    const t = setInterval(() => void claim(), every);
    return () => clearInterval(t);
  }, [mine, claim]);

  // Someone else's lease: try again when it is due to lapse.
  const heldUntil = state.kind === 'held' ? state.until : null;
  useEffect(() => {
    if (!heldUntil) return;
    const wait = Math.max(500, Date.parse(heldUntil) - Date.now() + 250);
    const t = setTimeout(() => void claim(), Math.min(wait, 2 ** 31 - 1));
    return () => clearTimeout(t);
  }, [heldUntil, claim]);

  useEffect(() => {
    const release = () => {
      if (current.current.kind === 'mine' && !decided.current) void api.release(taskId, true).catch(() => undefined);
    };
    const onShow = (e: PageTransitionEvent) => {
      if (e.persisted) void claim(); // back from the bfcache: the lease was given up on pagehide
    };
    addEventListener('pagehide', release);
    addEventListener('pageshow', onShow);
    return () => {
      removeEventListener('pagehide', release);
      removeEventListener('pageshow', onShow);
      release();
    };
  }, [api, taskId, claim]);

  return {
    state,
    retry: claim,
    markDecided: () => {
      decided.current = true;
      setState({ kind: 'closed' });
    },
    /** Live events about this task (someone released or decided it). */
    onEvent: (type: string) => {
      if (type === 'released' && current.current.kind === 'held') void claim();
      if (type === 'decided' && current.current.kind !== 'mine' && !decided.current) setState({ kind: 'closed' });
    },
  };
}
