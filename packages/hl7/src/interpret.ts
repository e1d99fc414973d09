import type { ReferralFields, Urgency } from '@triage/contracts';
import { component, repetitions, type Hl7Message, type Segment } from './message.ts';
import { address, person, phones, providerNpi, type Party } from './datatypes.ts';

/** What the sender wants done with the referral the key names. */
export type Hl7Action = 'new' | 'modify' | 'cancel';
export type Hl7Family = 'REF' | 'ORM' | 'OMG' | 'MDM';

export type Hl7Attachment = { data: Buffer; declaredType: string; at: string };

export type Hl7Referral = {
  messageType: string;
  family: Hl7Family;
  action: Hl7Action;
  /** The sender's referral / order / document id, the correction and duplicate key (null: none given). */
  key: string | null;
  keyAt: string | null;
  /** Field values read from PID, PRD, ORC/OBR, DG1, IN1, with `source: "hl7"` and where they came from. */
  fields: ReferralFields;
  /** Clinic names the message gives (PRD referred-to, OBR service, diagnostic section), best first, for the synonym table. */
  clinicCandidates: { raw: string; at: string }[];
  attachments: Hl7Attachment[];
  /** Clinical text for the classifier when no document is attached (never the stated clinic or priority). */
  text: string;
  /** What was seen and not used, without values: `OBX-5 ED empty (OBX 2)`. */
  notes: string[];
  version: string;
};

/** Refused before anything is read: AR for what this receiver does not take, AE for what is wrong in the message. */
export class Hl7RejectError extends Error {
  override readonly name = 'Hl7RejectError';
  constructor(
    readonly outcome: 'error' | 'reject',
    readonly code: number,
    message: string,
    readonly location?: string,
  ) {
    super(message);
  }
}

export const SUPPORTED_VERSIONS = ['2.3', '2.3.1', '2.4', '2.5', '2.5.1', '2.6', '2.7', '2.7.1', '2.8', '2.8.1', '2.8.2'];

const EVENTS: Record<Hl7Family, Record<string, Hl7Action | 'orc'>> = {
  REF: { I12: 'new', I13: 'modify', I14: 'cancel' },
  ORM: { O01: 'orc' },
  OMG: { O19: 'orc' },
  MDM: { T02: 'new', T04: 'modify', T06: 'modify', T08: 'modify', T10: 'modify', T11: 'cancel' },
};
const REQUIRED: Record<Hl7Family, string[]> = { REF: ['PID'], ORM: ['PID', 'ORC'], OMG: ['PID', 'ORC', 'OBR'], MDM: ['PID', 'TXA'] };
/** ORC-1 (HL7 table 0119): new, cancel / discontinue, anything else changes an existing order. */
const ORC_NEW = new Set(['NW', 'SN']);
const ORC_CANCEL = new Set(['CA', 'DC', 'OC', 'OD', 'CR', 'DR', 'OR']);

/** Priority codes: HL7 table 0027 (TQ1-9, ORC-7.6, OBR-27.6) and 0280 (RF1-2), plus what senders write instead. */
const PRIORITY: Record<string, Urgency> = {
  S: 'emergent',
  STAT: 'emergent',
  E: 'emergent',
  EMERGENCY: 'emergent',
  EMERGENT: 'emergent',
  A: 'urgent',
  ASAP: 'urgent',
  U: 'urgent',
  URGENT: 'urgent',
  TS: 'urgent',
  TM: 'urgent',
  R: 'routine',
  ROUTINE: 'routine',
  P: 'routine',
  C: 'routine',
  PRN: 'routine',
  TH: 'routine',
  TD: 'routine',
  TW: 'routine',
  TL: 'routine',
  ELECTIVE: 'routine',
};

