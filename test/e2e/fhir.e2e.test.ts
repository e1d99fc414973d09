import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { MedplumClient, OperationOutcomeError } from '@medplum/core';
import type { Bundle, ServiceRequest, Task } from '@medplum/fhirtypes';
import { schema } from '@triage/db';
import { makeBornDigitalPdf } from '@triage/documents';
import { sharedPath, waitFor } from '@triage/testkit';
import { reviewEverything, startSystem, type System } from './system.ts';

const basePolicy = JSON.parse(await readFile(new URL('../../policy/routing-policy.json', import.meta.url), 'utf8'));

let sys: System;
let fhir: MedplumClient;
let reviewer: string;

beforeAll(async () => {
  sys = await startSystem({ policy: reviewEverything(basePolicy) });
  reviewer = await sys.token('reviewer');
  // A real FHIR client library, pointed at our /fhir base with an intake token.
  fhir = new MedplumClient({ baseUrl: `${sys.url}/`, fhirUrlPath: 'fhir', fetch: globalThis.fetch });
  fhir.setAccessToken(await sys.token('intake'));
}, 120_000);
afterAll(async () => sys?.stop());

const SYSTEM = 'https://hill-surgery.example/referrals';

/** A made-up referral (invented patient, referrer and letter) as an EHR sends it. */
async function referral(value: string, o: { reason?: string; status?: ServiceRequest['status']; priority?: ServiceRequest['priority'] } = {}): Promise<Bundle> {
  const letter = await makeBornDigitalPdf([`Dear Cardiology colleagues,\nPlease see Ms Wren with ${o.reason ?? 'exertional chest tightness'}.\nDr N. Okafor`]);
  const post = (fullUrl: string, resource: Record<string, unknown>) => ({ fullUrl, resource, request: { method: 'POST', url: resource.resourceType } });
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      post('urn:uuid:sr', {
        resourceType: 'ServiceRequest',
        identifier: [{ system: SYSTEM, value }],
        status: o.status ?? 'active',
        intent: 'order',
        priority: o.priority ?? 'stat',
        subject: { reference: 'urn:uuid:pat' },
        requester: { reference: 'urn:uuid:prac' },
        performerType: { text: 'Cardiology clinic' },
        reasonCode: [{ text: o.reason ?? 'Exertional chest tightness for three weeks' }],
        supportingInfo: [{ reference: 'urn:uuid:doc' }],
      }),
      post('urn:uuid:pat', { resourceType: 'Patient', name: [{ given: ['Imogen'], family: 'Wren' }], birthDate: '1961-02-03', gender: 'female' }),
      post('urn:uuid:prac', { resourceType: 'Practitioner', identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }], name: [{ given: ['Ngozi'], family: 'Okafor' }] }),
      post('urn:uuid:doc', { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { contentType: 'application/pdf', data: letter.toString('base64') } }] }),
    ],
  } as unknown as Bundle;
}

const locationId = (b: Bundle, i = 0) => /^ServiceRequest\/([0-9a-f-]{36})$/.exec(b.entry![i]!.response!.location!)![1]!;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const api = async (path: string): Promise<any> => (await fetch(`${sys.url}${path}`, { headers: { authorization: `Bearer ${reviewer}` } })).json();

