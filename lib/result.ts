/**
 * The one way a domain call says it failed: it returns a `Result` whose failure carries a code,
 * a message a person can read and, where one field is to blame, its name. Exceptions are for bugs.
 * Routes, staff routes and server actions map a failure to HTTP with `httpError` (here, once).
 */

/** Every failure code and the HTTP status it answers with. A new code must choose its status here. */
export const ERROR_STATUS = {
  // 400: the request itself is wrong
  bad_request: 400,
  invalid_field: 400,
  malformed_json: 400,
  invalid_graph: 400,
  invalid_mapping: 400,
  empty_file: 400,
  no_header: 400,
  not_csv: 400,
  // 401/403: who is asking, and may they
  unauthorized: 401,
  missing_key: 401,
  invalid_key: 401,
  revoked_key: 401,
  expired_key: 401,
  forbidden: 403,
  insufficient_scope: 403,
  csrf: 403,
  // 404/410: nothing there (410: there was, and it is gone or used up)
  not_found: 404,
  unknown_customer: 404,
  gone: 410,
  // 409: the current state refuses it
  conflict: 409,
  invalid_state: 409,
  running: 409,
  not_live: 409,
  confirm_warnings: 409,
  notice_changed: 409,
  erased_address: 409,
  erased_customer: 409,
  merged_customer: 409,
  identity_conflict: 409,
  request_in_progress: 409,
  // 413
  payload_too_large: 413,
  batch_too_large: 413,
  // 422: well-formed, but it names something that does not fit
  unprocessable: 422,
  validation_failed: 422,
  unknown_purpose: 422,
  unknown_theme: 422,
  unknown_notice: 422,
  idempotency_key_reused: 422,
  // 429, 500
  rate_limited: 429,
  internal: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type HttpErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

export type Failure<C extends ErrorCode = ErrorCode> = {
  code: C;
  message: string;
  /** The input field to blame (dot path), when there is one. */
  field?: string;
  /** Extra top-level members of the error body (e.g. a publish's `warnings`), never personal data. */
  details?: Record<string, unknown>;
};

export type Ok<T> = { ok: true; value: T };
export type Err<E extends Failure = Failure> = { ok: false; error: E };
export type Result<T, E extends Failure = Failure> = Ok<T> | Err<E>;

export function ok(): Ok<undefined>;
export function ok<T>(value: T): Ok<T>;
export function ok<T>(value?: T): Ok<T | undefined> {
  return { ok: true, value };
}

export function err<C extends ErrorCode>(
  code: C,
  message: string,
  options: { field?: string; details?: Record<string, unknown> } = {},
): Err<Failure<C>> {
  const error: Failure<C> = { code, message };
  if (options.field) error.field = options.field;
  if (options.details) error.details = options.details;
  return { ok: false, error };
}

/** The API error body (README, API): `{"error":{"code","message","field?"}, ...details}`. */
export type ErrorBody = { error: { code: ErrorCode; message: string; field?: string } } & Record<
  string,
  unknown
>;

/** Maps a failure to its HTTP status and body; the only place that does. */
export function httpError(failure: Failure): { status: HttpErrorStatus; body: ErrorBody } {
  const { code, message, field, details } = failure;
  return {
    status: ERROR_STATUS[code],
    body: { ...details, error: { code, message, ...(field ? { field } : {}) } },
  };
}

/** A zod error as a failure naming the first wrong field (`invalid_field`). */
export function fieldFailure(
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>,
): Failure<'invalid_field'> {
  const issue = issues[0];
  const field = issue?.path.map(String).join('.') || undefined;
  return {
    code: 'invalid_field',
    message: issue ? `${field ?? 'body'}: ${issue.message}` : 'Invalid request body',
    ...(field ? { field } : {}),
  };
}
