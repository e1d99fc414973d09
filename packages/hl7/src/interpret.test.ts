import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { referralFields } from '@triage/contracts';
import { sharedPath } from '@triage/testkit';
import { decodeMessage } from './decode.ts';
import { Hl7RejectError, interpretMessage } from './interpret.ts';
import { parseMessage } from './message.ts';

const sample = (name: string) => interpretMessage(parseMessage(decodeMessage(readFileSync(sharedPath('datasets', 'hl7v2', `${name}.hl7`))).text));
const v = (r: ReturnType<typeof sample>, k: keyof typeof r.fields) => (r.fields[k] as { value: unknown } | undefined)?.value;

describe('interpretMessage on the shared samples', () => {
  it('REF^I12: key RF1-6, routine from RF1-2, patient, referrer and insurance from PID/PRD/IN1', () => {
    const r = sample('REF-I12-01');
    expect(r).toMatchObject({ messageType: 'REF^I12', action: 'new', key: '226839^EPIC', keyAt: 'RF1-6' });
    expect(r.fields.statedPriority).toMatchObject({ value: 'routine', source: 'hl7', at: 'RF1-2' });
    expect(v(r, 'patientName')).toBe('ADAM A EVERYMAN');
    expect(v(r, 'birthDate')).toBe('1961-06-15');
    expect(v(r, 'sex')).toBe('male');
    expect(v(r, 'patientAddress')).toBe('115 MAINSTREET, GOODTOWN, KY 42010');
    expect(v(r, 'patientPhone')).toBe('(270) 600-9800');
    expect(v(r, 'referrerName')).toBe('ROBERT POWELL');
    expect(v(r, 'referrerOrganization')).toBe('GOOD HEALTH HOSPITAL');
    expect(v(r, 'referrerPhone')).toBe('(626)555-1234');
    expect(v(r, 'insurancePayer')).toBe('Blue Cross Blue Shield of Texas');
    expect(v(r, 'diagnoses')).toEqual([{ code: 'K63.3', text: 'Ulcer of Intestine' }]);
    expect(v(r, 'referralDate')).toBe('2022-01-25');
    expect(r.clinicCandidates.map((c) => c.raw)).toContain('GI FACILITY');
    expect(referralFields.safeParse(r.fields).success).toBe(true);
    // The stated clinic is not in the classifier's text: agreement must be the content's, not the message's.
    expect(r.text).not.toMatch(/GI FACILITY/);
    expect(r.text).toMatch(/Ulcer of Intestine/);
  });

  it('REF^I14 cancels the referral it names', () => {
    expect(sample('REF-I14-02')).toMatchObject({ action: 'cancel', key: '226839^EPIC' });
  });

  it('ORM^O01: ORC-1 NW is new, ORC-2 the key, ORC-12 the referrer', () => {
    const r = sample('ORM-O01-01');
    expect(r).toMatchObject({ messageType: 'ORM^O01', action: 'new', key: '1101^GHHPlacer' });
    expect(v(r, 'referrerName')).toBe('JONES A ORDPROVIDER');
    expect(v(r, 'mrn')).toBe('PATID1234');
    expect(r.clinicCandidates[0]).toEqual({ raw: 'CT Head', at: 'OBR-4' });
  });

  it('OMG^O19: TQ1-9 gives the priority; ED observations that are not documents still decode', () => {
    const r = sample('OMG-O19-01');
    expect(r.fields.statedPriority).toMatchObject({ value: 'routine', at: 'TQ1-9' });
    expect(r.action).toBe('modify');
    expect(r.attachments[0]!.data.toString()).toBe('This is a Base64 string');
  });

  it('MDM^T02: TXA-12 is the key, TQ1-9 A is urgent, an empty ED is noted, the TX lines are the letter', () => {
    const r = sample('MDM-T02-01');
    expect(r).toMatchObject({ family: 'MDM', action: 'new', key: '1.2.840.317.5947431.51.20080131160038', keyAt: 'TXA-12' });
    expect(r.fields.statedPriority).toMatchObject({ value: 'urgent', at: 'TQ1-9' });
    expect(r.attachments).toEqual([]);
    expect(r.notes.some((n) => /ED without data/.test(n))).toBe(true);
    const t = sample('MDM-T02-02');
    expect(t.text).toMatch(/Toilet cylinder crackers/);
  });

  it('MDM from a 2.3 sender: typed MRN and NHS number', () => {
    const r = sample('MDM-T02-03');
    expect(v(r, 'mrn')).toBe('3196695816');
    expect(v(r, 'identifiers')).toContainEqual({ kind: 'nhs', value: '6597923189' });
    expect(v(r, 'patientName')).toBe('Frederick Clark');
  });

  it('refuses what it does not take with AR codes, and broken referrals with AE codes', () => {
    const reject = (text: string) => {
      try {
        interpretMessage(parseMessage(text));
      } catch (e) {
        if (e instanceof Hl7RejectError) return [e.outcome, e.code, e.location];
        throw e;
      }
      return null;
    };
    const msh = (type: string, version = '2.5') => `MSH|^~\\&|A|B|C|D|2024||${type}|C1|P|${version}`;
    expect(reject(`${msh('ADT^A01')}\rPID|1||1`)).toEqual(['reject', 200, 'MSH-9']);
    expect(reject(`${msh('REF^I15')}\rPID|1||1`)).toEqual(['reject', 201, 'MSH-9']);
    expect(reject(`${msh('REF^I12', '2.2')}\rPID|1||1`)).toEqual(['reject', 203, 'MSH-12']);
    expect(reject(`${msh('REF^I12')}\rRF1|1`)).toEqual(['error', 100, 'PID']);
    expect(reject(`${msh('ORM^O01')}\rPID|1||1`)).toEqual(['error', 100, 'ORC']);
    expect(reject(`${msh('REF^I12')}\rPID|1`)).toEqual(['error', 101, 'PID-3']);
    expect(reject(`${msh('REF^I12').replace('|C1|', '||')}\rPID|1||1`)).toEqual(['error', 101, 'MSH-10']);
  });
});