/** HL7 table 0074 sections that name a clinic the synonym table knows. */
const SECTIONS: Record<string, string> = {
  CTH: 'cardiology',
  CUS: 'cardiology',
  EC: 'cardiology',
  EN: 'neurology',
  HM: 'haematology',
  PF: 'respiratory medicine',
  RAD: 'radiology',
  RUS: 'radiology',
  RX: 'radiology',
  CT: 'radiology',
  NMR: 'radiology',
  NMS: 'nuclear medicine',
  VUS: 'vascular surgery',
  OUS: 'obstetrics',
  PT: 'physiotherapy',
  OT: 'occupational therapy',
  AU: 'audiology',
};

const CONFIDENCE = 0.99;

export function interpretMessage(msg: Hl7Message): Hl7Referral {
  const version = msg.get('MSH', 12, 1);
  const code = msg.get('MSH', 9, 1).toUpperCase();
  const event = msg.get('MSH', 9, 2).toUpperCase();
  if (!msg.get('MSH', 10)) throw new Hl7RejectError('error', 101, 'MSH-10 (message control id) is empty', 'MSH-10');
  if (!code) throw new Hl7RejectError('error', 101, 'MSH-9 (message type) is empty', 'MSH-9');
  if (!SUPPORTED_VERSIONS.includes(version)) {
    throw new Hl7RejectError('reject', 203, `version "${version.slice(0, 10)}" is not accepted: send 2.3 to 2.8`, 'MSH-12');
  }
  if (!(code in EVENTS)) throw new Hl7RejectError('reject', 200, `message type ${code.slice(0, 3)} is not a referral: send REF, ORM, OMG or MDM`, 'MSH-9');
  const family = code as Hl7Family;
  const kind = EVENTS[family][event];
  if (!kind) throw new Hl7RejectError('reject', 201, `event ${family}^${event.slice(0, 3)} is not accepted`, 'MSH-9');
  for (const seg of REQUIRED[family]) {
    if (!msg.all(seg).length) throw new Hl7RejectError('error', 100, `${family}^${event} requires a ${seg} segment`, seg);
  }
  const pid = msg.all('PID')[0]!;
  if (!component(msg, pid.fields[3]) && !component(msg, pid.fields[2]) && !component(msg, pid.fields[5])) {
    throw new Hl7RejectError('error', 101, 'PID names no patient (PID-3 and PID-5 are empty)', 'PID-3');
  }

  const notes: string[] = [];
  const action = kind === 'orc' ? orderAction(msg, notes) : kind;
  const { key, keyAt } = referralKey(msg, family, action);
  const fields: ReferralFields = {};
  const put = <K extends keyof ReferralFields>(name: K, value: NonNullable<ReferralFields[K]>['value'] | '' | null | undefined, at: string) => {
    if (value === '' || value === null || value === undefined || fields[name]) return;
    if (Array.isArray(value) && value.length === 0) return;
    (fields as Record<string, unknown>)[name] = { value, confidence: CONFIDENCE, evidence: [], source: 'hl7', at };
  };

  patientFields(msg, pid, put);
  const referrer = referringParty(msg, family);
  if (referrer) {
    put('referrerName', referrer.name, referrer.at);
    put('referrerNpi', referrer.npi, referrer.at);
    put('referrerOrganization', referrer.organization, referrer.at);
    put('referrerPhone', referrer.phone, referrer.at);
    put('referrerFax', referrer.fax, referrer.at);
  }
  const priority = statedPriority(msg, notes);
  if (priority) put('statedPriority', priority.value, priority.at);
  insurance(msg, put);
  const diagnoses = msg.all('DG1').map((s) => ({ code: component(msg, s.fields[3], 1).slice(0, 10), text: (component(msg, s.fields[4]) || component(msg, s.fields[3], 2)).slice(0, 500) }));
  put('diagnoses', diagnoses.filter((d) => d.text).map((d) => (d.code ? d : { text: d.text })), 'DG1');
  const reason = reasonText(msg);
  if (reason) put('reason', reason.text.slice(0, 2000), reason.at);
  const date = hl7Date(msg.get('RF1', 7)) ?? hl7Date(msg.get('ORC', 9)) ?? hl7Date(msg.get('TXA', 4)) ?? hl7Date(msg.get('MSH', 7));
  put('referralDate', date, 'RF1-7');

  const clinicCandidates = clinics(msg);
  const attachments = embedded(msg, notes);
  return {
    messageType: `${family}^${event}`,
    family,
    action,
    key,
    keyAt,
    fields,
    clinicCandidates,
    attachments,
    text: clinicalText(msg, family, reason?.text ?? null, diagnoses, clinicCandidates),
    notes,
    version,
  };
}

