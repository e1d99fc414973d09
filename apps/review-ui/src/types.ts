// Shapes of the review API (docs: /work/briefs/review-contract.md, README "API").
export type Urgency = 'emergent' | 'urgent' | 'routine';
export type RejectReason = 'not_a_referral' | 'duplicate' | 'missing_information' | 'other';

export type Principal = { name: string; role: string };
export type Session = { principal: Principal; csrfToken: string; expiresAt: string };

export type Claim = { by: string; expiresAt: string; mine: boolean };

export type TaskSummary = {
  id: string;
  documentId: string;
  status: string;
  reasons: string[];
  urgency: string;
  urgencyConfidence: number;
  specialty: string;
  specialtyConfidence: number;
  team: string | null;
  suspectedEmergent: boolean;
  createdAt: string;
  dueAt: string;
  overdue: boolean;
  claim: Claim | null;
};

export type TaskList = { now: string; sla: Record<Urgency, number>; tasks: TaskSummary[] };

export type PageInfo = {
  pageNo: number;
  source: string;
  ocrConfidence: number | null;
  rotation: number | null;
  start: number;
  end: number;
  /** OCR pages: the upright image the word boxes were measured on. */
  layout?: { imageWidth: number; imageHeight: number; dpi: number };
};

export type Evidence = { head: 'urgency' | 'specialty'; start: number; end: number; weight: number };
export type RedFlag = { rule: string; label?: string; start: number; end: number };

export type FieldSource = 'text' | 'acroform' | 'ocr-layout' | 'hl7' | 'fhir' | 'reviewer';
/** Pixels of the page image OCR read (see PageInfo.layout). */
export type Box = { x0: number; y0: number; x1: number; y1: number };
/** `start`/`end` are offsets in that page's text, not the joined text. */
export type FieldEvidence = { page: number; start: number; end: number; box?: Box };
export type Identifier = { kind: string; value: string };
export type Diagnosis = { code?: string; text: string };
export type ReferredTo = { raw: string; specialty: string | null };
export type FieldValue = string | Identifier[] | Diagnosis[] | ReferredTo;
export type Field = { value: FieldValue; confidence: number; evidence: FieldEvidence[]; source: FieldSource; conflicts?: FieldValue[] };
export type Fields = Partial<Record<string, Field>>;
/** What a correction answers with: the whole set again, gaps recomputed. */
export type FieldsUpdate = { fields: Fields; missing: string[]; conflicts: string[] };

export type DecisionBasis = {
  team: { rule: 'agreement' | 'stated_clinic' | 'model' | null; specialty: string; stated: string | null; model: string; modelConfidence: number; modelSupportForStated: number | null };
  priority: { rule: 'model' | 'stated_priority' | 'red_flag' | 'conservative'; urgency: Urgency; model: Urgency; modelConfidence: number; stated: Urgency | null; redFlag: Urgency | null; pEmergent: number };
};

export type CaseDetail = {
  task: TaskSummary;
  document: { id: string; kind: string; receivedAt: string; pages: PageInfo[] };
  /** null until the fields stage has read the document. */
  fields: Fields | null;
  missing: string[];
  conflicts: string[];
  fieldsVersion: string | null;
  fieldNames: string[];
  text: string;
  evidence: Evidence[];
  redFlags: RedFlag[];
  /** How the routing rule decided (null for cases decided before it was recorded). */
  basis: DecisionBasis | null;
  probabilities: { urgency: Record<string, number>; specialty: Record<string, number> };
  modelVersion: string | null;
  policyVersion: string | null;
  options: { urgencies: Urgency[]; specialties: string[]; rejectReasons: RejectReason[]; confirmReasons: string[]; correctReasons: string[] };
};

export type ClaimResult = { id: string; documentId: string; claimExpiresAt: string; reasons: string[] };

export type Decision =
  | { action: 'confirm'; reason?: string; note?: string }
  | { action: 'correct'; urgency: Urgency; specialty: string; reason?: string; note?: string }
  | { action: 'reject'; reason: RejectReason; note?: string };

export type TaskEvent = { type: 'created' | 'claimed' | 'released' | 'decided'; taskId: string };