describe('interpretMessage on invented referrals', () => {
  const pdf = Buffer.from('%PDF-1.4\n% made up\n');
  const msg = [
    'MSH|^~\\&|EHR|CLINIC|TRIAGE|HOSP|20261201101500||REF^I12^REF_I12|R-1|P|2.5.1',
    'RF1|A^Accepted|S^STAT^HL70280|Med||O|REF-77^CLINIC|20261201',
    'PRD|RP|Okafor^Ngozi^^^Dr|1 High St^^Leeds^^LS1 1AA||^WPN^PH^^^0113^4960000~^WPN^FX^^^0113^4960001||1234567893^NPI|||Hill Surgery',
    'PRD|RT|Cardiology^Team||^^^Cardiology Clinic',
    'PID|1||MRN555^^^HOSP^MR||Ng^Pat^^^Ms||19700304|F|||2 Low Rd^^Leeds^^LS2 2BB||0113 496 0002',
    'DG1|1||I20.0^Unstable angina^I10|Unstable angina',
    'OBX|1|ED|LETTER^Referral letter||^application^pdf^Base64^' + pdf.toString('base64') + '||||||F',
  ].join('\r');
  it('reads every field a scheduler needs, and the embedded letter', () => {
    const r = interpretMessage(parseMessage(msg));
    expect(r.fields.statedPriority).toMatchObject({ value: 'emergent', at: 'RF1-2' });
    expect(v(r, 'referrerNpi')).toBe('1234567893');
    expect(v(r, 'referrerFax')).toBe('(0113) 496-0001');
    expect(v(r, 'referrerOrganization')).toBe('Hill Surgery');
    expect(r.clinicCandidates[0]).toEqual({ raw: 'Cardiology Clinic', at: 'PRD-4.4' });
    expect(r.attachments).toEqual([{ data: pdf, declaredType: 'application/pdf', at: 'OBX-5.5 (OBX 1)' }]);
    expect(v(r, 'patientName')).toBe('Pat Ng');
  });
  it('takes data from OBX-5.1 when that is where the sender put it', () => {
    const big = Buffer.alloc(300, 7);
    const r = interpretMessage(parseMessage(msg.replace(/OBX\|1\|ED.*$/, `OBX|1|ED|LETTER||${big.toString('base64')}^^PDF^Base64||||||F`)));
    expect(r.attachments[0]).toMatchObject({ data: big, at: 'OBX-5.1 (OBX 1)' });
  });
});

describe('embedded documents in real-world shapes', () => {
  const head = ['MSH|^~\\&|EHR|CLINIC|TRIAGE|HOSP|20261201||MDM^T02|M-1|P|2.5', 'PID|1||M1^^^H^MR||Doe^Jo', 'TXA|1|CN|AP|||||||||DOC-1'];
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3000, 0x41)]);
  it('joins a document split over consecutive OBX segments with the same OBX-3 and OBX-4', () => {
    const b64 = pdf.toString('base64');
    const chunks = b64.match(/.{1,1000}/g)!;
    const obx = chunks.map((c, i) => `OBX|${i + 1}|ED|LETTER^Referral letter||${i === 0 ? '^AP^PDF^Base64^' : '^^^^'}${c}||||||F`);
    const r = interpretMessage(parseMessage([...head, ...obx].join('\r')));
    expect(r.attachments).toHaveLength(1);
    expect(r.attachments[0]!.data.equals(pdf)).toBe(true);
    expect(r.attachments[0]!.at).toBe(`OBX-5.5 (OBX 1+${chunks.length - 1})`);
  });
  it('decodes chunks that are each padded base64 one by one', () => {
    const a = Buffer.from('%PDF-1.4 part one.');
    const b = Buffer.from(' part two!');
    const obx = [a, b].map((x, i) => `OBX|${i + 1}|ED|LETTER||^AP^PDF^Base64^${x.toString('base64')}||||||F`);
    const r = interpretMessage(parseMessage([...head, ...obx].join('\r')));
    expect(r.attachments[0]!.data.toString()).toBe('%PDF-1.4 part one. part two!');
  });
  it('reads a message inside a batch envelope (FHS/BHS … BTS/FTS)', () => {
    const text = ['FHS|^~\\&|EHR', 'BHS|^~\\&|EHR', ...head, 'BTS|1', 'FTS|1'].join('\r');
    expect(interpretMessage(parseMessage(text)).key).toBe('DOC-1');
  });
});