function orderAction(msg: Hl7Message, notes: string[]): Hl7Action {
  const orc = msg.get('ORC', 1).toUpperCase();
  if (msg.all('ORC').length > 1) notes.push(`${msg.all('ORC').length} order groups; the first decides`);
  if (ORC_NEW.has(orc)) return 'new';
  if (ORC_CANCEL.has(orc)) return 'cancel';
  return 'modify';
}

function referralKey(msg: Hl7Message, family: Hl7Family, action: Hl7Action): { key: string | null; keyAt: string | null } {
  const ei = (seg: string, n: number) => [msg.get(seg, n, 1), msg.get(seg, n, 2)].filter(Boolean).join('^');
  const candidates: [string, string][] =
    family === 'REF'
      ? [['RF1-6', ei('RF1', 6)], ['RF1-11', ei('RF1', 11)]]
      : family === 'MDM'
        ? // An addendum or replacement names its parent document in TXA-13: that is the referral it changes.
          [...(action !== 'new' ? ([['TXA-13', ei('TXA', 13)]] as [string, string][]) : []), ['TXA-12', ei('TXA', 12)], ['ORC-2', ei('ORC', 2)]]
        : [['ORC-2', ei('ORC', 2)], ['OBR-2', ei('OBR', 2)], ['ORC-3', ei('ORC', 3)], ['OBR-3', ei('OBR', 3)]];
  const hit = candidates.find(([, v]) => v);
  return hit ? { key: hit[1].slice(0, 200), keyAt: hit[0] } : { key: null, keyAt: null };
}

type Put = <K extends keyof ReferralFields>(name: K, value: NonNullable<ReferralFields[K]>['value'] | '' | null | undefined, at: string) => void;

const SEX: Record<string, 'female' | 'male' | 'other' | 'unknown'> = { F: 'female', M: 'male', O: 'other', A: 'other', N: 'other', X: 'other', U: 'unknown' };
const ID_KIND: Record<string, 'mrn' | 'nhs' | 'medicare' | 'medicaid' | 'ssn' | 'other'> = { MR: 'mrn', MRN: 'mrn', PI: 'mrn', PT: 'mrn', NH: 'nhs', NHS: 'nhs', NHSNMBR: 'nhs', NHSNBR: 'nhs', MC: 'medicare', MA: 'medicaid', SS: 'ssn', SSN: 'ssn' };

function patientFields(msg: Hl7Message, pid: Segment, put: Put) {
  const name = person(msg, repetitions(msg, pid.fields[5])[0], 'xpn');
  put('patientName', name, 'PID-5');
  put('birthDate', hl7Date(component(msg, pid.fields[7], 1)), 'PID-7');
  const sex = SEX[component(msg, pid.fields[8], 1).toUpperCase()];
  put('sex', sex, 'PID-8');
  const ids = [...repetitions(msg, pid.fields[3]), ...repetitions(msg, pid.fields[2]), ...repetitions(msg, pid.fields[4])]
    .map((raw) => ({ value: component(msg, raw, 1).trim(), type: component(msg, raw, 5).toUpperCase() }))
    .filter((i) => i.value && i.value.length <= 64);
  const identifiers = ids.map((i) => ({ kind: ID_KIND[i.type] ?? 'other', value: i.value }));
  const ssn = component(msg, pid.fields[19], 1).trim();
  if (ssn && !identifiers.some((i) => i.value === ssn)) identifiers.push({ kind: 'ssn', value: ssn.slice(0, 64) });
  // The first MR-typed identifier is the MRN; a sender that types none puts its own MRN first (PID-3 is "patient identifier list").
  const mrn = identifiers.find((i) => i.kind === 'mrn') ?? (identifiers[0]?.kind === 'other' ? identifiers[0] : undefined);
  put('mrn', mrn?.value, 'PID-3');
  put('identifiers', identifiers, 'PID-3');
  put('patientAddress', address(msg, repetitions(msg, pid.fields[11])[0]), 'PID-11');
  put('patientPhone', phones(msg, pid.fields[13]).phone ?? phones(msg, pid.fields[14]).phone, 'PID-13');
}

