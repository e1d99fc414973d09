import type { Attachment, Reference, Resource } from '@medplum/fhirtypes';
import { codeableText, nonEmpty, referenceType, scopeOf, type Resolver } from './resolve.ts';

export type FhirAttachment = { contentType: string; data: Buffer; title?: string };

/** What the documents of one referral gave: files, text lines for the classifier, urls we could not fetch. */
export type Collected = {
  attachments: FhirAttachment[];
  unresolved: string[];
  lines: string[];
  /** Resources already read, so a Binary named by two attachments is one file, and no reference loops. */
  used: Set<Resource>;
};

export const emptyCollected = (): Collected => ({ attachments: [], unresolved: [], lines: [], used: new Set() });

const DOCUMENT_TYPES = new Set(['DocumentReference', 'Binary', 'Communication']);
const DEFAULT_TYPE = 'application/octet-stream';

/** Inline data wins; a url is looked up among the Bundle's Binaries; one outside the Bundle is only listed. */
export function collectAttachment(a: Attachment, index: Resolver, sink: Collected, warn: (m: string) => void): void {
  const title = nonEmpty(a.title);
  if (a.data) {
    sink.attachments.push({ contentType: a.contentType ?? DEFAULT_TYPE, data: Buffer.from(a.data, 'base64'), ...(title ? { title } : {}) });
    return;
  }
  if (a.url) {
    const target = index.resolveUrl(a.url);
    if (target?.resourceType === 'Binary') {
      if (!sink.used.has(target)) collectBinary(target, a.contentType, title, sink, warn);
      return;
    }
    sink.unresolved.push(a.url);
    return;
  }
  warn(`attachment${title ? ` "${title}"` : ''} has neither data nor url`);
}

function collectBinary(b: Extract<Resource, { resourceType: 'Binary' }>, contentType: string | undefined, title: string | undefined, sink: Collected, warn: (m: string) => void): void {
  sink.used.add(b);
  if (!b.data) {
    warn(`Binary${b.id ? `/${b.id}` : ''} has no data`);
    return;
  }
  sink.attachments.push({ contentType: b.contentType ?? contentType ?? DEFAULT_TYPE, data: Buffer.from(b.data, 'base64'), ...(title ? { title } : {}) });
}

/** Files and text of a DocumentReference, Binary or Communication (its payloads, references followed once). */
export function collectDocument(r: Resource, container: Resource, index: Resolver, sink: Collected, warn: (m: string) => void): void {
  if (sink.used.has(r)) return;
  if (r.resourceType === 'Binary') return collectBinary(r, undefined, undefined, sink, warn);
  sink.used.add(r);
  if (r.resourceType === 'DocumentReference') {
    const kind = codeableText(r.type);
    const description = nonEmpty(r.description);
    const content = r.content ?? [];
    const titles = content.map((c) => nonEmpty(c.attachment?.title)).filter(Boolean);
    const label = [kind, description, ...titles].filter(Boolean);
    if (label.length) sink.lines.push(`Document: ${[...new Set(label)].join(' - ')}`);
    for (const c of content) if (c.attachment) collectAttachment(c.attachment, index, sink, warn);
  } else if (r.resourceType === 'Communication') {
    for (const p of r.payload ?? []) {
      if (p.contentString?.trim()) sink.lines.push(p.contentString.replace(/[ \t]+/g, ' ').trim());
      if (p.contentAttachment) collectAttachment(p.contentAttachment, index, sink, warn);
      if (p.contentReference) collectReference(p.contentReference, scopeOf(r, container), index, sink, warn);
    }
  }
}

/** A reference to a document: read it if it is in the Bundle, list it if it names a document we do not have. */
export function collectReference(ref: Reference, container: Resource, index: Resolver, sink: Collected, warn: (m: string) => void): void {
  const target = index.resolve(ref, container);
  if (target) {
    if (DOCUMENT_TYPES.has(target.resourceType)) collectDocument(target, scopeOf(target, container), index, sink, warn);
    return;
  }
  const type = referenceType(ref);
  // An Observation we were not sent is not a missing document; a DocumentReference (or an untyped url) is.
  if (ref.reference && (!type || DOCUMENT_TYPES.has(type))) sink.unresolved.push(ref.reference);
  else if (!ref.reference && nonEmpty(ref.display)) sink.lines.push(`See: ${nonEmpty(ref.display)}`);
}
