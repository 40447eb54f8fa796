import { describe, expect, it } from 'vitest';
import {
  armAt,
  assignmentPoint,
  formatPercent,
  shareOf,
  weightedArms,
  type SplitWeights,
} from './assignment';

const CUSTOMERS = 100_000;

function counts(weights: SplitWeights, journeyId = 7, nodeId = 'split-1') {
  const byArm = new Map<string, number>();
  for (let customer = 1; customer <= CUSTOMERS; customer++) {
    const arm = armAt(assignmentPoint(customer, journeyId, nodeId), weights);
    byArm.set(arm, (byArm.get(arm) ?? 0) + 1);
  }
  return byArm;
}

/** Within 4 standard deviations of the binomial expectation (a false alarm about once in 16,000 runs; the hash is fixed, so never flaky). */
function expectShare(actual: number, share: number) {
  const sd = Math.sqrt(CUSTOMERS * share * (1 - share));
  expect(Math.abs(actual - CUSTOMERS * share)).toBeLessThan(4 * sd);
}

describe('split assignment', () => {
  it('gives a customer the same point every time, and different steps and journeys different points', () => {
    expect(assignmentPoint(42, 1, 'split')).toBe(assignmentPoint(42, 1, 'split'));
    expect(assignmentPoint(42, 1, 'split')).not.toBe(assignmentPoint(42, 1, 'split-2'));
    expect(assignmentPoint(42, 1, 'split')).not.toBe(assignmentPoint(42, 2, 'split'));
    for (let customer = 1; customer < 1000; customer++) {
      const point = assignmentPoint(customer, 3, 'x');
      expect(point).toBeGreaterThanOrEqual(0);
      expect(point).toBeLessThan(1);
    }
  });

  it('matches the weights within tolerance over 100,000 synthetic customers', () => {
    const weights = { branches: [50, 30, 20], holdout: 0 };
    const byArm = counts(weights);
    expectShare(byArm.get('a') ?? 0, 0.5);
    expectShare(byArm.get('b') ?? 0, 0.3);
    expectShare(byArm.get('c') ?? 0, 0.2);

    const withHoldout = counts({ branches: [45, 45], holdout: 10 }, 8, 'other');
    expectShare(withHoldout.get('a') ?? 0, 0.45);
    expectShare(withHoldout.get('b') ?? 0, 0.45);
    expectShare(withHoldout.get('holdout') ?? 0, 0.1);

    const ten = counts({ branches: Array.from({ length: 10 }, () => 1), holdout: 0 }, 9, 'ten');
    for (const arm of 'abcdefghij') expectShare(ten.get(arm) ?? 0, 0.1);
  });

  it('is sticky: the same customers land in the same branches on a second run', () => {
    const weights = { branches: [70, 30], holdout: 5 };
    const first = Array.from({ length: 5000 }, (_, i) => armAt(assignmentPoint(i, 11, 's'), weights));
    const second = Array.from({ length: 5000 }, (_, i) => armAt(assignmentPoint(i, 11, 's'), weights));
    expect(second).toEqual(first);
  });

  it('skips arms weighted 0 and names shares in percent', () => {
    expect(weightedArms({ branches: [0, 10], holdout: 0 }).map((arm) => arm.arm)).toEqual(['b']);
    expect(armAt(0, { branches: [0, 10], holdout: 0 })).toBe('b');
    expect(armAt(0.999999, { branches: [1, 1], holdout: 1 })).toBe('holdout');
    expect(shareOf('b', { branches: [70, 30], holdout: 0 })).toBe('30 %');
    expect(shareOf('a', { branches: [1, 1], holdout: 1 })).toBe('33.3 %');
    expect(formatPercent(12.345)).toBe('12.3 %');
  });
});
