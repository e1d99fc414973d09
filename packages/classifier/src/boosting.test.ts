import { describe, expect, it } from 'vitest';
import { boosterLogits, fitBooster } from './boosting.ts';
import { argmax } from './calibration.ts';
import { createRng } from './prng.ts';

// Class 1 inside a band of x0 (a "too high or too low" vital): no single linear cut separates it.
function band(n: number, seed: number) {
  const rng = createRng(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = [rng() * 200, rng() * 10];
    rows.push(x);
    labels.push(x[0]! > 60 && x[0]! < 120 ? 0 : 1);
  }
  return { rows, labels };
}

describe('fitBooster', () => {
  const train = band(400, 1);
  const targets = new Float64Array(train.rows.length * 2);
  train.labels.forEach((k, i) => (targets[i * 2 + k] = 1));
  const params = { rounds: 40, depth: 2, learningRate: 0.2, l2: 1, minLeaf: 5 };
  const booster = fitBooster(train.rows, targets, 2, params);

  it('learns a two-sided threshold on held-out data', () => {
    const test = band(200, 2);
    const hits = test.rows.filter((x, i) => argmax(boosterLogits(booster, x)) === test.labels[i]).length;
    expect(hits / test.rows.length).toBeGreaterThanOrEqual(0.95);
    expect(booster.trees).toHaveLength(params.rounds * 2);
  });

  it('is deterministic and splits only on the informative feature near the band edges', () => {
    expect(JSON.stringify(fitBooster(train.rows, targets, 2, params))).toBe(JSON.stringify(booster));
    const root = booster.trees[0]!;
    expect(root.feature[0]).toBe(0);
    const t = root.threshold[0]!;
    expect(Math.min(Math.abs(t - 60), Math.abs(t - 120))).toBeLessThan(10);
  });
});
