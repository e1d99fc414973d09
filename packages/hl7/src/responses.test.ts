import { describe, expect, it } from 'vitest';
import { parseMessage } from './message.ts';
import { buildApplicationResponse, wantsApplicationResponse } from './responses.ts';

const outcome = { accepted: true, team: 'Cardiology', urgency: 'urgent' as const, referralId: '6f1c2a9e-0000-4000-8000-000000000001' };
const msg = (type: string, extra: string[]) => ['MSH|^~\\&|EHR|CLINIC|TRIAGE|HOSP|20261201||' + type + '|C-9|P|2.5.1|||AL|AL', 'PID|1||M1^^^H^MR||Doe^Jo', ...extra].join('\r');

describe('application responses', () => {
  it('answers REF^I12 with RRI^I12: MSA-2 the original control id, RF1 accepted with the triaged priority and the sender key', () => {
    const text = msg('REF^I12', ['RF1|P|R|Med||O|K-1^EHR']);
    const r = parseMessage(buildApplicationResponse(parseMessage(text), text, outcome));
    expect([r.get('MSH', 9, 1), r.get('MSH', 9, 2), r.get('MSH', 3), r.get('MSH', 5)]).toEqual(['RRI', 'I12', 'TRIAGE', 'EHR']);
    expect([r.get('MSA', 1), r.get('MSA', 2)]).toEqual(['AA', 'C-9']);
    expect([r.get('RF1', 1, 1), r.get('RF1', 2, 1), r.get('RF1', 6)]).toEqual(['A', 'A', 'K-1^EHR']);
    expect(r.get('PRD', 4, 4)).toBe('Cardiology');
    expect(r.get('PID', 3, 1)).toBe('M1');
  });
  it('answers orders with ORR^O02 / ORG^O20 (ORC-1 OK, our referral id as filler number) and MDM with an ACK', () => {
    const orm = msg('ORM^O01', ['ORC|NW|P-7^EHR']);
    const r = parseMessage(buildApplicationResponse(parseMessage(orm), orm, outcome));
    expect([r.get('MSH', 9, 1), r.get('ORC', 1), r.get('ORC', 2), r.get('ORC', 3, 1), r.get('ORC', 7, 6)]).toEqual(['ORR', 'OK', 'P-7^EHR', outcome.referralId, 'A']);
    const omg = msg('OMG^O19', ['ORC|NW|P-8']);
    expect(parseMessage(buildApplicationResponse(parseMessage(omg), omg, { ...outcome, accepted: false })).get('ORC', 1)).toBe('UA');
    const mdm = msg('MDM^T02', ['TXA|1|CN']);
    expect(parseMessage(buildApplicationResponse(parseMessage(mdm), mdm, outcome)).get('MSH', 9, 1)).toBe('ACK');
  });
  it('goes only where MSH-16 asked', () => {
    expect([wantsApplicationResponse('AL', true), wantsApplicationResponse('SU', true), wantsApplicationResponse('ER', true), wantsApplicationResponse('NE', true), wantsApplicationResponse(null, true)]).toEqual([true, true, false, false, false]);
    expect(wantsApplicationResponse('ER', false)).toBe(true);
  });
});
