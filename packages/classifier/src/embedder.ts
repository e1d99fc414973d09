// Sentence embeddings from a LOCAL transformers.js model folder (ONNX), mean-pooled and L2-normalised.
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';

export type EmbedderOptions = {
  /** Folder holding config.json, tokenizer.json and onnx/model.onnx (a transformers.js model layout). */
  modelDir: string;
  /** Off by default: a missing or incomplete folder is an error, never a download. */
  allowRemoteModels?: boolean;
};
export type Embedder = { id: string; dim: number; embed(texts: string[]): Promise<Float32Array[]> };

const BATCH = 16;

export async function createEmbedder(opts: EmbedderOptions): Promise<Embedder> {
  const dir = resolve(opts.modelDir);
  const remote = opts.allowRemoteModels ?? false;
  if (!remote && !existsSync(join(dir, 'onnx', 'model.onnx'))) {
    throw new Error(`embedding model folder ${dir} has no onnx/model.onnx (and ALLOW_REMOTE_MODELS is off)`);
  }
  // transformers.js resolves a model id against localModelPath: the folder's parent, the folder's name.
  env.allowLocalModels = true;
  env.allowRemoteModels = remote;
  env.localModelPath = `${dirname(dir)}/`;
  const id = basename(dir);
  const extractor: FeatureExtractionPipeline = await pipeline('feature-extraction', id, { dtype: 'fp32' });
  const run = async (texts: string[]): Promise<Float32Array[]> => {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const t = await extractor(texts.slice(i, i + BATCH), { pooling: 'mean', normalize: true });
      const [rows, d] = t.dims as [number, number];
      const data = t.data as Float32Array;
      for (let r = 0; r < rows; r++) out.push(data.slice(r * d, (r + 1) * d));
    }
    return out;
  };
  const [probe] = await run(['dimension probe']);
  return { id, dim: probe!.length, embed: run };
}
