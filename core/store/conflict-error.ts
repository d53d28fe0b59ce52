import { RestError } from '@azure/data-tables';

/**
 * Someone else changed (or created) the row since we read it: the ETag no longer
 * matches (412) or the row already exists (409). Use cases re-read and retry.
 */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  constructor(
    message: string,
    readonly table: string,
  ) {
    super(message);
  }
}

/** A row or table that should exist is missing (distinct from a lost race). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** Whether storage answered with one of these HTTP statuses. */
export function isStatus(error: unknown, ...statuses: number[]): error is RestError {
  return error instanceof RestError && statuses.includes(error.statusCode ?? 0);
}
