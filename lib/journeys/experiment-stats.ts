/**
 * Comparing two conversion rates, pure. The 95 % interval of the difference p1 − p2 is Newcombe's
 * hybrid score interval (1998, method 10: from the two Wilson score intervals), which stays inside
 * [−1, 1] and behaves with few conversions, where the Wald interval (also here) does not.
 */

/** The two-sided 95 % normal quantile. */
export const Z95 = 1.959963984540054;

export interface Interval {
  lower: number;
  upper: number;
}

/** Wilson score interval of a proportion `successes` / `trials`. */
export function wilsonInterval(successes: number, trials: number, z = Z95): Interval {
  if (trials <= 0) return { lower: 0, upper: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/** Newcombe's hybrid score interval of p1 − p2. */
export function newcombeInterval(x1: number, n1: number, x2: number, n2: number, z = Z95): Interval {
  const p1 = n1 > 0 ? x1 / n1 : 0;
  const p2 = n2 > 0 ? x2 / n2 : 0;
  const a = wilsonInterval(x1, n1, z);
  const b = wilsonInterval(x2, n2, z);
  const d = p1 - p2;
  return {
    lower: d - Math.sqrt((p1 - a.lower) ** 2 + (b.upper - p2) ** 2),
    upper: d + Math.sqrt((a.upper - p1) ** 2 + (p2 - b.lower) ** 2),
  };
}

/** The Wald interval of p1 − p2 (for comparison; too narrow with few conversions). */
export function waldInterval(x1: number, n1: number, x2: number, n2: number, z = Z95): Interval {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const half = z * Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  return { lower: p1 - p2 - half, upper: p1 - p2 + half };
}

export interface ArmCounts {
  label: string;
  customers: number;
  conversions: number;
}

export interface Comparison {
  /** Conversion rate of the arm minus that of the baseline. */
  difference: number;
  interval: Interval;
  verdict: 'better' | 'worse' | 'unclear' | 'no-data';
  sentence: string;
}

/** Fewer customers than this in either arm: too early to say anything. */
export const MIN_CUSTOMERS_PER_ARM = 20;

/** An arm against the baseline, with the sentence a marketer reads. */
export function compareArms(arm: ArmCounts, baseline: ArmCounts): Comparison {
  const rate = (counts: ArmCounts) => (counts.customers > 0 ? counts.conversions / counts.customers : 0);
  const difference = rate(arm) - rate(baseline);
  const interval = newcombeInterval(arm.conversions, arm.customers, baseline.conversions, baseline.customers);
  if (arm.customers < MIN_CUSTOMERS_PER_ARM || baseline.customers < MIN_CUSTOMERS_PER_ARM)
    return {
      difference,
      interval,
      verdict: 'no-data',
      sentence: `Not enough data yet: ${arm.label} and ${baseline.label} need at least ${MIN_CUSTOMERS_PER_ARM} customers each.`,
    };
  if (interval.lower > 0)
    return {
      difference,
      interval,
      verdict: 'better',
      sentence: `${arm.label} converts better than ${baseline.label}; the difference is likely real.`,
    };
  if (interval.upper < 0)
    return {
      difference,
      interval,
      verdict: 'worse',
      sentence: `${arm.label} converts worse than ${baseline.label}; the difference is likely real.`,
    };
  return {
    difference,
    interval,
    verdict: 'unclear',
    sentence: `Not enough data yet to tell ${arm.label} and ${baseline.label} apart.`,
  };
}
