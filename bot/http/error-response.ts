import { ZodError } from 'zod';
import { ConflictError } from '../../core/store/conflict-error.js';
import { ApiError, type ApiErrorCode } from './api-error.js';
import { RefusalError } from './refusal-error.js';

export interface ErrorResponse {
  readonly status: number;
  readonly body: { readonly error: { code: ApiErrorCode; message: string; details?: unknown } };
  /** False for bugs and infrastructure failures: those are logged with their stack. */
  readonly expected: boolean;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Transport errors raised by restify itself (body parser, router), by their restify name. */
const RESTIFY_ERRORS: Record<string, [number, ApiErrorCode, string]> = {
  InvalidContentError: [400, 'invalid_request', 'The request body is not valid JSON.'],
  BadRequestError: [400, 'invalid_request', 'The request is malformed.'],
  ResourceNotFoundError: [404, 'not_found', 'There is no such route.'],
  NotFoundError: [404, 'not_found', 'There is no such route.'],
  MethodNotAllowedError: [405, 'method_not_allowed', 'This route does not accept that method.'],
  UnsupportedMediaTypeError: [
    415,
    'unsupported_media_type',
    'Send JSON (Content-Type: application/json).',
  ],
  PayloadTooLargeError: [413, 'payload_too_large', 'The request body is too large.'],
  RequestEntityTooLargeError: [413, 'payload_too_large', 'The request body is too large.'],
};

/** The one place where anything thrown becomes the API.md error shape. */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof ApiError) {
    const response = respond(error.status, error.code, error.message, error.details);
    return error.headers ? { ...response, headers: error.headers } : response;
  }
  if (error instanceof RefusalError) {
    const r = error.refusal;
    return respond(error.status, error.code, r.message, 'details' in r ? r.details : undefined);
  }
  if (error instanceof ZodError) {
    const problems = error.issues.map((i) => ({
      field: i.path.join('.') || '(body)',
      message: i.message,
    }));
    const e = ApiError.validation(problems);
    return respond(e.status, e.code, e.message, e.details);
  }
  if (error instanceof ConflictError) {
    return respond(409, 'conflict', 'Someone else changed this at the same time; please retry.');
  }
  const restify = error instanceof Error ? RESTIFY_ERRORS[error.name] : undefined;
  if (restify) return respond(...restify);
  return {
    ...respond(500, 'internal', 'Something went wrong on our side; it has been logged.'),
    expected: false,
  };
}

function respond(
  status: number,
  code: ApiErrorCode,
  message: string,
  details?: unknown,
): ErrorResponse {
  const error = details === undefined ? { code, message } : { code, message, details };
  return { status, body: { error }, expected: true };
}
