import { Counter, Histogram, type Registry } from 'prom-client';

export type Hl7Observe = (channel: 'mllp' | 'http', status: string, seconds: number) => void;

const observers = new WeakMap<Registry, Hl7Observe>();

/** Messages by channel and outcome, and the time from receipt to ACK (the commit included); one set per registry. */
export function hl7Metrics(registry: Registry): Hl7Observe {
  const existing = observers.get(registry);
  if (existing) return existing;
  const messages = new Counter({ name: 'triage_hl7_messages_total', help: 'HL7 v2 messages answered, by channel and outcome (accepted, duplicate, error, rejected, unavailable)', labelNames: ['channel', 'status'], registers: [registry] });
  const ack = new Histogram({
    name: 'triage_hl7_ack_seconds',
    help: 'Time from a whole HL7 message to its ACK (raw message, document row and audit committed first)',
    labelNames: ['channel'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const observe: Hl7Observe = (channel, status, seconds) => {
    messages.inc({ channel, status });
    ack.observe({ channel }, seconds);
  };
  observers.set(registry, observe);
  return observe;
}
