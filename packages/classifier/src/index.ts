// @triage/classifier: urgency and specialty prediction for clinical referrals.
export type { Evidence, HeadPrediction, Prediction, TriageModel, Urgency } from './types.ts';
export type { ModelArtifact } from './artifact.ts';
export type { TrainingRecord } from './dataset.ts';
export type { TrainOptions } from './train.ts';
export type { TrainCommandArgs, TrainCommandResult } from './train-command.ts';
export { URGENCIES, ktasToUrgency, parseTrainingJsonl, readTrainingFiles, trainingRecordSchema } from './dataset.ts';
export { DEFAULT_MODEL_PATH, loadModel, modelFromArtifact, parseArtifact } from './model.ts';
export { trainModel } from './train.ts';
export { runTrainCommand } from './train-command.ts';
export { createRng, shuffleInPlace, type Rng } from './prng.ts';
export type { AsyncTriageModel, Classifier } from './types.ts';
export type { EmbeddingArtifact } from './embedding-artifact.ts';
export { createEmbedder, type Embedder, type EmbedderOptions } from './embedder.ts';
export { embeddingModelFromArtifact, loadEmbeddingModel, parseEmbeddingArtifact, type EmbeddingLoadOptions } from './embedding-model.ts';
export { trainEmbeddingModel } from './embedding-train.ts';
export { loadClassifier, type ClassifierOptions } from './load-classifier.ts';
