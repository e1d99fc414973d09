import { referralFields, type FieldName, type FieldValue, type ReferralFields } from '@triage/contracts';
import type { CodeableConcept, Coding, Condition, Coverage, Identifier, Patient, Reference, Resource } from '@medplum/fhirtypes';
import type { z } from 'zod';
import { addressText, codeableText, hasTypeCode, humanName, nonEmpty, referenceType, scopeOf, telecom, type Resolver } from './resolve.ts';

/** Field values before they are wrapped and checked against the contract. */
export type Draft = { [K in FieldName]?: FieldValue<K> };
type Diagnosis = FieldValue<'diagnoses'>[number];
type IdentifierKind = FieldValue<'identifiers'>[number]['kind'];

export const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';
const ICD10 = /icd-?10/i;
const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

/** Request priority → product urgency: `asap` is between urgent and stat, so it stays urgent, not emergent. */
export const PRIORITY_TO_URGENCY = { routine: 'routine', urgent: 'urgent', asap: 'urgent', stat: 'emergent' } as const;

/**
 * Wraps each value as sender-given structured data (confidence 1, no text evidence) and keeps only what the
 * contract accepts: one bad value (a 9-digit NPI, a year-only birth date) is dropped with a warning, not the referral.
 */
export function toFields(draft: Draft, warn: (message: string) => void): ReferralFields {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(draft)) {
    if (value === undefined) continue;
    const schema = referralFields.shape[name as FieldName] as z.ZodType;
    const parsed = schema.safeParse({ value, confidence: 1, evidence: [], source: 'fhir' });
    if (parsed.success) out[name] = parsed.data;
    else warn(`${name} dropped: ${parsed.error.issues[0]?.message ?? 'invalid'} at ${parsed.error.issues[0]?.path.join('.') ?? name}`);
  }
  return out as ReferralFields;
}

/** The kind the contract knows for an identifier: MR type or an `mrn` system is the record number. */
export function identifierKind(id: Identifier): IdentifierKind {
  const system = id.system?.toLowerCase() ?? '';
  if (hasTypeCode(id, 'MR') || system.includes('mrn')) return 'mrn';
  if (system === 'http://hl7.org/fhir/sid/us-ssn' || hasTypeCode(id, 'SS')) return 'ssn';
  if (system === 'https://fhir.nhs.uk/id/nhs-number') return 'nhs';
  if (system === 'http://hl7.org/fhir/sid/us-medicare' || system === 'http://hl7.org/fhir/sid/us-mbi' || hasTypeCode(id, 'MC')) return 'medicare';
  if (hasTypeCode(id, 'MA')) return 'medicaid';
  return 'other';
}

export function patientDraft(p: Patient, warn: (message: string) => void): Draft {
  const identifiers: { kind: IdentifierKind; value: string }[] = [];
  for (const id of p.identifier ?? []) {
    const value = nonEmpty(id.value);
    if (!value || id.period?.end) continue;
    // One over-long identifier must not cost the patient's other identifiers.
    if (value.length > 64) warn(`identifier ${id.system ?? ''} dropped: longer than 64 characters`);
    else identifiers.push({ kind: identifierKind(id), value });
  }
  return {
    patientName: humanName(p.name),
    birthDate: p.birthDate,
    sex: p.gender,
    mrn: identifiers.find((i) => i.kind === 'mrn')?.value,
    identifiers: identifiers.length ? identifiers : undefined,
    patientPhone: telecom(p.telecom, 'phone', ['mobile', 'home', 'work', 'temp']),
    patientAddress: addressText(p.address, ['home', 'temp', 'billing']),
  };
}

