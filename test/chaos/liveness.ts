// Which chaos workers are alive, and proof that each running one really consumes after Redis lost its data.
import { CANARY_TIMEOUT_MS } from '@triage/queue';
import type { Proc } from './processes.ts';

export type LifeState = 'booting' | 'running' | 'frozen' | 'draining' | 'exited';

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function lifeState(w: Proc, at = Date.now()): LifeState {
  if (w.killedAt !== undefined || w.child.exitCode !== null || w.child.signalCode !== null) return 'exited';
  if ((w.frozenUntil ?? 0) > at) return 'frozen';
  if (w.termAt !== undefined) return 'draining';
  return w.bootedAt !== undefined && w.bootedAt <= at ? 'running' : 'booting';
}

/** What a worker was doing at a moment: the evidence each canary verdict is read against. */
export function lifeOf(w: Proc, at = Date.now()): string {
  const boot = w.bootedAt ? `, booted ${secs(w.bootedAt - w.startedAt)} after spawn` : '';
  return `${w.name} ${lifeState(w, at)} (age ${secs(at - w.startedAt)}${boot})`;
}

export const lives = (ws: Proc[], at = Date.now()) => ws.map((w) => lifeOf(w, at)).join(', ');

type CanaryAnswer = { workers: string; worker?: string; ms?: number };

/** The product's own deep readiness check: one canary, consumed within CANARY_TIMEOUT_MS or reported down. */
export async function askCanary(base: string): Promise<CanaryAnswer> {
  const body = await fetch(`${base}/readyz?canary=1`)
    .then((r) => r.json() as Promise<{ checks: Record<string, string>; canary?: { worker: string; ms: number } }>)
    .catch(() => null);
  return { workers: body?.checks.workers ?? 'no answer', worker: body?.canary?.worker, ms: body?.canary?.ms };
}

/**
 * Proves that each of `targets` still consumes: for one target at a time, every other live worker is paused
 * (SIGSTOP), so the only process that can take the canary is the target, and the canary must be consumed by it
 * within the readiness bound. (Responders sharing one queue are not woken in turn, so sampling the shared queue
 * cannot show that each one consumes.) A paused process may still hold the queue's wake-up; the responders' 1 s
 * block time is what keeps the target inside the bound then. The processes paused here are resumed at once; the
 * chaos schedule's own frozen worker is left as it is.
 */
export async function eachConsumes(base: string, targets: Proc[], all: Proc[], note: (s: string) => void): Promise<string[]> {
  const violations: string[] = [];
  for (const target of targets) {
    if (lifeState(target) !== 'running') continue;
    const others = all.filter((w) => w !== target && ['booting', 'running'].includes(lifeState(w)));
    for (const w of others) w.child.kill('SIGSTOP');
    let c: CanaryAnswer;
    try {
      c = await askCanary(base);
    } finally {
      for (const w of others) w.child.kill('SIGCONT');
    }
    if (c.workers === 'ok' && c.worker === target.name) note(`${target.name} consumed a canary in ${c.ms} ms`);
    else {
      note(`${target.name} did not consume a canary: ${c.workers} ${c.worker ?? ''}; workers: ${lives(all)}`);
      violations.push(`${target.name} is running but consumed no canary within ${CANARY_TIMEOUT_MS} ms (${c.workers}${c.worker ? `, taken by ${c.worker}` : ''})`);
    }
  }
  return violations;
}
