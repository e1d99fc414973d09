import { Counter, Histogram, type Registry } from 'prom-client';

export type StageMetrics = { observe(stage: string, outcome: string, seconds: number): void };

export function createStageMetrics(registry: Registry): StageMetrics {
  const attempts = new Counter({
    name: 'triage_stage_attempts_total',
    help: 'Stage attempts by outcome',
    labelNames: ['stage', 'outcome'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'triage_stage_duration_seconds',
    help: 'Stage attempt duration',
    labelNames: ['stage'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  return {
    observe(stage, outcome, seconds) {
      attempts.inc({ stage, outcome });
      duration.observe({ stage }, seconds);
    },
  };
}
