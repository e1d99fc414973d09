// Shapes of the review API, from the OpenAPI types generated from the routes' zod schemas (@triage/api-client).
import type { JsonBody, Schemas } from '@triage/api-client';

export type Urgency = Schemas['Urgency'];
export type RejectReason = CaseDetail['options']['rejectReasons'][number];
export type ConfirmReason = CaseDetail['options']['confirmReasons'][number];
export type CorrectReason = CaseDetail['options']['correctReasons'][number];

export type Session = Schemas['Session'];
export type Principal = Session['principal'];

export type TaskSummary = Schemas['TaskSummary'];
export type Claim = NonNullable<TaskSummary['claim']>;
export type TaskList = Schemas['TaskList'];

export type PageInfo = Schemas['PageInfo'];
export type Evidence = Schemas['Evidence'];
export type RedFlag = Schemas['RedFlag'];

export type FieldSource = Schemas['FieldSource'];
/** Pixels of the page image OCR read (see PageInfo.layout). */
export type Box = Schemas['Box'];
/** `start`/`end` are offsets in that page's text, not the joined text. */
export type FieldEvidence = Schemas['FieldEvidence'];
export type Identifier = Schemas['Identifier'];
export type Diagnosis = Schemas['Diagnosis'];
export type ReferredTo = Schemas['ReferredTo'];
/** Any one field as read (the panel lists them by name, whatever their value type). */
export type Field = NonNullable<Schemas['ReferralFields'][keyof Schemas['ReferralFields']]>;
export type FieldValue = Field['value'];
/** Read by name: the panel walks the case's fieldNames rather than the fixed set. */
export type Fields = Partial<Record<string, Field>>;
/** What a correction answers with: the whole set again, gaps recomputed. */
export type FieldsUpdate = Omit<Schemas['FieldsUpdate'], 'fields'> & { fields: Fields };

export type DecisionBasis = Schemas['DecisionBasis'];
export type CaseDetail = Schemas['CaseDetail'];
export type ClaimResult = Schemas['ClaimResult'];
export type DecisionAccepted = Schemas['DecisionAccepted'];
export type InformationState = Schemas['InformationState'];

export type Decision = JsonBody<'/v1/review/tasks/{id}/decision', 'post'>;

export type TaskEvent = Schemas['TaskEvent'];
