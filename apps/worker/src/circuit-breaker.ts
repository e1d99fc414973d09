import { ALL_TEAMS, breakerRates, listPauses, pauseRouting, resumeRouting, type Db } from '@triage/db';
import type { RoutingPolicy } from '@triage/routing';
import type { Logger } from 'pino';

export type BreakerConfig = RoutingPolicy['circuitBreaker'];
export type BreakerRates = Awaited<ReturnType<typeof breakerRates>>;
export type BreakerVerdict = { action: 'trip' | 'clear' | 'hold'; why: string };

/** Hysteresis: a rate must fall this far below its limit before the breaker clears, or it would flap. */
const CLEAR_FACTOR = 0.8;

/** Pure: what the breaker should do given the window's counts and whether its own pause is set. */
export function breakerVerdict(r: BreakerRates, cfg: BreakerConfig, tripped: boolean): BreakerVerdict {
  const override = r.reviewed >= cfg.minSamples ? r.overridden / r.reviewed : null;
  const failure = r.finished >= cfg.minSamples ? r.failed / r.finished : null;
  const fmt = (name: string, v: number | null, limit: number) => `${name} ${v === null ? 'n/a' : v.toFixed(3)} (limit ${limit})`;
  const why = `${fmt('override rate', override, cfg.overrideRate)}, ${fmt('failure rate', failure, cfg.failureRate)}`;
  if (!tripped) {
    return (override !== null && override > cfg.overrideRate) || (failure !== null && failure > cfg.failureRate) ? { action: 'trip', why } : { action: 'hold', why };
  }
  // Clearing needs evidence on both sides: no traffic is not proof the problem went away.
  const calm = override !== null && override <= cfg.overrideRate * CLEAR_FACTOR && (failure === null || failure <= cfg.failureRate * CLEAR_FACTOR);
  return calm ? { action: 'clear', why } : { action: 'hold', why };
}

/**
 * Runs in every worker process; the database row is the breaker's state, so however many processes check, it
 * trips once and clears once (the insert or delete that changed the row is the one that alerts).
 */
export function startCircuitBreaker(db: Db, policy: RoutingPolicy, log: Logger, intervalMs = 30_000) {
  const cfg = policy.circuitBreaker;
  const check = async () => {
    try {
      const since = new Date(Date.now() - cfg.windowMinutes * 60_000);
      const [rates, pauses] = await Promise.all([breakerRates(db, since), listPauses(db)]);
      const tripped = pauses.some((p) => p.scope === ALL_TEAMS && p.source === 'circuit_breaker');
      const v = breakerVerdict(rates, cfg, tripped);
      if (v.action === 'trip' && (await pauseRouting(db, { scope: ALL_TEAMS, reason: v.why, source: 'circuit_breaker', actor: 'system:circuit-breaker', detail: { ...rates } }))) {
        log.error({ alert: 'circuit_breaker_tripped', ...rates }, `circuit breaker tripped: automatic routing paused (${v.why})`);
      }
      if (v.action === 'clear' && (await resumeRouting(db, { scope: ALL_TEAMS, source: 'circuit_breaker', actor: 'system:circuit-breaker', detail: { ...rates } }))) {
        log.warn({ alert: 'circuit_breaker_cleared', ...rates }, `circuit breaker cleared: automatic routing resumed (${v.why})`);
      }
    } catch (e) {
      log.warn({ err: { name: (e as Error).name } }, 'circuit breaker check failed; retrying');
    }
  };
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
