/** Fixed-window request counters shared by all web processes (API keys, sign-ups, logins). */
export { hitRateLimit, type RateLimitResult } from '@/db/store/rate-limits';
