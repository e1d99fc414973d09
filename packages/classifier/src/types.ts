// Public prediction types.
import type { Urgency } from './dataset.ts';

export type { Urgency };
export type Evidence = { head: 'urgency' | 'specialty'; term: string; start: number; end: number; weight: number };
export type HeadPrediction<L extends string> = { label: L; confidence: number; probabilities: Record<L, number> };
export type Prediction = {
  urgency: HeadPrediction<Urgency>;
  specialty: HeadPrediction<string>;
  evidence: Evidence[];
  modelVersion: string;
};
export type TriageModel = { version: string; specialties: readonly string[]; predict(text: string): Prediction };
/** The embedding classifier embeds through onnxruntime, so it can only answer asynchronously. */
export type AsyncTriageModel = { version: string; specialties: readonly string[]; predict(text: string): Promise<Prediction> };
/** What the classify stage needs: either kind. */
export type Classifier = TriageModel | AsyncTriageModel;
