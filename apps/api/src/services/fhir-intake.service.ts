import { randomUUID } from 'node:crypto';
import type { ReferralFields } from '@triage/contracts';
import { binding } from '@triage/crypto';
import { documentsForKey, findMessage, recordMessage } from '@triage/db';
import { FhirIntakeError, interpretFhir, operationOutcome, serviceRequestFor, validateFhir, type FhirReferral } from '@triage/fhir';
import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { sha256Hex } from '@triage/storage';
import { acceptStructured, referralKeyOf, type StructuredIntakeDeps } from './structured-intake.service.ts';

export type FhirCaller = { tokenId: string; tokenName: string; actor: string; ip: string };
export type FhirResponse = { status: number; body: Resource; location?: string };

/** The single-resource endpoints, and what each accepts. */
export type FhirCreateType = 'ServiceRequest' | 'DocumentReference' | 'Communication';

const outcome = (status: number, code: Parameters<typeof operationOutcome>[1], text: string, expression?: string): FhirResponse => ({
  status,
  body: operationOutcome('error', code, text, expression),
});

/**
 * FHIR R4 intake: a transaction/batch Bundle on `POST /fhir`, or one resource on `POST /fhir/<type>`. Each
 * referral in it is stored like an HL7 message (raw bytes sealed, document and fields committed before the
 * answer); `ServiceRequest.identifier` is the duplicate and correction key.
 */
export async function receiveFhir(deps: StructuredIntakeDeps, caller: FhirCaller, bytes: Buffer, expect: FhirCreateType | 'Bundle'): Promise<FhirResponse> {
  let json: unknown;
  try {
    // A BOM is tolerated, as on HL7: Windows tools write one.
    json = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return outcome(400, 'invalid', 'the body is not JSON: send a FHIR R4 resource as application/fhir+json');
  }
  const v = validateFhir(json);
  if (!v.ok) return { status: 400, body: v.outcome };
  if (v.resource.resourceType !== expect) {
    return outcome(400, 'invalid', `this endpoint takes a ${expect}, not a ${v.resource.resourceType}`, 'resourceType');
  }
  let referrals: FhirReferral[];
  try {
    referrals = interpretFhir(v.resource).referrals;
  } catch (e) {
    if (e instanceof FhirIntakeError) return { status: 422, body: e.outcome };
    throw e;
  }
  if (!referrals.length) return outcome(422, 'not-found', 'the payload holds no referral: include a ServiceRequest, DocumentReference or Communication');

  const sha256 = sha256Hex(bytes);
  const sender = `token:${caller.tokenName}`;
  const bundleId = v.resource.resourceType === 'Bundle' ? (v.resource.id ?? '') : '';
  if ((v.resource as Bundle).type === 'transaction') {
    // A transaction is all or nothing: refused before anything is stored if one of its cancels names nothing.
    for (const r of referrals.filter((x) => x.action === 'cancel')) {
      if (!r.key || !(await documentsForKey(deps.db, referralKeyOf('fhir', r.key))).length) {
        return outcome(404, 'not-found', 'the transaction cancels a referral this server never received (ServiceRequest.identifier)', 'ServiceRequest.identifier');
      }
    }
  }
  const results: { status: string; location?: string; outcome?: OperationOutcome; fields?: ReferralFields; documentId?: string; receivedAt?: Date }[] = [];
  for (const [i, r] of referrals.entries()) {
    const controlId = `${bundleId}#${i}:${r.key ?? ''}`.slice(0, 300);
    const stored = await findMessage(deps.db, { sender, controlId, sha256 });
    if (stored?.documentId) {
      results.push({ status: '200 OK', location: `ServiceRequest/${stored.documentId}`, fields: r.fields, documentId: stored.documentId, receivedAt: stored.receivedAt });
      continue;
    }
    const messageId = randomUUID();
    const { referredTo, ...fields } = r.fields;
    const res = await acceptStructured(
      deps,
      { protocol: 'fhir', channel: 'http', endpoint: 'fhir', tokenId: caller.tokenId, actor: caller.actor, ip: caller.ip, sender, controlId, sha256, bytes, messageId },
      {
        source: 'fhir',
        messageType: `${r.resourceType}`,
        action: r.action,
        key: r.key,
        keyAt: r.key ? 'ServiceRequest.identifier' : null,
        keyScope: 'fhir',
        fields,
        clinicCandidates: referredTo ? [{ raw: referredTo.value.raw, at: 'ServiceRequest.performerType' }] : [],
        attachments: r.attachments,
        text: r.text,
        detail: { unresolved: r.unresolved.length },
      },
      { ack: null, ackCode: null },
    );
    if (res.outcome === 'unknown_key') {
      await refused(deps, caller, { sender, controlId, sha256, bytes, messageId, messageType: r.resourceType });
      results.push({ status: '404 Not Found', outcome: operationOutcome('error', 'not-found', 'no referral with this ServiceRequest.identifier to cancel', 'ServiceRequest.identifier') });
      continue;
    }
    results.push({
      status: res.outcome === 'duplicate' ? '200 OK' : '201 Created',
      location: `ServiceRequest/${res.documentId}`,
      fields: r.fields,
      documentId: res.documentId!,
      receivedAt: new Date(),
    });
  }

  if (expect !== 'Bundle') {
    const [r] = results;
    if (!r?.documentId) return { status: 404, body: r!.outcome! };
    const key = referrals[0]!.key;
    return {
      status: r.status.startsWith('201') ? 201 : 200,
      location: r.location!,
      body: serviceRequestFor({ id: r.documentId, identifier: key, receivedAt: r.receivedAt!, priority: r.fields?.statedPriority?.value ?? null, fields: r.fields ?? {}, status: 'received' }),
    };
  }
  const type = (v.resource as Bundle).type === 'transaction' ? 'transaction-response' : 'batch-response';
  const entry: BundleEntry[] = results.map((r) => ({ response: { status: r.status, ...(r.location ? { location: r.location } : {}), ...(r.outcome ? { outcome: r.outcome } : {}) } }));
  return { status: 200, body: { resourceType: 'Bundle', type, entry } };
}

async function refused(
  deps: StructuredIntakeDeps,
  caller: FhirCaller,
  m: { sender: string; controlId: string; sha256: string; bytes: Buffer; messageId: string; messageType: string },
) {
  const { key, keyId } = await deps.blobs.put(m.bytes, binding.message(m.messageId));
  await recordMessage(
    deps.db,
    {
      id: m.messageId,
      protocol: 'fhir',
      channel: 'http',
      endpoint: 'fhir',
      sender: m.sender,
      controlId: m.controlId,
      sha256: m.sha256,
      byteSize: m.bytes.length,
      storageKey: key,
      storageKeyId: keyId,
      messageType: m.messageType,
      status: 'error',
      errorCode: 404,
      errorText: 'no referral with this ServiceRequest.identifier to cancel',
      createdBy: caller.tokenId,
    },
    { actor: caller.actor, ip: caller.ip, action: 'fhir_refused', detail: { messageId: m.messageId, why: 'unknown_key' } },
  );
}
