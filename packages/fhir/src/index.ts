export { fhirDefinitionsLoadMs, loadFhirDefinitions, requiredCodes, type FhirDefinitionsLoad } from './definitions.ts';
export { FhirIntakeError, issue, operationOutcome, type IssueCode, type IssueSeverity } from './outcome.ts';
export {
  ACCEPTED_BUNDLE_TYPES,
  ACCEPTED_RESOURCE_TYPES,
  OUTPUT_RESOURCE_TYPES,
  validateFhir,
  type AcceptedResourceType,
  type FhirValidation,
  type ValidateOptions,
} from './validate.ts';
export { interpretFhir, type FhirAttachment, type FhirIntake, type FhirReferral } from './interpret.ts';
export { identifierKind, NPI_SYSTEM, PRIORITY_TO_URGENCY } from './map-fields.ts';
export {
  CAPABILITY_DATE,
  capabilityStatement,
  DOC_STATUSES,
  parseIdentifierKey,
  provenanceFor,
  serviceRequestFor,
  TASK_STATUS,
  taskFor,
  URGENCY_TO_PRIORITY,
  type DocStatus,
} from './out.ts';