/** REF: the PRD with role RP; orders: ORC-12 ordering provider, then OBR-16, then PV1-8 referring doctor. */
function referringParty(msg: Hl7Message, family: Hl7Family): (Party & { at: string }) | null {
  const prd = msg.all('PRD').find((s) => /^(RP|REFERRING)/i.test(component(msg, s.fields[1], 1)));
  if (prd) {
    const t = phones(msg, prd.fields[5]);
    const t2 = phones(msg, prd.fields[13]);
    const org = component(msg, prd.fields[10], 1) || component(msg, prd.fields[4], 9) || component(msg, prd.fields[4], 4);
    return {
      name: person(msg, repetitions(msg, prd.fields[2])[0], 'xpn'),
      npi: providerNpi(msg, prd.fields[7], 'pln'),
      organization: org || null,
      phone: t.phone ?? t2.phone,
      fax: t.fax ?? t2.fax,
      at: 'PRD',
    };
  }
  const xcns: [string, string | undefined][] = [
    ['ORC-12', msg.all('ORC')[0]?.fields[12]],
    ['OBR-16', msg.all('OBR')[0]?.fields[16]],
    ...(family === 'MDM' ? ([['TXA-5', msg.all('TXA')[0]?.fields[5]]] as [string, string | undefined][]) : []),
    ['PV1-8', msg.all('PV1')[0]?.fields[8]],
  ];
  for (const [at, raw] of xcns) {
    const first = repetitions(msg, raw)[0];
    const name = person(msg, first, 'xcn');
    if (!name) continue;
    const orc = msg.all('ORC')[0];
    const t = phones(msg, orc?.fields[14]);
    return { name, npi: providerNpi(msg, first, 'xcn'), organization: component(msg, orc?.fields[21], 1) || null, phone: t.phone, fax: t.fax, at };
  }
  return null;
}

function statedPriority(msg: Hl7Message, notes: string[]): { value: Urgency; at: string } | null {
  const sources: [string, string][] = [
    ['TQ1-9', msg.get('TQ1', 9, 1) || msg.get('TQ1', 9, 2)],
    ['ORC-7.6', msg.get('ORC', 7, 6)],
    ['OBR-27.6', msg.get('OBR', 27, 6)],
    ['RF1-2', msg.get('RF1', 2, 1) || msg.get('RF1', 2, 2)],
  ];
  for (const [at, raw] of sources) {
    const code = raw.trim().toUpperCase();
    if (!code) continue;
    const value = PRIORITY[code];
    if (value) return { value, at };
    notes.push(`${at} priority code not in tables 0027/0280`);
  }
  return null;
}

function insurance(msg: Hl7Message, put: Put) {
  const in1 = msg.all('IN1')[0];
  if (!in1) return;
  put('insurancePayer', component(msg, in1.fields[4], 1) || component(msg, in1.fields[2], 2), 'IN1-4');
  // IN1-49 is the insured's id; IN1-36 the policy number, which many senders use for the member id.
  put('insuranceMemberId', (component(msg, in1.fields[49], 1) || component(msg, in1.fields[36], 1)).slice(0, 2000), 'IN1-36');
}

