import { crawlTypedValue, isResourceType, OperationOutcomeError, validateResource } from '@medplum/core';
import type { CrawlerVisitor } from '@medplum/core';
import type { OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { loadFhirDefinitions, requiredCodes } from './definitions.ts';
import { issue } from './outcome.ts';

/** What the intake takes at the top level; anything else is refused before it is read. */
export const ACCEPTED_RESOURCE_TYPES = [
  'Bundle',
  'ServiceRequest',
  'DocumentReference',
  'Communication',
  'Patient',
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Binary',
  'Condition',
  'Coverage',
] as const;
export type AcceptedResourceType = (typeof ACCEPTED_RESOURCE_TYPES)[number];
/** A Bundle is a set of things to create: a `document`/`message`/`searchset` Bundle means something else. */
export const ACCEPTED_BUNDLE_TYPES = ['transaction', 'batch'] as const;

/** What the product itself sends: checked with `validateFhir(r, { accept: OUTPUT_RESOURCE_TYPES })`. */
export const OUTPUT_RESOURCE_TYPES = ['ServiceRequest', 'Task', 'Provenance', 'CapabilityStatement', 'OperationOutcome'] as const;

export type ValidateOptions = {
  /** Resource types taken at the top level (and, but for Bundle, as entries); default ACCEPTED_RESOURCE_TYPES. */
  accept?: readonly string[];
};

export type FhirValidation =
  /** `resource` is a Bundle without the ignored entries; `warnings` says what was ignored and medplum's warnings. */
  | { ok: true; resource: Resource; warnings: OperationOutcomeIssue[] }
  | { ok: false; outcome: OperationOutcome };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const fail = (...issues: OperationOutcomeIssue[]): FhirValidation => ({ ok: false, outcome: { resourceType: 'OperationOutcome', issue: issues } });

/** Structure (medplum: cardinality, types, formats, invariants), then the required code bindings medplum does not check. */
export function validateFhir(json: unknown, options: ValidateOptions = {}): FhirValidation {
  const accept = options.accept ?? ACCEPTED_RESOURCE_TYPES;
  if (!isObject(json)) return fail(issue('error', 'structure', 'Expected a JSON object holding one FHIR resource'));
  const type = json.resourceType;
  if (typeof type !== 'string' || type === '') return fail(issue('error', 'required', 'resourceType is missing', 'resourceType'));
  loadFhirDefinitions();
  if (!isResourceType(type)) return fail(issue('error', 'invalid', `Unknown resource type "${type}"`, 'resourceType'));
  if (!accept.includes(type)) {
    return fail(issue('error', 'not-supported', `${type} is not accepted here; send one of ${accept.join(', ')}`, 'resourceType'));
  }

  const ignored: OperationOutcomeIssue[] = [];
  let target: Json = json;
  let entryIndex: number[] = [];
  if (type === 'Bundle') {
    const bundleType = json.type;
    if (typeof bundleType === 'string' && !(ACCEPTED_BUNDLE_TYPES as readonly string[]).includes(bundleType)) {
      return fail(issue('error', 'invalid', `Bundle type "${bundleType}" is not accepted; send a transaction or batch Bundle`, 'Bundle.type'));
    }
    // Nested Bundles are not followed: one level of entries is all a referral needs.
    const inBundle = new Set(accept.filter((t) => t !== 'Bundle'));
    ({ target, entryIndex } = withoutIgnoredEntries(json, inBundle, ignored));
  }

  target = withUnwrappedBase64(target, type);
  const remap = (i: OperationOutcomeIssue) => (entryIndex.length ? remapEntryPaths(i, entryIndex) : i);
  const found = [...structureIssues(target), ...bindingIssues(target, type)].map(remap);
  const errors = found.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  if (errors.length) return fail(...errors, ...ignored);
  return { ok: true, resource: target as unknown as Resource, warnings: [...ignored, ...found] };
}

/** Drops the entries of types the intake does not read, remembering where each kept entry was in the original. */
function withoutIgnoredEntries(bundle: Json, inBundle: Set<string>, ignored: OperationOutcomeIssue[]): { target: Json; entryIndex: number[] } {
  if (!Array.isArray(bundle.entry)) return { target: bundle, entryIndex: [] };
  const kept: unknown[] = [];
  const entryIndex: number[] = [];
  bundle.entry.forEach((entry: unknown, i) => {
    const resource = isObject(entry) ? entry.resource : undefined;
    const t = isObject(resource) ? resource.resourceType : undefined;
    if (typeof t === 'string' && !inBundle.has(t)) {
      ignored.push(issue('warning', 'not-supported', `${t} entry ignored: not read by the referral intake`, `Bundle.entry[${i}].resource`));
      return;
    }
    kept.push(entry);
    entryIndex.push(i);
  });
  const { entry: _drop, ...rest } = bundle;
  return { target: kept.length ? { ...rest, entry: kept } : rest, entryIndex };
}

/** Paths point into the filtered Bundle; give them back the index the sender wrote. */
function remapEntryPaths(i: OperationOutcomeIssue, entryIndex: number[]): OperationOutcomeIssue {
  const fix = (p: string) => p.replace(/^Bundle\.entry\[(\d+)\]/, (_m, n: string) => `Bundle.entry[${entryIndex[Number(n)] ?? n}]`);
  return {
    ...i,
    ...(i.expression ? { expression: i.expression.map(fix) } : {}),
    ...(i.diagnostics ? { diagnostics: fix(i.diagnostics) } : {}),
  };
}

/**
 * R4's base64Binary allows whitespace (senders wrap it at 76 columns, as the spec's own Binary example does);
 * medplum's regex does not. Strip it in a copy so such payloads pass and decode the same.
 */
function withUnwrappedBase64(target: Json, type: string): Json {
  // A copy in every case: the caller gets a resource of its own, never one aliasing the parsed request body.
  const copy = structuredClone(target);
  const visitProperty: CrawlerVisitor['visitProperty'] = (parent, key, _path, values, schema) => {
    if (!schema.elements[key]?.type.some((t) => t.code === 'base64Binary')) return;
    const v = values[0];
    const holder: unknown = parent.value;
    if (v && !Array.isArray(v) && typeof v.value === 'string' && /\s/.test(v.value) && isObject(holder)) {
      holder[key] = v.value.replace(/\s+/g, '');
    }
  };
  try {
    crawlTypedValue({ type, value: copy }, { visitProperty }, { skipMissingProperties: true });
  } catch {
    return target;
  }
  return copy;
}

function structureIssues(target: Json): OperationOutcomeIssue[] {
  let issues: OperationOutcomeIssue[];
  try {
    issues = validateResource(target as unknown as Resource);
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) {
      return [issue('error', 'structure', `Not a readable FHIR resource: ${err instanceof Error ? err.message : String(err)}`)];
    }
    issues = err.outcome.issue;
  }
  return issues.map(normalize);
}

