/** The error codes of API.md; the HTTP status travels with each. */
export type ApiErrorCode =
  | 'invalid_request'
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'license_required'
  | 'license_exhausted'
  | 'downgrade_blocked'
  | 'tenant_inactive'
  | 'limit_reached'
  | 'conflict'
  | 'policy_denied'
  | 'confirmation_required'
  | 'rate_limited'
  | 'internal';

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** An expected refusal, already phrased for the caller. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
    /** Response headers that belong to this answer (Retry-After). */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }

  static tooManyRequests(retryAfterSec: number, scope: 'tenant' | 'user'): ApiError {
    const who = scope === 'user' ? 'You have' : 'Your organization has';
    return new ApiError(
      429,
      'rate_limited',
      `${who} sent too many requests; try again in ${retryAfterSec} s.`,
      { retryAfterSec, scope },
      { 'Retry-After': String(retryAfterSec) },
    );
  }

  static notFound(what: string): ApiError {
    return new ApiError(404, 'not_found', `${what} was not found.`);
  }

  static forbidden(message = 'Your role does not allow this.'): ApiError {
    return new ApiError(403, 'forbidden', message);
  }

  static validation(problems: readonly FieldProblem[]): ApiError {
    const list = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    return new ApiError(400, 'validation_failed', `Some fields are not valid: ${list}`, problems);
  }
}
