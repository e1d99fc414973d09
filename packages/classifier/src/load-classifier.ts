// Picks the classifier the configuration asks for (CLASSIFIER=lr|embedding).
import { loadEmbeddingModel } from './embedding-model.ts';
import { loadModel } from './model.ts';
import type { Classifier } from './types.ts';

export type ClassifierOptions = {
  kind: 'lr' | 'embedding';
  modelPath: string;
  embeddingModelDir?: string;
  allowRemoteModels?: boolean;
};

export function loadClassifier(o: ClassifierOptions): Classifier {
  if (o.kind === 'lr') return loadModel(o.modelPath);
  return loadEmbeddingModel(o.modelPath, {
    ...(o.embeddingModelDir !== undefined && { modelDir: o.embeddingModelDir }),
    allowRemoteModels: o.allowRemoteModels ?? false,
  });
}
