// The words referrers use for how soon a patient should be seen.
import type { Urgency } from '@triage/classifier';
import type { Draw } from './random.ts';

const SENTENCES: Record<Urgency, readonly string[]> = {
  emergent: ['Please see today - STAT.', 'This is an emergency referral.', 'I would be grateful if they could be seen the same day.', 'Immediate assessment is requested.', 'STAT referral - please call on receipt.'],
  urgent: ['I would be grateful if you could see this patient urgently.', 'Referred under the 2-week wait pathway.', 'Please see soon.', 'An urgent appointment would be appreciated.', 'Please expedite this referral.', 'Urgent suspected cancer referral (two week wait).'],
  routine: ['This is a routine referral.', 'Non-urgent.', 'Please see at your convenience in the routine clinic.', 'No particular urgency.', 'Routine appointment please.'],
};

const LABELS: Record<Urgency, readonly string[]> = {
  emergent: ['STAT', 'Emergency', 'Same day', 'Immediate', 'P1 - emergency'],
  urgent: ['Urgent', '2-week wait', '2WW', 'Soon', 'Expedited', 'Within 2 weeks', 'P2 - urgent'],
  routine: ['Routine', 'Non-urgent', 'Elective', 'P3 - routine', 'Standard'],
};

export const prioritySentence = (d: Draw, u: Urgency) => d.pick(SENTENCES[u]);
export const priorityLabel = (d: Draw, u: Urgency) => d.pick(LABELS[u]);

/** Tick boxes for the three levels, one ticked; `ticked` null leaves all empty. */
export function priorityTicks(d: Draw, ticked: Urgency | null): string {
  const names: Record<Urgency, string> = { emergent: d.pick(['Emergency', 'STAT', 'Same day']), urgent: d.pick(['Urgent', '2-week wait', 'Soon']), routine: d.pick(['Routine', 'Non-urgent']) };
  const mark = d.pick(['[X]', '[x]', '(X)']);
  const order: Urgency[] = d.chance(0.5) ? ['emergent', 'urgent', 'routine'] : ['routine', 'urgent', 'emergent'];
  return order.map((u) => `${u === ticked ? mark : mark.startsWith('(') ? '( )' : '[ ]'} ${names[u]}`).join('   ');
}
