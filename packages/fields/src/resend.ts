import type { ReferralFields } from '@triage/contracts';
import { similarity, type PageSignature } from './fingerprint.ts';

/** A page this similar to one of the earlier referral's is the same page (a rescan, a fax header changed). */
export const SAME_PAGE = 0.8;
/** Above this and below SAME_PAGE a page was edited: the same letter with something changed. */
export const SIMILAR_PAGE = 0.45;

export const RESEND_KINDS = ['duplicate', 'amendment', 'correction'] as const;
export type ResendKind = (typeof RESEND_KINDS)[number];

/** Page numbers only (no content): what the reviewer is shown to compare, and what goes in the provenance. */
export type PageComparison = { same: number[]; changed: number[]; added: number[]; removed: number[] };

export type ResendMatch = {
  kind: ResendKind;
  /** The patient read from both agrees (a name, date of birth or MRN) and nothing contradicts it. */
  identityConfirmed: boolean;
  pages: PageComparison;
  /** Fields whose value differs from the earlier referral's (names only). */
  changedFields: string[];
};

export type Identity = Pick<ReferralFields, 'patientName' | 'birthDate' | 'mrn'>;

const nameKey = (n: string) => n.toLowerCase().replace(/[^\p{L} ]+/gu, ' ').split(/\s+/).filter((t) => t.length > 1).sort().join(' ');
const idKey = (v: string) => v.replace(/[^A-Za-z0-9]/g, '').toUpperCase();

/** Agreement on who the patient is: templated letters for different patients look alike but name different people. */
export function compareIdentity(a: Identity, b: Identity): { agree: number; conflict: string[] } {
  let agree = 0;
  const conflict: string[] = [];
  const check = (name: string, x: string | undefined, y: string | undefined, key: (v: string) => string) => {
    if (!x || !y) return;
    if (key(x) === key(y)) agree++;
    else conflict.push(name);
  };
  check('patientName', a.patientName?.value, b.patientName?.value, nameKey);
  check('birthDate', a.birthDate?.value, b.birthDate?.value, (v) => v);
  check('mrn', a.mrn?.value, b.mrn?.value, idKey);
  return { agree, conflict };
}

export function comparePages(next: readonly PageSignature[], first: readonly PageSignature[]): PageComparison {
  const best = (p: PageSignature, others: readonly PageSignature[]) => others.reduce((m, o) => Math.max(m, similarity(p.signature, o.signature)), 0);
  const out: PageComparison = { same: [], changed: [], added: [], removed: [] };
  for (const p of next) {
    const s = best(p, first);
    (s >= SAME_PAGE ? out.same : s >= SIMILAR_PAGE ? out.changed : out.added).push(p.pageNo);
  }
  for (const p of first) if (best(p, next) < SIMILAR_PAGE) out.removed.push(p.pageNo);
  return out;
}

/** A resend that changes one of these is a correction for a person to see, however alike its pages look. */
export const MATERIAL_FIELDS = ['statedPriority', 'referredTo', 'patientName', 'birthDate', 'mrn', 'insuranceMemberId'] as const;

const valueOf = (f: unknown) => JSON.stringify((f as { value?: unknown } | undefined)?.value ?? null);

/**
 * Whether a document is a resend of an earlier referral, and of which kind: the same pages again (duplicate),
 * the same pages with more added (amendment), or the same letter edited (correction). `sameExternalId`: the
 * sender gave both the same id, which links them even when the pages differ. Null: a new referral.
 */
export function classifyResend(input: {
  next: readonly PageSignature[];
  first: readonly PageSignature[];
  nextFields: ReferralFields;
  firstFields: ReferralFields;
  sameExternalId: boolean;
}): ResendMatch | null {
  const id = compareIdentity(input.nextFields, input.firstFields);
  // Two different patients: a practice's template, not a resend (one differing value may be the correction itself).
  if (!input.sameExternalId && id.conflict.length > 0 && (id.agree === 0 || id.conflict.length > 1)) return null;
  const pages = comparePages(input.next, input.first);
  const comparable = input.next.length > 0 && input.first.length > 0;
  const alike = pages.same.length + pages.changed.length;
  if (!input.sameExternalId && (!comparable || alike * 2 < input.next.length || alike * 2 < input.first.length - pages.added.length)) return null;
  const changedFields = [...new Set([...Object.keys(input.nextFields), ...Object.keys(input.firstFields)])]
    .filter((k) => valueOf((input.nextFields as Record<string, unknown>)[k]) !== valueOf((input.firstFields as Record<string, unknown>)[k]))
    .sort();
  const identityConfirmed = id.agree > 0 && id.conflict.length === 0;
  const material = changedFields.some((f) => (MATERIAL_FIELDS as readonly string[]).includes(f));
  const untouched = pages.changed.length === 0 && pages.removed.length === 0 && comparable && !material;
  const kind: ResendKind =
    untouched && pages.added.length === 0 ? 'duplicate' : untouched && pages.added.length > 0 && pages.same.length > 0 ? 'amendment' : 'correction';
  return { kind, identityConfirmed, pages, changedFields };
}
