/**
 * HL7 v2 ER7 ("pipe and hat") parsing. Values come back unescaped; a message keeps its own delimiters (MSH-1/2),
 * so a sender that uses `#` for components is read as correctly as one that uses `^`.
 */

export type Delimiters = { field: string; component: string; repetition: string; escape: string; subcomponent: string };

/** A segment: `fields[n]` is field n (for MSH, fields[1] is the field separator itself, as the standard counts). */
export type Segment = { name: string; fields: string[] };

export type Hl7Message = {
  delimiters: Delimiters;
  segments: Segment[];
  /** Field `n` of the first segment `name`, component `c` (1-based), repetition `r` (0-based), unescaped. */
  get(name: string, n: number, c?: number, sub?: number, r?: number): string;
  /** Every segment called `name`. */
  all(name: string): Segment[];
};

export class Hl7ParseError extends Error {
  override readonly name = 'Hl7ParseError';
  constructor(
    /** HL7 table 0357 error code: 100 segment sequence, 101 required field missing, 102 data type, 207 other. */
    readonly code: 100 | 101 | 102 | 207,
    message: string,
    /** Where: `MSH-9`, `PID`, ... */
    readonly location?: string,
  ) {
    super(message);
  }
}

const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/;

/** Splits on CR, LF or CRLF, whichever the sender used (some mix them), dropping blank lines. */
export function splitSegments(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((s) => s.trim().length > 0);
}

export function parseMessage(text: string): Hl7Message {
  const body = unwrapBatch(text.replace(/^\uFEFF/, '').replace(/^[\s\x0b]+/, ''));
  if (!body.startsWith('MSH')) throw new Hl7ParseError(100, 'the message does not start with an MSH segment', 'MSH');
  if (body.length < 8) throw new Hl7ParseError(100, 'the MSH segment is too short to hold its delimiters', 'MSH-2');
  const field = body[3]!;
  const enc = body.slice(4, body.indexOf(field, 4) === -1 ? 8 : body.indexOf(field, 4));
  if (enc.length < 4 || /[A-Za-z0-9\s]/.test(field + enc.slice(0, 4))) {
    throw new Hl7ParseError(102, 'MSH-1/MSH-2 do not hold valid delimiters', 'MSH-2');
  }
  const delimiters: Delimiters = { field, component: enc[0]!, repetition: enc[1]!, escape: enc[2]!, subcomponent: enc[3]! };
  if (new Set([field, ...enc.slice(0, 4)]).size !== 5) throw new Hl7ParseError(102, 'MSH-2 repeats a delimiter', 'MSH-2');

  const segments: Segment[] = [];
  for (const line of splitSegments(body)) {
    const parts = line.split(field);
    const name = parts[0]!.trim();
    if (!SEGMENT_NAME.test(name)) throw new Hl7ParseError(100, `segment ${segments.length + 1} has no valid name`, `segment ${segments.length + 1}`);
    // MSH-1 is the separator itself and MSH-2 the encoding characters, so MSH's list is shifted by one.
    const fields = name === 'MSH' ? ['MSH', field, ...parts.slice(1)] : parts;
    segments.push({ name, fields });
  }
  if (segments.filter((s) => s.name === 'MSH').length !== 1) throw new Hl7ParseError(100, 'a message holds exactly one MSH segment', 'MSH');

  const unescape = unescaper(delimiters);
  const pick = (raw: string | undefined, c = 0, sub = 0, r = 0) => pickValue(raw, delimiters, unescape, c, sub, r);
  return {
    delimiters,
    segments,
    all: (name) => segments.filter((s) => s.name === name),
    get: (name, n, c = 0, sub = 0, r = 0) => {
      const seg = segments.find((s) => s.name === name);
      if (!seg) return '';
      // MSH-1 and MSH-2 are delimiters, never split or unescaped.
      if (name === 'MSH' && n <= 2) return seg.fields[n] ?? '';
      return pick(seg.fields[n], c, sub, r);
    },
  };
}

/** Component `c`, subcomponent `sub`, repetition `r` of a raw field value, unescaped with the message's delimiters. */
export function component(msg: Hl7Message, raw: string | undefined, c = 0, sub = 0, r = 0): string {
  return pickValue(raw, msg.delimiters, unescaper(msg.delimiters), c, sub, r);
}

function pickValue(raw: string | undefined, d: Delimiters, unescape: (v: string) => string, c: number, sub: number, r: number): string {
  if (!raw) return '';
  let v = raw.split(d.repetition)[r] ?? '';
  if (c > 0) v = v.split(d.component)[c - 1] ?? '';
  if (sub > 0) v = v.split(d.subcomponent)[sub - 1] ?? '';
  return unescape(v);
}

/** The repetitions of a raw field, each still holding its components. */
export function repetitions(msg: Hl7Message, raw: string | undefined): string[] {
  return raw ? raw.split(msg.delimiters.repetition).filter((r) => r.length > 0) : [];
}

/**
 * Escape sequences (HL7 v2 section 2.7): delimiters, `\.br\` line breaks, `\Xhh\` bytes as Latin-1 characters;
 * highlighting and unknown sequences are dropped rather than shown to a reader as backslash noise.
 */
export function unescaper(d: Delimiters): (v: string) => string {
  const e = d.escape;
  if (!e) return (v) => v;
  const re = new RegExp(`${escapeRe(e)}([^${escapeRe(e)}]*)${escapeRe(e)}`, 'g');
  return (v) => {
    if (!v.includes(e)) return v;
    return v.replace(re, (_, seq: string) => {
      switch (seq) {
        case 'F':
          return d.field;
        case 'S':
          return d.component;
        case 'T':
          return d.subcomponent;
        case 'R':
          return d.repetition;
        case 'E':
          return d.escape;
        case '.br':
          return '\n';
        case 'H':
        case 'N':
          return '';
      }
      if (/^X([0-9A-Fa-f]{2})+$/.test(seq)) return Buffer.from(seq.slice(1), 'hex').toString('latin1');
      if (/^\.(?:sp|in|ti|ce|fi|nf)/.test(seq)) return seq.startsWith('.sp') ? '\n' : '';
      return '';
    });
  };
}

/** Escapes a value for writing into a message (ACK texts may quote a reason). */
export function escapeValue(v: string, d: Delimiters): string {
  const map: Record<string, string> = { [d.escape]: 'E', [d.field]: 'F', [d.component]: 'S', [d.subcomponent]: 'T', [d.repetition]: 'R' };
  return [...v].map((ch) => (map[ch] ? `${d.escape}${map[ch]}${d.escape}` : ch === '\r' || ch === '\n' ? ' ' : ch)).join('');
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/**
 * A batch envelope (FHS/BHS … BTS/FTS) around exactly one message is read as that message; a batch of several is
 * refused by the one-MSH rule, with the reason, rather than half-read.
 */
function unwrapBatch(text: string): string {
  if (!/^(FHS|BHS)/.test(text)) return text;
  const lines = splitSegments(text).filter((l) => !/^(FHS|BHS|BTS|FTS)/.test(l));
  return lines.join('\r');
}
