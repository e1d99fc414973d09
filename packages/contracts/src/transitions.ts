import type { StageName } from './stages.ts';
import type { StageOutcomes } from './outcomes.ts';
import type { DocumentStatus } from './documents.ts';

export type Transition =
  | { kind: 'next'; stage: StageName }
  | { kind: 'end'; status: Extract<DocumentStatus, 'routed' | 'needs_review' | 'rejected'> };

type Table = { [S in StageName]: (o: StageOutcomes[S]) => Transition };

/** The whole routing between stages, in one pure table. */
export const transitions: Table = {
  extract: (o) => (o.ocrPages > 0 ? { kind: 'next', stage: 'ocr' } : { kind: 'next', stage: 'fields' }),
  ocr: () => ({ kind: 'next', stage: 'fields' }),
  // Fields run once the text is known and before classify, so classify and routing can use what the referrer stated.
  fields: () => ({ kind: 'next', stage: 'classify' }),
  classify: () => ({ kind: 'next', stage: 'persist' }),
  persist: (o) =>
    o.type === 'auto'
      ? { kind: 'next', stage: 'notify' }
      : o.type === 'review'
        ? { kind: 'end', status: 'needs_review' }
        : { kind: 'end', status: 'rejected' },
  notify: () => ({ kind: 'end', status: 'routed' }),
};

export function nextAfter<S extends StageName>(stage: S, outcome: StageOutcomes[S]): Transition {
  return (transitions[stage] as (o: StageOutcomes[S]) => Transition)(outcome);
}
