import { describe, expect, it } from 'vitest';
import { learningRateAt } from '../../src/engine/schedule';

describe('learning-rate schedules', () => {
  it('constant stays at the base rate', () => {
    expect([0, 5, 99].map((s) => learningRateAt('constant', 0.1, s, 100))).toEqual([0.1, 0.1, 0.1]);
  });

  it('cosine starts at the base rate, halves midway and reaches zero at the end', () => {
    expect(learningRateAt('cosine', 0.1, 0, 100)).toBeCloseTo(0.1, 12);
    expect(learningRateAt('cosine', 0.1, 50, 100)).toBeCloseTo(0.05, 12);
    expect(learningRateAt('cosine', 0.1, 100, 100)).toBeCloseTo(0, 12);
    const rates = Array.from({ length: 101 }, (_, s) => learningRateAt('cosine', 0.1, s, 100));
    rates.slice(1).forEach((r, i) => expect(r).toBeLessThanOrEqual(rates[i]));
  });
});
