import { type ConsentAction, type ConsentState } from '@/lib/vocabulary';

/**
 * Which state a merged profile ends with for one purpose (or theme), given both profiles' states.
 * A withdrawal or objection on either profile wins over anything (objection being the stronger,
 * since it also stops legitimate-interest processing). Otherwise a grant carries over: it was
 * given by the same person, and its evidence stays in the other profile's ledger.
 */
const RESTRICTIVE_RANK: Partial<Record<ConsentState, number>> = { objected: 2, withdrawn: 1 };
const PERMISSIVE_RANK: Record<ConsentState, number> = {
  granted: 4,
  pending: 3,
  expired: 2,
  'not-asked': 1,
  withdrawn: 0,
  objected: 0,
};

export function stricterConsentState(a: ConsentState, b: ConsentState): ConsentState {
  const ra = RESTRICTIVE_RANK[a] ?? 0;
  const rb = RESTRICTIVE_RANK[b] ?? 0;
  if (ra || rb) return ra >= rb ? a : b;
  return PERMISSIVE_RANK[a] >= PERMISSIVE_RANK[b] ? a : b;
}

/** The ledger action that moves a profile into `state`. */
export function actionForState(state: ConsentState): ConsentAction | null {
  switch (state) {
    case 'granted':
      return 'grant';
    case 'withdrawn':
      return 'withdraw';
    case 'objected':
      return 'object';
    case 'pending':
      return 'request';
    case 'expired':
      return 'expire';
    case 'not-asked':
      return null;
    default: {
      const _exhaustive: never = state;
      return _exhaustive;
    }
  }
}
