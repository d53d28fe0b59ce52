import type { Decision, Refusal } from '../../core/domain/refusal.js';
import type { ApiErrorCode } from './api-error.js';
import { ok, type ApiReply } from './route.js';

/** The HTTP status of each kind of refusal (API.md "Errors"). */
export const REFUSAL_STATUS: Record<Refusal['code'], number> = {
  validation_failed: 400,
  forbidden: 403,
  not_found: 404,
  tenant_inactive: 409,
  policy_denied: 409,
  license_required: 409,
  license_exhausted: 409,
  downgrade_blocked: 409,
  confirmation_required: 409,
  limit_reached: 409,
};

/** Carries a core refusal to the one place that writes error responses. */
export class RefusalError extends Error {
  override readonly name = 'RefusalError';
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }

  get status(): number {
    return REFUSAL_STATUS[this.refusal.code];
  }

  get code(): ApiErrorCode {
    return this.refusal.code;
  }
}

/** A use case's decision as an answer: the view of its value, or its refusal as an error. */
export function reply<T>(
  decision: Decision<T>,
  view: (value: T) => unknown,
  status = 200,
): ApiReply {
  if (!decision.ok) throw new RefusalError(decision.refusal);
  return ok(view(decision.value), status);
}