/** medplum puts its sentence in details.text and reports a missing element as 'structure'; a client wants both plainly. */
function normalize(i: OperationOutcomeIssue): OperationOutcomeIssue {
  const text = i.details?.text ?? i.diagnostics ?? i.code;
  const where = i.expression?.[0];
  const code = text === 'Missing required property' ? 'required' : i.code;
  return { ...i, code, diagnostics: where ? `${where}: ${text}` : text };
}

function bindingIssues(target: Json, type: string): OperationOutcomeIssue[] {
  const out: OperationOutcomeIssue[] = [];
  const visitProperty: CrawlerVisitor['visitProperty'] = (_parent, key, _path, values, schema) => {
    const el = schema.elements[key];
    const vs = el?.binding?.strength === 'required' ? el.binding.valueSet : undefined;
    if (!vs || !el?.type.some((t) => t.code === 'code')) return;
    const codes = requiredCodes(vs);
    if (!codes) return;
    for (const v of values.flat()) {
      if (typeof v.value === 'string' && !codes.has(v.value)) {
        const allowed = codes.size <= 12 ? `: one of ${[...codes].join(', ')}` : '';
        out.push(issue('error', 'code-invalid', `${v.path}: "${v.value}" is not a valid code${allowed}`, v.path));
      }
    }
  };
  try {
    crawlTypedValue({ type, value: target }, { visitProperty }, { skipMissingProperties: true });
  } catch {
    // A shape the crawler cannot walk has already failed the structural check.
  }
  return out;
}
