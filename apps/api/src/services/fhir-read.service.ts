import { storedFields, type ReferralFields } from '@triage/contracts';
import { binding, openText, type Keyring } from '@triage/crypto';
import { activeReviewTask, getReferralByDocument, latestFieldSet, type Db, type DocumentRow } from '@triage/db';
import { provenanceFor, serviceRequestFor, taskFor, type DocStatus } from '@triage/fhir';
import type { Provenance, ServiceRequest, Task } from '@medplum/fhirtypes';

/** A document as FHIR shows it: the referral (ServiceRequest), its triage (Task) and who decided (Provenance). */
export type FhirView = { serviceRequest: ServiceRequest; task: Task; provenance: Provenance | null };

/**
 * Every document is a ServiceRequest, whatever way it came in (FHIR, HL7, upload, fax folder); its Task and
 * ServiceRequest share the document's id. Fields are the newest read (the structured ones included).
 */
export async function fhirView(deps: { db: Db; keyring: Keyring }, doc: DocumentRow): Promise<FhirView> {
  const [referral, fieldSet, task] = await Promise.all([
    getReferralByDocument(deps.db, doc.id),
    latestFieldSet(deps.db, doc.id, deps.keyring),
    activeReviewTask(deps.db, doc.id),
  ]);
  const fields: ReferralFields = fieldSet ? storedFields(fieldSet.fields) : doc.intakeFields ? storedFields(JSON.parse(openText(deps.keyring, doc.intakeFields, binding.intakeFields(doc.id)))) : {};
  const status: DocStatus = doc.cancelledAt ? 'cancelled' : task?.status === 'information_requested' ? 'waiting_on_referrer' : doc.status;
  const identifier = doc.externalId ? openText(deps.keyring, doc.externalId, binding.externalId(doc.id)) : null;
  const priority = referral?.urgency ? (referral.urgency as 'emergent' | 'urgent' | 'routine') : (fields.statedPriority?.value ?? null);
  const decidedBy = !referral ? null : referral.decidedBy.startsWith('reviewer:') ? 'reviewer' : 'model';
  return {
    serviceRequest: serviceRequestFor({ id: doc.id, identifier, receivedAt: doc.receivedAt, priority, fields, status }),
    task: taskFor({ id: doc.id, serviceRequestId: doc.id, status, team: referral?.team ?? null, priority, decidedBy, updatedAt: doc.updatedAt, reasons: referral?.reasons ?? [] }),
    provenance: referral
      ? provenanceFor({
          taskId: doc.id,
          recorded: referral.updatedAt ?? doc.updatedAt,
          modelVersion: referral.modelVersion,
          policyVersion: referral.policyVersion,
          reviewer: decidedBy === 'reviewer' ? referral.decidedBy : null,
        })
      : null,
  };
}