function reasonText(msg: Hl7Message): { text: string; at: string } | null {
  const dg1 = msg.all('DG1')[0];
  const candidates: [string, string][] = [
    ['OBR-31', repetitions(msg, msg.all('OBR')[0]?.fields[31]).map((r) => component(msg, r, 2) || component(msg, r, 1)).filter(Boolean).join('; ')],
    ['OBR-13', msg.get('OBR', 13)],
    ['ORC-16', msg.get('ORC', 16, 2)],
    ['DG1-4', dg1 ? component(msg, dg1.fields[4]) || component(msg, dg1.fields[3], 2) : ''],
    ['PV2-3', msg.get('PV2', 3, 2)],
    ['NTE-3', msg.get('NTE', 3)],
  ];
  const hit = candidates.find(([, v]) => v.trim());
  return hit ? { text: hit[1].trim(), at: hit[0] } : null;
}

function clinics(msg: Hl7Message): { raw: string; at: string }[] {
  const out: { raw: string; at: string }[] = [];
  const add = (raw: string, at: string) => {
    const v = raw.trim();
    if (v && !out.some((o) => o.raw === v)) out.push({ raw: v.slice(0, 200), at });
  };
  for (const prd of msg.all('PRD').filter((s) => /^(RT|REFERRED)/i.test(component(msg, s.fields[1], 1)))) {
    add(component(msg, prd.fields[4], 1), 'PRD-4.1');
    add(component(msg, prd.fields[4], 9), 'PRD-4.9');
    add(component(msg, prd.fields[4], 4), 'PRD-4.4');
    add(component(msg, prd.fields[10], 1), 'PRD-10');
  }
  for (const obr of msg.all('OBR').slice(0, 3)) {
    add(component(msg, obr.fields[4], 2) || component(msg, obr.fields[4], 1), 'OBR-4');
    const section = SECTIONS[component(msg, obr.fields[24], 1).toUpperCase()];
    if (section) add(section, 'OBR-24');
  }
  add(msg.get('RF1', 3, 2), 'RF1-3');
  return out;
}

const BASE64 = /^[A-Za-z0-9+/=\s]+$/;

/**
 * ED observations (OBX-2 = ED): senders put the data in OBX-5.5 as the standard says, or in OBX-5.1. A large
 * document is often split over consecutive OBX segments with the same OBX-3 and OBX-4: those chunks are one
 * document, joined in order before decoding.
 */
function embedded(msg: Hl7Message, notes: string[]): Hl7Attachment[] {
  type Part = { key: string; encoding: string; declaredType: string; data: string[]; at: string; first: number };
  const parts: Part[] = [];
  let previous: Part | null = null;
  msg.all('OBX').forEach((obx, i) => {
    const type = component(msg, obx.fields[2]).toUpperCase();
    if (type === 'RP') notes.push(`OBX ${i + 1}: a reference pointer, not fetched`);
    if (type !== 'ED') {
      previous = null;
      return;
    }
    const raw = obx.fields[5] ?? '';
    const c = (n: number) => component(msg, raw, n);
    let at = 'OBX-5.5';
    let data = c(5);
    if (!data && c(1).length > 64 && BASE64.test(c(1))) {
      data = c(1);
      at = 'OBX-5.1';
    }
    const key = `${component(msg, obx.fields[3], 1)}|${obx.fields[4] ?? ''}`;
    if (previous && previous.key === key && data) {
      previous.data.push(data);
      return;
    }
    if (!data) {
      notes.push(`OBX ${i + 1}: ED without data`);
      previous = null;
      return;
    }
    previous = { key, encoding: c(4).toUpperCase(), declaredType: [c(2), c(3)].filter(Boolean).join('/').toLowerCase(), data: [data], at, first: i + 1 };
    parts.push(previous);
  });
  const out: Hl7Attachment[] = [];
  for (const p of parts) {
    const bytes = decodeEd(p.encoding, p.data);
    if (!bytes.length) {
      notes.push(`OBX ${p.first}: ED data does not decode`);
      continue;
    }
    out.push({ data: bytes, declaredType: p.declaredType, at: `${p.at} (OBX ${p.first}${p.data.length > 1 ? `+${p.data.length - 1}` : ''})` });
  }
  return out;
}

