import type { Address, CodeableConcept, ContactPoint, HumanName, Identifier, Reference, Resource } from '@medplum/fhirtypes';

/** One resource the sender gave, with the fullUrl and request method of its Bundle entry when it had one. */
export type Entry = { resource: Resource; fullUrl?: string; method?: string; label: string };

export type Resolver = {
  entries: Entry[];
  /** The resource a reference names: `#id` in the container's `contained`, else a Bundle entry by fullUrl or `Type/id`. */
  resolve(ref: Reference | undefined, container: Resource | undefined): Resource | undefined;
  /** An Attachment.url pointing at a Binary (or other resource) inside the Bundle. */
  resolveUrl(url: string): Resource | undefined;
};

const TYPE_ID = /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/** `Type/id` a reference or fullUrl ends with (relative refs resolve against any server base the sender used). */
function typeId(ref: string): string | undefined {
  const m = TYPE_ID.exec(ref);
  return m ? `${m[1]}/${m[2]}` : undefined;
}

export function resolver(entries: Entry[]): Resolver {
  const byKey = new Map<string, Resource>();
  for (const e of entries) {
    if (e.fullUrl) byKey.set(e.fullUrl, e.resource);
    if (e.resource.id) byKey.set(`${e.resource.resourceType}/${e.resource.id}`, e.resource);
  }
  const resolveUrl = (url: string) => byKey.get(url) ?? byKey.get(typeId(url) ?? '');
  return {
    entries,
    resolveUrl,
    resolve(ref, container) {
      const r = ref?.reference;
      if (!r) return undefined;
      if (r.startsWith('#')) return container ? containedOf(container).find((c) => c.id === r.slice(1)) : undefined;
      return resolveUrl(r);
    },
  };
}

/** Binary and Bundle have no `contained`; every other resource may. */
export const containedOf = (r: Resource): Resource[] => ('contained' in r && r.contained) || [];

/** `#id` references resolve in the resource that holds them: itself if it contains anything, else its container. */
export const scopeOf = (r: Resource, container: Resource): Resource => (containedOf(r).length ? r : container);

/** The resource type a reference claims (from `type` or its path), for references that did not resolve. */
export function referenceType(ref: Reference | undefined): string | undefined {
  if (ref?.type) return ref.type.split('/').pop();
  const r = ref?.reference;
  return r && !r.startsWith('#') ? typeId(r)?.split('/')[0] : undefined;
}

export const nonEmpty = (s: string | undefined | null): string | undefined => {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t ? t : undefined;
};

export function codeableText(cc: CodeableConcept | undefined): string | undefined {
  return nonEmpty(cc?.text) ?? nonEmpty(cc?.coding?.find((c) => nonEmpty(c.display))?.display);
}

/** The name a person goes by now: `official`/`usual` first, never an `old` or `maiden` one when another exists. */
export function humanName(names: HumanName[] | undefined): string | undefined {
  const current = (names ?? []).filter((n) => n.use !== 'old' && n.use !== 'maiden');
  const pool = current.length ? current : (names ?? []);
  const name = pool.find((n) => n.use === 'official') ?? pool.find((n) => n.use === 'usual') ?? pool[0];
  if (!name) return undefined;
  const parts = nonEmpty([...(name.given ?? []), name.family ?? ''].join(' '));
  return parts ?? nonEmpty(name.text);
}

/** First contact point of a system, in the order of preferred uses; an `old` one only if nothing else. */
export function telecom(points: ContactPoint[] | undefined, system: ContactPoint['system'], uses: string[]): string | undefined {
  const of = (points ?? []).filter((p) => p.system === system && nonEmpty(p.value) && !p.period?.end);
  const rank = (p: ContactPoint) => (p.use === 'old' ? 99 : p.use ? (uses.indexOf(p.use) + 1 || 50) : 40);
  return nonEmpty([...of].sort((a, b) => rank(a) - rank(b))[0]?.value);
}

export function addressText(addresses: Address[] | undefined, uses: string[]): string | undefined {
  const pool = (addresses ?? []).filter((a) => a.use !== 'old');
  const a = uses.map((u) => pool.find((x) => x.use === u)).find(Boolean) ?? pool[0];
  if (!a) return undefined;
  const parts = [...(a.line ?? []), a.city, a.state, a.postalCode].map(nonEmpty).filter(Boolean);
  return parts.length ? parts.join(', ') : nonEmpty(a.text);
}

/** `system|value` (or `|value`): FHIR's own token syntax, so `?identifier=` search takes it unchanged. */
export function identifierKey(id: Identifier | undefined): string | null {
  const value = nonEmpty(id?.value);
  return value ? `${id?.system ?? ''}|${value}` : null;
}

export const hasTypeCode = (id: Identifier, code: string) => !!id.type?.coding?.some((c) => c.code === code);
