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
};

export type Evidence = { head: 'urgency' | 'specialty'; start: number; end: number; weight: number };
export type RedFlag = { rule: string; label?: string; start: number; end: number };

export type CaseDetail = {
  task: TaskSummary;
  document: { id: string; kind: string; receivedAt: string; pages: PageInfo[] };
  text: string;
  evidence: Evidence[];
  redFlags: RedFlag[];
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