describe('FHIR R4', () => {
  it('publishes its CapabilityStatement', async () => {
    const res = await fetch(`${sys.url}/fhir/metadata`);
    expect(res.headers.get('content-type')).toMatch(/application\/fhir\+json/);
    expect(await res.json()).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
  });

  it('takes a transaction Bundle, reads the letter and the structured fields, and serves ServiceRequest, Task and Provenance', async () => {
    const out = await fhir.executeBatch(await referral('R-1'));
    expect(out).toMatchObject({ resourceType: 'Bundle', type: 'transaction-response' });
    expect(out.entry![0]!.response!.status).toBe('201 Created');
    const id = locationId(out);
    const doc = await waitFor(async () => {
      const d = await api(`/v1/documents/${id}`);
      return d.status === 'needs_review' ? d : undefined;
    }, { timeoutMs: 60_000, what: 'the FHIR referral to reach review' });
    expect(doc.kind).toBe('pdf');
    expect(doc.fields.patientName).toMatchObject({ value: 'Imogen Wren', source: 'fhir' });
    expect(doc.fields.statedPriority).toMatchObject({ value: 'emergent', source: 'fhir' });
    expect(doc.fields.referredTo.value).toEqual({ raw: 'Cardiology clinic', specialty: 'Cardiovascular / Pulmonary' });
    expect(doc.fields.referrerNpi.value).toBe('1234567893');

    const sr = await fhir.readResource('ServiceRequest', id);
    expect(sr).toMatchObject({ id, priority: 'stat', identifier: [{ system: SYSTEM, value: 'R-1' }] });
    const tasks = await fhir.searchResources('Task', { focus: `ServiceRequest/${id}` });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ focus: { reference: `ServiceRequest/${id}` }, status: 'ready', businessStatus: { text: 'needs review' } });
    const prov = await fhir.searchResources('Provenance', { target: `Task/${id}` });
    expect(JSON.stringify(prov[0]!.agent)).toMatch(/routing policy/);
    const found = await fhir.searchResources('ServiceRequest', { identifier: `${SYSTEM}|R-1` });
    expect(found.map((r) => r.id)).toEqual([id]);
  });

  it('takes a large Bundle sent as plain application/json, with a BOM', async () => {
    const bundle = await referral('R-5');
    // A long clinical note makes the body larger than the API's 64 KB JSON limit.
    (bundle.entry![0]!.resource as ServiceRequest).note = [{ text: 'Exertional chest tightness on stairs. '.repeat(3000) }];
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(bundle))]);
    expect(body.length).toBeGreaterThan(64 * 1024);
    const res = await fetch(`${sys.url}/fhir`, { method: 'POST', headers: { authorization: `Bearer ${await sys.token('intake', 'json-client')}`, 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Bundle).entry![0]!.response!.status).toBe('201 Created');
  });

  it('refuses an invalid resource with an OperationOutcome that names the path', async () => {
    const bad = { resourceType: 'ServiceRequest', status: 'active', intent: 'order', priority: 'whenever', subject: { display: 'x' } };
    const err = await fhir.createResource(bad as unknown as ServiceRequest).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OperationOutcomeError);
    const outcome = (err as OperationOutcomeError).outcome;
    expect(outcome.issue![0]!.expression).toContain('ServiceRequest.priority');
  });

  it('answers a resend with the same locations and creates nothing; a changed referral with the same identifier is linked and flagged', async () => {
    const bundle = await referral('R-2');
    const first = await fhir.executeBatch(bundle);
    const again = await fhir.executeBatch(bundle);
    expect(locationId(again)).toBe(locationId(first));
    expect(again.entry![0]!.response!.status).toBe('200 OK');
    const changed = await fhir.executeBatch(await referral('R-2', { reason: 'breathlessness on exertion' }));
    const newer = locationId(changed);
    expect(newer).not.toBe(locationId(first));
    const [d] = await sys.rt.dbh.db.select().from(schema.documents).where(eq(schema.documents.id, newer));
    expect(d).toMatchObject({ supersedes: locationId(first), intakeFlags: ['resent_by_sender'] });
  });

  it('cancels the referral a revoked ServiceRequest names; its Task says so', async () => {
    const id = locationId(await fhir.executeBatch(await referral('R-3')));
    const cancel = await fhir.executeBatch(await referral('R-3', { status: 'revoked' }));
    expect(cancel.entry![0]!.response!.status).toMatch(/^20/);
    const task = (await fhir.readResource('Task', id)) as Task;
    expect(task.status).toBe('cancelled');
    const unknown = await fhir.executeBatch(await referral('R-NEVER', { status: 'revoked' })).catch((e: unknown) => e);
    expect((unknown as OperationOutcomeError).outcome.issue![0]!.code).toBe('not-found');
  });

  it('does not let one intake system read what another sent', async () => {
    const id = locationId(await fhir.executeBatch(await referral('R-4')));
    const other = new MedplumClient({ baseUrl: `${sys.url}/`, fhirUrlPath: 'fhir', fetch: globalThis.fetch });
    other.setAccessToken(await sys.token('intake', 'other-ehr'));
    const err = await other.readResource('ServiceRequest', id).catch((e: unknown) => e);
    expect((err as OperationOutcomeError).outcome.issue![0]!.code).toBe('not-found');
  });

  it('takes every shared ServiceRequest, DocumentReference and Communication sample; answers every Bundle sample without a server error', async () => {
    const token = await sys.token('intake', 'samples');
    const post = async (path: string, body: Buffer) => {
      const res = await fetch(`${sys.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' }, body });
      return { status: res.status, body: (await res.json()) as { resourceType: string; type?: string } };
    };
    for (const type of ['ServiceRequest', 'DocumentReference', 'Communication']) {
      const dir = sharedPath('datasets', 'fhir-r4', type);
      for (const f of await readdir(dir)) {
        const r = await post(`/fhir/${type}`, await readFile(`${dir}/${f}`));
        expect([r.status, r.body.resourceType], f).toEqual([201, 'ServiceRequest']);
      }
    }
    const dir = sharedPath('datasets', 'fhir-r4', 'Bundle');
    const answers: Record<string, number> = {};
    for (const f of await readdir(dir)) {
      const r = await post('/fhir', await readFile(`${dir}/${f}`));
      answers[f] = r.status;
      expect(r.status, f).toBeLessThan(500);
      expect(r.body.resourceType, f).toBe(r.status < 300 ? 'Bundle' : 'OperationOutcome');
    }
    // The one transaction Bundle that carries a document (IHE XDS) is taken; searchsets, documents and collections are not requests.
    expect(answers['xds-example.json']).toBe(200);
    expect(answers['bundle-example.json']).toBe(400);
  });
});
