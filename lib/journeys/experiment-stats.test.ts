import { describe, expect, it } from 'vitest';
import { compareArms, newcombeInterval, waldInterval, wilsonInterval } from './experiment-stats';

const rounded = (interval: { lower: number; upper: number }) => [
  Number(interval.lower.toFixed(4)),
  Number(interval.upper.toFixed(4)),
];

describe('confidence intervals', () => {
  it('matches the published Wilson intervals (Newcombe 1998, Table I)', () => {
    // 81/263: 0.2553 to 0.3662
    expect(rounded(wilsonInterval(81, 263))).toEqual([0.2553, 0.3662]);
    // 15/148: 0.0624 to 0.1605
    expect(rounded(wilsonInterval(15, 148))).toEqual([0.0624, 0.1605]);
    // 0/20: 0 to 0.1611
    expect(rounded(wilsonInterval(0, 20))).toEqual([0, 0.1611]);
  });

  it('matches the published differences of proportions (Newcombe 1998, Table II, method 10)', () => {
    expect(rounded(newcombeInterval(56, 70, 48, 80))).toEqual([0.0524, 0.3339]);
    expect(rounded(newcombeInterval(9, 10, 3, 10))).toEqual([0.1705, 0.809]);
    expect(rounded(newcombeInterval(6, 7, 2, 7))).toEqual([0.0582, 0.8062]);
    // Method 1 (Wald) for the first example: 0.0575 to 0.3425.
    expect(rounded(waldInterval(56, 70, 48, 80))).toEqual([0.0575, 0.3425]);
  });

  it('says which arm converts better only when the interval excludes zero', () => {
    const a = { label: 'A', customers: 1000, conversions: 100 };
    expect(compareArms({ label: 'B', customers: 1000, conversions: 150 }, a)).toMatchObject({
      verdict: 'better',
      sentence: 'B converts better than A; the difference is likely real.',
    });
    expect(compareArms({ label: 'B', customers: 1000, conversions: 60 }, a).verdict).toBe('worse');
    expect(compareArms({ label: 'B', customers: 1000, conversions: 105 }, a)).toMatchObject({
      verdict: 'unclear',
      sentence: 'Not enough data yet to tell B and A apart.',
    });
    expect(compareArms({ label: 'B', customers: 5, conversions: 5 }, a).verdict).toBe('no-data');
  });
});
