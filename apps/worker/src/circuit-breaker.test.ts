import { describe, expect, it } from 'vitest';
import { breakerVerdict } from './circuit-breaker.ts';

const cfg = { overrideRate: 0.3, failureRate: 0.2, windowMinutes: 60, minSamples: 20 };
const rates = (reviewed: number, overridden: number, finished = 100, failed = 0) => ({ reviewed, overridden, finished, failed });

describe('breakerVerdict', () => {
  it('trips on an override rate or a failure rate over the limit, with enough samples', () => {
    expect(breakerVerdict(rates(40, 13), cfg, false).action).toBe('trip');
    expect(breakerVerdict(rates(40, 12), cfg, false).action).toBe('hold');
    expect(breakerVerdict(rates(10, 10), cfg, false).action).toBe('hold');
    expect(breakerVerdict(rates(0, 0, 50, 11), cfg, false).action).toBe('trip');
    expect(breakerVerdict(rates(0, 0, 19, 19), cfg, false).action).toBe('hold');
  });
  it('clears only once both rates are well below their limits, and never on no evidence', () => {
    expect(breakerVerdict(rates(40, 11), cfg, true).action).toBe('hold');
    expect(breakerVerdict(rates(40, 9), cfg, true).action).toBe('clear');
    expect(breakerVerdict(rates(40, 9, 50, 9), cfg, true).action).toBe('hold');
    expect(breakerVerdict(rates(0, 0, 0, 0), cfg, true).action).toBe('hold');
  });
});
