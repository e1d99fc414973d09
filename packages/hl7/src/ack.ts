import { randomUUID } from 'node:crypto';
import { escapeValue, type Delimiters } from './message.ts';

/** Original-mode (AA/AE/AR) or enhanced-mode commit (CA/CE/CR) acknowledgement codes. */
export type AckCode = 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR';
export type AckOutcome = 'accept' | 'error' | 'reject';

/** What the ACK needs from the message it answers: read leniently, so even a broken message gets a useful ACK. */
export type AckHeader = {
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  controlId: string;
  processingId: string;
  version: string;
  trigger: string;
  /** MSH-15/16 present: the sender asked for enhanced acknowledgement. */
  enhanced: boolean;
  /** MSH-9.1^MSH-9.2, e.g. `REF^I12` (empty when unreadable). */
  messageType: string;
  /** MSH-16.1: AL, SU, ER, NE, or null (whether the sender wants an application response). */
  appAck: string | null;
  delimiters: Delimiters;
};

const DEFAULT_DELIMITERS: Delimiters = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };

/** MSH fields from the first segment of raw text, without validating anything else. */
export function ackHeader(text: string): AckHeader {
  // Raw bytes read as latin-1 show a UTF-8 BOM as three characters; MSH itself is ASCII in every encoding taken.
  const line = text.replace(/^(?:\uFEFF|\xef\xbb\xbf)/, '').replace(/^[\s\x0b]+/, '').split(/\r\n|\r|\n/)[0] ?? '';
  const ok = line.startsWith('MSH') && line.length >= 8 && !/[A-Za-z0-9\s]/.test(line[3]!);
  const f = ok ? line.split(line[3]!) : [];
  const enc = f[1] ?? '';
  const delimiters =
    ok && enc.length >= 4 ? { field: line[3]!, component: enc[0]!, repetition: enc[1]!, escape: enc[2]!, subcomponent: enc[3]! } : DEFAULT_DELIMITERS;
  // f[n - 1] is MSH-n. Only the first component of a composite is echoed where a namespace id is enough.
  const at = (n: number) => (f[n - 1] ?? '').slice(0, 200);
  const first = (n: number) => at(n).split(delimiters.repetition)[0] ?? '';
  return {
    sendingApplication: first(3),
    sendingFacility: first(4),
    receivingApplication: first(5),
    receivingFacility: first(6),
    controlId: at(10).split(delimiters.component)[0]!.slice(0, 199),
    processingId: at(11).split(delimiters.component)[0] || 'P',
    version: at(12).split(delimiters.component)[0] || '2.5',
    trigger: at(9).split(delimiters.component)[1] ?? '',
    enhanced: at(15).trim() !== '' || at(16).trim() !== '',
    messageType: at(9).split(delimiters.component).slice(0, 2).join('^').slice(0, 20),
    appAck: at(16).split(delimiters.component)[0]!.trim().toUpperCase().slice(0, 2) || null,
    delimiters,
  };
}

export function ackCode(outcome: AckOutcome, enhanced: boolean): AckCode {
  if (enhanced) return outcome === 'accept' ? 'CA' : outcome === 'error' ? 'CE' : 'CR';
  return outcome === 'accept' ? 'AA' : outcome === 'error' ? 'AE' : 'AR';
}

export type AckError = {
  /** HL7 table 0357. */
  code: number;
  text: string;
  /** Segment and field, e.g. `PID-3` or `MSH-12`. */
  location?: string | undefined;
};

const ERROR_NAMES: Record<number, string> = {
  100: 'Segment sequence error',
  101: 'Required field missing',
  102: 'Data type error',
  103: 'Table value not found',
  200: 'Unsupported message type',
  201: 'Unsupported event code',
  202: 'Unsupported processing id',
  203: 'Unsupported version id',
  204: 'Unknown key identifier',
  205: 'Duplicate key identifier',
  207: 'Application internal error',
};

/**
 * Builds the ACK: sender and receiver swapped, MSA-2 echoing MSH-10, the reason in MSA-3 and in an ERR segment
 * (ERR-1 before v2.5, ERR-2/3/4/8 from v2.5 on). Segments end with CR, as the standard requires.
 */
export function buildAck(h: AckHeader, outcome: AckOutcome, opts: { error?: AckError; now?: Date; controlId?: string } = {}): string {
  const d = h.delimiters;
  const code = ackCode(outcome, h.enhanced);
  const esc = (v: string) => escapeValue(v, d);
  const ts = hl7Timestamp(opts.now ?? new Date());
  const id = opts.controlId ?? `ACK${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const msh = [
    'MSH',
    `${d.component}${d.repetition}${d.escape}${d.subcomponent}`,
    h.receivingApplication || 'TRIAGE',
    h.receivingFacility,
    h.sendingApplication,
    h.sendingFacility,
    ts,
    '',
    `ACK${d.component}${h.trigger}${d.component}ACK`,
    id,
    h.processingId,
    h.version,
  ].join(d.field);
  const segments = [msh, ['MSA', code, h.controlId, esc(opts.error?.text ?? '')].join(d.field)];
  if (opts.error) segments.push(errSegment(h, opts.error));
  return `${segments.join('\r')}\r`;
}

function errSegment(h: AckHeader, e: AckError): string {
  const d = h.delimiters;
  const name = ERROR_NAMES[e.code] ?? 'Error';
  const [seg, field] = (e.location ?? '').split('-');
  const text = escapeValue(e.text, d).slice(0, 250);
  if (versionBefore25(h.version)) {
    // ERR-1 (CM_ELD): segment^sequence^field^code&text.
    return ['ERR', [seg ?? '', '1', field ?? '', `${e.code}${d.subcomponent}${name}`].join(d.component)].join(d.field);
  }
  const location = seg ? [seg, '1', field ?? ''].join(d.component) : '';
  const severity = e.code === 0 ? 'I' : 'E';
  return ['ERR', '', location, [String(e.code), name, 'HL70357'].join(d.component), severity, '', '', '', text].join(d.field);
}

const versionBefore25 = (v: string) => /^2\.[0-4](?:\.|$)/.test(v);

/** YYYYMMDDHHMMSS+0000, UTC. */
export function hl7Timestamp(d: Date): string {
  return `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
}