/** The referring clinician: Practitioner, PractitionerRole (with its practitioner and organization) or Organization. */
export function referrerDraft(ref: Reference | undefined, container: Resource, index: Resolver): Draft {
  const target = index.resolve(ref, container);
  if (!target) {
    const display = nonEmpty(ref?.display);
    if (referenceType(ref) === 'Organization') return { referrerOrganization: display };
    // A logical reference may carry the NPI itself (our own ServiceRequest output does).
    return { referrerName: display, referrerNpi: ref?.identifier?.system === NPI_SYSTEM ? nonEmpty(ref.identifier.value) : undefined };
  }
  const work = ['work', 'mobile', 'temp'];
  if (target.resourceType === 'Practitioner') {
    return {
      referrerName: humanName(target.name),
      referrerNpi: npi(target.identifier),
      referrerPhone: telecom(target.telecom, 'phone', work),
      referrerFax: telecom(target.telecom, 'fax', work),
    };
  }
  if (target.resourceType === 'Organization') {
    return {
      referrerOrganization: nonEmpty(target.name),
      referrerPhone: telecom(target.telecom, 'phone', work),
      referrerFax: telecom(target.telecom, 'fax', work),
    };
  }
  if (target.resourceType === 'PractitionerRole') {
    const scope = scopeOf(target, container);
    const person = referrerDraft(target.practitioner, scope, index);
    const org = referrerDraft(target.organization ? { ...target.organization, type: 'Organization' } : undefined, scope, index);
    // The role's own telecom is the number for this job; the person's is a fallback.
    return {
      referrerName: person.referrerName,
      referrerNpi: person.referrerNpi ?? npi(target.identifier),
      referrerOrganization: org.referrerOrganization,
      referrerPhone: telecom(target.telecom, 'phone', work) ?? person.referrerPhone ?? org.referrerPhone,
      referrerFax: telecom(target.telecom, 'fax', work) ?? person.referrerFax ?? org.referrerFax,
    };
  }
  return { referrerName: nonEmpty(ref?.display) };
}

function npi(ids: Identifier[] | undefined): string | undefined {
  return nonEmpty(ids?.find((i) => i.system === NPI_SYSTEM)?.value);
}

/** The clinic the referral is for, as written: performerType, else a performer's specialty or organization name. */
export function referredToRaw(performerType: CodeableConcept | undefined, performers: Reference[] | undefined, container: Resource, index: Resolver): string | undefined {
  const named = codeableText(performerType);
  if (named) return named;
  for (const ref of performers ?? []) {
    const target = index.resolve(ref, container);
    if (target?.resourceType === 'PractitionerRole') {
      const org = index.resolve(target.organization, container);
      const raw = codeableText(target.specialty?.[0]) ?? (org?.resourceType === 'Organization' ? nonEmpty(org.name) : undefined) ?? nonEmpty(target.organization?.display);
      if (raw) return raw;
    }
    if (target?.resourceType === 'Organization' && nonEmpty(target.name)) return nonEmpty(target.name);
    // An unresolved person's name is not a clinic; an organization or role display is.
    const type = referenceType(ref);
    if (!target && (type === 'Organization' || type === 'PractitionerRole' || type === 'HealthcareService') && nonEmpty(ref.display)) return nonEmpty(ref.display);
  }
  return undefined;
}

export function coverageDraft(coverage: Coverage | undefined, container: Resource, index: Resolver): Draft {
  if (!coverage) return {};
  const payorRef = coverage.payor?.[0];
  const payor = index.resolve(payorRef, scopeOf(coverage, container));
  const member = coverage.identifier?.find((i) => hasTypeCode(i, 'MB') && i.type?.coding?.some((c) => c.system === V2_0203));
  return {
    insurancePayer: (payor?.resourceType === 'Organization' ? nonEmpty(payor.name) : undefined) ?? nonEmpty(payorRef?.display),
    insuranceMemberId: nonEmpty(coverage.subscriberId) ?? nonEmpty(member?.value),
  };
}

/** ICD-10 first (what the routing policy reads), else any code that fits the contract's 10 characters. */
function bestCode(codings: Coding[] | undefined): string | undefined {
  const fits = (codings ?? []).filter((c) => c.code && c.code.length <= 10);
  return (fits.find((c) => ICD10.test(c.system ?? '')) ?? fits[0])?.code;
}

export function conditionDiagnosis(c: Condition): Diagnosis | undefined {
  const code = bestCode(c.code?.coding);
  const text = codeableText(c.code) ?? code;
  if (!text) return undefined;
  return code ? { code, text: text.slice(0, 500) } : { text: text.slice(0, 500) };
}

/** A reason coded in ICD-10 is a diagnosis too; free-text reasons stay in `reason` only. */
export function reasonDiagnosis(cc: CodeableConcept): Diagnosis | undefined {
  const icd = cc.coding?.find((c) => ICD10.test(c.system ?? '') && c.code && c.code.length <= 10);
  const text = codeableText(cc) ?? icd?.code;
  return icd?.code && text ? { code: icd.code, text: text.slice(0, 500) } : undefined;
}

export function dedupeDiagnoses(list: (Diagnosis | undefined)[]): Diagnosis[] | undefined {
  const seen = new Set<string>();
  const out = list.filter((d): d is Diagnosis => !!d && !seen.has(`${d.code ?? ''}|${d.text}`) && !!seen.add(`${d.code ?? ''}|${d.text}`));
  return out.length ? out : undefined;
}
