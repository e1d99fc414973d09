import type { Urgency } from '@triage/contracts';
import { ackHeader, hl7Timestamp } from './ack.ts';
import { escapeValue, type Hl7Message } from './message.ts';

/** What the triage decided, as the sender's system should hear it. No free text from the document. */
export type TriageOutcome = { accepted: boolean; team: string | null; urgency: Urgency; referralId: string };

const PRIORITY: Record<Urgency, string> = { emergent: 'S', urgent: 'A', routine: 'R' };

/** Whether MSH-16 asks for an application response to this outcome (AL always, SU on success, ER on error). */
export function wantsApplicationResponse(appAck: string | null | undefined, accepted: boolean): boolean {
  const a = (appAck ?? '').toUpperCase();
  return a === 'AL' || (a === 'SU' && accepted) || (a === 'ER' && !accepted);
}

/**
 * The application response the standard pairs with each referral message: RRI^I12 for REF, ORR^O02 for ORM^O01,
 * ORG^O20 for OMG^O19, and an application ACK for MDM. MSA-2 names the original MSH-10; the sender's own ids (RF1-6,
 * ORC-2, PID-3) are echoed so its system can match the answer without reading anything else.
 */
export function buildApplicationResponse(original: Hl7Message, raw: string, outcome: TriageOutcome, now = new Date()): string {
  const h = ackHeader(raw);
  const d = original.delimiters;
  const c = d.component;
  const esc = (v: string) => escapeValue(v, d);
  const family = original.get('MSH', 9, 1).toUpperCase();
  const [type, event, structure] =
    family === 'REF' ? ['RRI', 'I12', 'RRI_I12'] : family === 'ORM' ? ['ORR', 'O02', 'ORR_O02'] : family === 'OMG' ? ['ORG', 'O20', 'ORG_O20'] : ['ACK', h.trigger || 'T02', 'ACK'];
  const msh = ['MSH', `${c}${d.repetition}${d.escape}${d.subcomponent}`, h.receivingApplication || 'TRIAGE', h.receivingFacility, h.sendingApplication, h.sendingFacility, hl7Timestamp(now), '', `${type}${c}${event}${c}${structure}`, `TR${outcome.referralId.replace(/-/g, '').slice(0, 17)}`, h.processingId, h.version].join(d.field);
  const note = esc(outcome.accepted ? `Triaged ${outcome.urgency}${outcome.team ? `, routed to ${outcome.team}` : ''}` : 'Not accepted after triage');
  const segments = [msh, ['MSA', outcome.accepted ? 'AA' : 'AE', h.controlId, note].join(d.field)];
  const rawSegment = (name: string) => original.segments.find((s) => s.name === name)?.fields;
  const pid3 = rawSegment('PID')?.[3];
  if (type === 'RRI') {
    const rf1 = rawSegment('RF1') ?? [];
    const status = outcome.accepted ? `A${c}Accepted${c}HL70283` : `R${c}Rejected${c}HL70283`;
    segments.push(['RF1', status, `${PRIORITY[outcome.urgency]}${c}${outcome.urgency}${c}HL70280`, rf1[3] ?? '', rf1[4] ?? '', rf1[5] ?? '', rf1[6] ?? '', hl7Timestamp(now).slice(0, 8)].join(d.field));
    if (outcome.team) segments.push(['PRD', `RT${c}Referred to Provider${c}HL70286`, '', '', `${c}${c}${c}${esc(outcome.team)}`].join(d.field));
    if (pid3) segments.push(['PID', '1', '', pid3].join(d.field));
  } else if (type === 'ORR' || type === 'ORG') {
    if (pid3) segments.push(['PID', '1', '', pid3].join(d.field));
    const orc = rawSegment('ORC') ?? [];
    // OK: order accepted and triaged; UA: unable to accept. ORC-3 (filler number) is ours: the referral id.
    segments.push(['ORC', outcome.accepted ? 'OK' : 'UA', orc[2] ?? '', `${outcome.referralId}${c}TRIAGE`, orc[4] ?? '', outcome.accepted ? 'SC' : 'CA', '', `${c}${c}${c}${c}${c}${PRIORITY[outcome.urgency]}`].join(d.field));
  }
  segments.push(['NTE', '1', 'L', note].join(d.field));
  return `${segments.join('\r')}\r`;
}
