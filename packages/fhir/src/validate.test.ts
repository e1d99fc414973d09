// validateFhir against the official R4 examples and against payloads broken one element at a time.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '@triage/testkit';
import type { Binary, OperationOutcome } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { fhirDefinitionsLoadMs, loadFhirDefinitions } from './definitions.ts';
import { validateFhir } from './validate.ts';

const FHIR = sharedPath('datasets', 'fhir-r4');
const samples = (type: string) => readdirSync(join(FHIR, type)).filter((f) => f.endsWith('.json'));
const read = (type: string, file: string): unknown => JSON.parse(readFileSync(join(FHIR, type, file), 'utf8'));

function outcomeOf(json: unknown): OperationOutcome {
  const v = validateFhir(json);
  if (v.ok) throw new Error('expected the payload to be refused');
  return v.outcome;
}
const expressions = (o: OperationOutcome) => o.issue.flatMap((i) => i.expression ?? []);

const serviceRequest = { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/p1' } };

describe('definitions', () => {
  it('loads the R4 StructureDefinitions once, on first use', () => {
    const first = loadFhirDefinitions();
    const again = loadFhirDefinitions();
    expect(again.loaded).toBe(false);
    expect(again.ms).toBe(first.ms);
    expect(fhirDefinitionsLoadMs()).toBeGreaterThan(0);
    // Visible in the test output: the cost a process pays once.
    console.info(`medplum R4 definitions loaded in ${fhirDefinitionsLoadMs()} ms`);
  });
});

describe.skipIf(!existsSync(FHIR))('official R4 examples', () => {
  for (const type of ['ServiceRequest', 'DocumentReference', 'Communication']) {
    it(`every ${type} example validates`, () => {
      const files = samples(type);
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) {
        const v = validateFhir(read(type, f));
        expect(v.ok ? 'ok' : JSON.stringify(v.outcome.issue), f).toBe('ok');
        if (v.ok) expect(v.resource.resourceType).toBe(type);
      }
    });
  }

  it('keeps medplum warnings (absolute references) on an accepted resource', () => {
    const v = validateFhir(read('ServiceRequest', 'servicerequest-example-myringotomy.json'));
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.warnings.map((w) => w.expression?.[0])).toContain('ServiceRequest.subject');
  });

  it('accepts the spec Binary example, whose base64 is wrapped with spaces as R4 allows (medplum alone refuses it)', () => {
    const v = validateFhir(read('Binary', 'binary-example.json'));
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const data = (v.resource as Binary).data!;
    expect(data).not.toMatch(/\s/);
    expect(Buffer.from(data, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('refuses the example Bundles that are not transactions or batches, naming Bundle.type', () => {
    const o = outcomeOf(read('Bundle', 'bundle-example.json'));
    expect(o.issue[0]).toMatchObject({ severity: 'error', code: 'invalid', expression: ['Bundle.type'] });
    expect(o.issue[0]?.diagnostics).toContain('searchset');
  });
});

describe('refusals name the failing path', () => {
  it('priority outside the required value set', () => {
    const o = outcomeOf({ ...serviceRequest, priority: 'whenever' });
    expect(o.resourceType).toBe('OperationOutcome');
    expect(o.issue).toHaveLength(1);
    expect(o.issue[0]).toMatchObject({ severity: 'error', code: 'code-invalid', expression: ['ServiceRequest.priority'] });
    expect(o.issue[0]?.diagnostics).toContain('whenever');
  });

  it('impossible birth date', () => {
    const o = outcomeOf({ resourceType: 'Patient', birthDate: '1960-13-45' });
    expect(o.issue[0]).toMatchObject({ severity: 'error', code: 'structure', expression: ['Patient.birthDate'] });
    expect(o.issue[0]?.diagnostics).toMatch(/Patient\.birthDate.*date/i);
  });

  it('missing status', () => {
    const { status: _s, ...noStatus } = serviceRequest;
    const o = outcomeOf(noStatus);
    expect(o.issue[0]).toMatchObject({ severity: 'error', code: 'required', expression: ['ServiceRequest.status'] });
  });

  it('a document Bundle', () => {
    const o = outcomeOf({ resourceType: 'Bundle', type: 'document', entry: [] });
    expect(expressions(o)).toEqual(['Bundle.type']);
  });

  it('an error inside a Bundle entry, counted as the sender wrote the entries', () => {
    const o = outcomeOf({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { resourceType: 'Observation', status: 'final', code: { text: 'BP' } }, request: { method: 'POST', url: 'Observation' } },
        { resource: { resourceType: 'Patient', birthDate: '1960-13-45', gender: 'f' }, request: { method: 'POST', url: 'Patient' } },
      ],
    });
    expect(expressions(o)).toEqual(['Bundle.entry[1].resource.birthDate', 'Bundle.entry[1].resource.gender', 'Bundle.entry[0].resource']);
    expect(o.issue.map((i) => i.severity)).toEqual(['error', 'error', 'warning']);
  });

  it('unknown property', () => {
    expect(expressions(outcomeOf({ ...serviceRequest, urgency: 'high' }))).toEqual(['ServiceRequest.urgency']);
  });

  it('not an object, no resourceType, unknown or unaccepted resourceType', () => {
    for (const bad of [null, 'ServiceRequest', [serviceRequest], 42]) {
      expect(outcomeOf(bad).issue[0]).toMatchObject({ severity: 'error', code: 'structure' });
    }
    expect(outcomeOf({ status: 'active' }).issue[0]).toMatchObject({ code: 'required', expression: ['resourceType'] });
    expect(outcomeOf({ resourceType: 'Referral' }).issue[0]).toMatchObject({ code: 'invalid', expression: ['resourceType'] });
    expect(outcomeOf({ resourceType: 'Observation', status: 'final', code: { text: 'x' } }).issue[0]).toMatchObject({ code: 'not-supported' });
  });
});

describe('Bundles', () => {
  it('ignores entries of other types with a warning and returns the Bundle without them', () => {
    const v = validateFhir({
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { resource: { resourceType: 'Observation', status: 'final', code: { text: 'BP' } }, request: { method: 'POST', url: 'Observation' } },
        { resource: serviceRequest, request: { method: 'POST', url: 'ServiceRequest' } },
      ],
    });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.warnings).toEqual([expect.objectContaining({ severity: 'warning', expression: ['Bundle.entry[0].resource'] })]);
    expect(v.resource.resourceType === 'Bundle' && v.resource.entry?.map((e) => e.resource?.resourceType)).toEqual(['ServiceRequest']);
  });

  it('returns a valid transaction untouched', () => {
    const bundle = { resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: 'urn:uuid:1', resource: serviceRequest, request: { method: 'POST', url: 'ServiceRequest' } }] };
    const v = validateFhir(bundle);
    expect(v.ok && v.resource).toEqual(bundle);
  });

  it('checks the bindings of entries and contained resources (http verb, contained gender)', () => {
    const o = outcomeOf({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: { ...serviceRequest, contained: [{ resourceType: 'Patient', id: 'p', gender: 'F' }], subject: { reference: '#p' } },
          request: { method: 'SEND', url: 'ServiceRequest' },
        },
      ],
    });
    expect(expressions(o).sort()).toEqual(['Bundle.entry[0].request.method', 'Bundle.entry[0].resource.contained[0].gender']);
  });
});
