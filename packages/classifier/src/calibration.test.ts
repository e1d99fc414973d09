import { describe, expect, it } from 'vitest';
import { expectedCalibrationError, fitTemperature, scaledProbabilities } from './calibration.ts';
import { createRng } from './prng.ts';

function gaussian(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

describe('calibration', () => {
  it('computes ECE from binned confidence and accuracy', () => {
    // Both in the 0.9 bin: mean confidence 0.9, accuracy 0.5 → ECE 0.4.
    const probs = [
      [0.9, 0.1],
      [0.9, 0.1],
    ];
    expect(expectedCalibrationError(probs, [[0], [1]])).toBeCloseTo(0.4);
  });

  it('temperature scaling lowers ECE on over-confident predictions', () => {
    const rng = createRng(7);
    const logits: number[][] = [];
    const gold: number[][] = [];
    for (let i = 0; i < 3000; i++) {
      const truth = [0, 1, 2].map(() => 1.2 * gaussian(rng));
      const p = scaledProbabilities(truth, 1);
      const u = rng();
      const label = u < p[0]! ? 0 : u < p[0]! + p[1]! ? 1 : 2;
      logits.push(truth.map((z) => 3 * z)); // the model is 3× too sharp
      gold.push([label]);
    }
    const before = expectedCalibrationError(
      logits.map((z) => scaledProbabilities(z, 1)),
      gold,
    );
    const t = fitTemperature(logits, gold);
    const after = expectedCalibrationError(
      logits.map((z) => scaledProbabilities(z, t)),
      gold,
    );
    expect(t).toBeGreaterThan(2);
    expect(t).toBeLessThan(4);
    expect(before).toBeGreaterThan(0.1);
    expect(after).toBeLessThan(before / 2);
  });
});