function decodeEd(encoding: string, chunks: string[]): Buffer {
  if (encoding === 'HEX') return Buffer.from(chunks.join('').replace(/[^0-9A-Fa-f]/g, ''), 'hex');
  if (encoding === 'A') return Buffer.from(chunks.join(''), 'latin1');
  const clean = chunks.map((d) => d.replace(/[^A-Za-z0-9+/=]/g, ''));
  // Chunks padded on their own (each a whole base64 string) decode one by one; otherwise they are one string cut up.
  const separately = clean.slice(0, -1).some((d) => d.endsWith('=') || d.length % 4 !== 0);
  return separately ? Buffer.concat(clean.map((d) => Buffer.from(d, 'base64'))) : Buffer.from(clean.join(''), 'base64');
}

/** Clinical content only: the stated clinic and priority are kept out so the model judges the content alone. */
function clinicalText(msg: Hl7Message, family: Hl7Family, reason: string | null, diagnoses: { code: string; text: string }[], clinics: { raw: string }[]): string {
  const named = new Set(clinics.map((c) => c.raw.toLowerCase()));
  const lines: string[] = [];
  if (family === 'MDM') {
    // A document message's text observations are the letter itself, line by line.
    for (const obx of msg.all('OBX')) {
      if (!['TX', 'FT', 'ST'].includes(component(msg, obx.fields[2]).toUpperCase())) continue;
      lines.push(...repetitions(msg, obx.fields[5]).map((r) => component(msg, r)));
    }
  }
  if (reason) lines.push(`Reason for referral: ${reason}`);
  for (const obr of msg.all('OBR').slice(0, 3)) {
    const service = component(msg, obr.fields[4], 2);
    if (service && !named.has(service.toLowerCase())) lines.push(`Requested: ${service}`);
    const info = component(msg, obr.fields[13]);
    if (info && info !== reason) lines.push(`Clinical information: ${info}`);
  }
  for (const d of diagnoses) if (d.text && d.text !== reason) lines.push(`Diagnosis: ${d.text}${d.code ? ` (${d.code})` : ''}`);
  for (const nte of msg.all('NTE')) {
    const t = repetitions(msg, nte.fields[3]).map((r) => component(msg, r)).join(' ').trim();
    if (t && t !== reason) lines.push(t);
  }
  if (family !== 'MDM') {
    for (const obx of msg.all('OBX')) {
      const type = component(msg, obx.fields[2]).toUpperCase();
      if (!['TX', 'FT', 'ST', 'CWE', 'CE', 'NM'].includes(type)) continue;
      const name = component(msg, obx.fields[3], 2) || component(msg, obx.fields[3], 1);
      const value = type === 'CWE' || type === 'CE' ? component(msg, obx.fields[5], 2) || component(msg, obx.fields[5], 1) : component(msg, obx.fields[5]);
      if (value) lines.push(`${name ? `${name}: ` : ''}${value}${type === 'NM' ? ` ${component(msg, obx.fields[6], 1)}`.trimEnd() : ''}`);
    }
  }
  const text = lines.map((l) => l.trim()).filter(Boolean).join('\n');
  return text || `${family} message with no clinical text`;
}

/** YYYY[MM[DD…]] to ISO YYYY-MM-DD; null when not a real date. */
export function hl7Date(v: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(v.trim());
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!));
  return d.getUTCMonth() === +m[2]! - 1 && d.getUTCDate() === +m[3]! && +m[1]! > 1850 ? `${m[1]}-${m[2]}-${m[3]}` : null;
}
