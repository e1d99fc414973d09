import type { FieldEvidence, FieldName, FieldSource, FieldValue } from '@triage/contracts';

/** One reading of one field from one place; the resolver turns readings into fields and conflicts. */
export type Candidate = {
  [K in FieldName]: {
    field: K;
    value: FieldValue<K>;
    confidence: number;
    evidence: FieldEvidence[];
    source: FieldSource;
    /** Other readings of the same text (04/05/1958 is also 4 May): two candidates agree when any reading matches. */
    alts?: string[];
    /** For a sex read from a title or a phrase: a guess, never a conflict with a labelled value. */
    weak?: boolean;
  };
}[FieldName];

export type Sink = (c: Candidate) => void;

export function candidate<K extends FieldName>(field: K, value: FieldValue<K>, confidence: number, evidence: FieldEvidence[], source: FieldSource = 'text', extra: { alts?: string[]; weak?: boolean } = {}): Candidate {
  return { field, value, confidence: Math.max(0, Math.min(0.99, confidence)), evidence, source, ...extra } as Candidate;
}
