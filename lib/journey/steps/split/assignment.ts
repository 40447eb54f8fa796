/**
 * Split assignment, pure: a customer's stable number in [0, 1) for one split step, and the
 * branch that number falls into for a set of weights. The number depends only on the customer,
 * the journey and the step id, so a re-run, a retry or another worker lands on the same branch;
 * an assignment made under earlier weights is kept separately (the step's earlier outcome).
 */

export const SPLIT_BRANCHES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'] as const;
export type SplitBranch = (typeof SPLIT_BRANCHES)[number];
export const HOLDOUT = 'holdout';
export type SplitArm = SplitBranch | typeof HOLDOUT;

/** "A", "B", … and "Holdout". */
export function armLabel(arm: string): string {
  return arm === HOLDOUT ? 'Holdout' : arm.toUpperCase();
}

/**
 * cyrb53 (a public-domain 53-bit string hash with full avalanche): no crypto module, so the step
 * unit stays usable in the browser bundle the registry is part of, and it costs well under a µs.
 */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The customer's uniform number in [0, 1) for this split step of this journey. */
export function assignmentPoint(customerId: number, journeyId: number, nodeId: string): number {
  return hash53(`split:${journeyId}:${nodeId}:${customerId}`) / 2 ** 53;
}

export interface SplitWeights {
  /** One weight per branch, A first. */
  branches: number[];
  /** The holdout's weight; 0 = no holdout. */
  holdout: number;
}

/** The arms with a weight above zero, branches first, then the holdout. */
export function weightedArms(weights: SplitWeights): { arm: SplitArm; weight: number }[] {
  const arms: { arm: SplitArm; weight: number }[] = [];
  weights.branches.forEach((weight, index) => {
    const arm = SPLIT_BRANCHES[index];
    if (arm && weight > 0) arms.push({ arm, weight });
  });
  if (weights.holdout > 0) arms.push({ arm: HOLDOUT, weight: weights.holdout });
  return arms;
}

export function totalWeight(weights: SplitWeights): number {
  return (
    weights.branches.reduce((sum, weight) => sum + Math.max(0, weight), 0) + Math.max(0, weights.holdout)
  );
}

/** The arm a point in [0, 1) falls into: the weights laid out in order on [0, 1). */
export function armAt(point: number, weights: SplitWeights): SplitArm {
  const arms = weightedArms(weights);
  const total = arms.reduce((sum, arm) => sum + arm.weight, 0);
  let upper = 0;
  for (const { arm, weight } of arms) {
    upper += weight / total;
    if (point < upper) return arm;
  }
  // Rounding can leave the last sliver above the sum: it belongs to the last arm.
  return arms[arms.length - 1]?.arm ?? 'a';
}

/** An arm's share as a marketer reads it: "30 %", "33.3 %". */
export function shareOf(arm: SplitArm, weights: SplitWeights): string {
  const total = totalWeight(weights);
  const weight = arm === HOLDOUT ? weights.holdout : (weights.branches[SPLIT_BRANCHES.indexOf(arm)] ?? 0);
  return formatPercent(total > 0 ? (weight / total) * 100 : 0);
}

export function formatPercent(percent: number): string {
  const rounded = Math.round(percent * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} %`;
}
