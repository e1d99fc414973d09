import { component, repetitions, type Hl7Message } from './message.ts';

/** A referring party as the fields contract wants it. */
export type Party = { name: string | null; npi: string | null; organization: string | null; phone: string | null; fax: string | null };

/**
 * XPN (family^given^middle^suffix^prefix) or XCN (id^family^given^middle^suffix^prefix), written as a person
 * would: "Adam A Everyman". The family name's first subcomponent is the surname (`EVERYMAN&&&&Aniston`).
 */
export function person(msg: Hl7Message, raw: string | undefined, type: 'xpn' | 'xcn'): string | null {
  if (!raw) return null;
  const o = type === 'xcn' ? 1 : 0;
  const family = component(msg, raw, 1 + o, 1);
  const given = component(msg, raw, 2 + o);
  const middle = component(msg, raw, 3 + o);
  const name = [given, middle, family].map((s) => s.trim()).filter(Boolean).join(' ');
  return name || null;
}

/** XAD: street, other designation, city, state, postal code. */
export function address(msg: Hl7Message, raw: string | undefined): string | null {
  if (!raw) return null;
  const c = (n: number) => component(msg, raw, n, n === 1 ? 1 : 0).trim();
  const street = [c(1), c(2)].filter(Boolean).join(' ');
  const region = [c(4), c(5)].filter(Boolean).join(' ');
  const text = [street, c(3), region].filter(Boolean).join(', ');
  return text || null;
}

/**
 * XTN repetitions: v2.3 senders write the number in component 1, v2.5+ in 6 (area) + 7 (local) or 12
 * (unformatted). Component 3 (equipment) says which is the fax.
 */
export function phones(msg: Hl7Message, raw: string | undefined): { phone: string | null; fax: string | null } {
  let phone: string | null = null;
  let fax: string | null = null;
  for (const rep of repetitions(msg, raw)) {
    const c = (n: number) => component(msg, rep, n).trim();
    const equipment = c(3).toUpperCase();
    if (equipment === 'INTERNET' || equipment === 'X.400' || c(2).toUpperCase() === 'NET') continue;
    const number = c(1) || formatNumber(c(6), c(7), c(8)) || c(12);
    if (!number || !/\d{3}/.test(number)) continue;
    if (equipment === 'FX') fax ??= number;
    else phone ??= number;
  }
  return { phone, fax };
}

function formatNumber(area: string, local: string, ext: string): string {
  const l = local.replace(/\D/g, '');
  const a = area.replace(/\D/g, '');
  if (!l) return '';
  const body = l.length === 7 ? `${l.slice(0, 3)}-${l.slice(3)}` : l;
  return `${a ? `(${a}) ` : ''}${body}${ext ? ` x${ext}` : ''}`;
}

const NPI_OID = '2.16.840.1.113883.4.6';

/**
 * An NPI only when the message says it is one: PLN type "NPI" (PRD-7) or XCN assigning authority / type code NPI.
 * A bare 10-digit number could be any local id.
 */
export function providerNpi(msg: Hl7Message, raw: string | undefined, type: 'pln' | 'xcn'): string | null {
  for (const rep of repetitions(msg, raw)) {
    const id = component(msg, rep, 1).trim();
    if (!/^\d{10}$/.test(id)) continue;
    const marks =
      type === 'pln' ? [component(msg, rep, 2)] : [component(msg, rep, 9, 1), component(msg, rep, 9, 2), component(msg, rep, 13)];
    if (marks.some((m) => m.toUpperCase() === 'NPI' || m === NPI_OID)) return id;
  }
  return null;
}
