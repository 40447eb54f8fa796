/** The `Idempotency-Key` record of the public API: reserve, then complete or release. */
export { completeIdempotencyKey, releaseIdempotencyKey, reserveIdempotencyKey } from '@/db/store/api-keys';
