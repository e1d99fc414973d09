import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

export type IssueSeverity = OperationOutcomeIssue['severity'];
export type IssueCode = OperationOutcomeIssue['code'];

/** One issue: `diagnostics` is the human sentence, `expression` the FHIRPath of the element at fault. */
export function issue(severity: IssueSeverity, code: IssueCode, diagnostics: string, expression?: string): OperationOutcomeIssue {
  return { severity, code, diagnostics, ...(expression ? { expression: [expression] } : {}) };
}

/** An OperationOutcome with a single issue, the shape a FHIR client expects on a 4xx. */
export function operationOutcome(severity: IssueSeverity, code: IssueCode, diagnostics: string, expression?: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [issue(severity, code, diagnostics, expression)] };
}

/** A well-formed FHIR payload the product cannot take as a referral (Bundle type, nothing to triage, ...). */
export class FhirIntakeError extends Error {
  readonly outcome: OperationOutcome;
  constructor(outcome: OperationOutcome) {
    super(outcome.issue.map((i) => i.diagnostics ?? i.details?.text ?? i.code).join('; '));
    this.name = 'FhirIntakeError';
    this.outcome = outcome;
  }
}
