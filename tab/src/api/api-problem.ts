/** One field the API refused, with its reason (`validation_failed` details). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** An error answer of the API (API.md "Errors"), or a failure to reach it. */
export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** The refused fields, when the API named them. */
  get fields(): FieldProblem[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (d): d is FieldProblem =>
        typeof d === 'object' &&
        d !== null &&
        typeof (d as FieldProblem).field === 'string' &&
        typeof (d as FieldProblem).message === 'string',
    );
  }

  /** The message for one field (`distribution.callingTimeoutSec`), if it was refused. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.message;
  }
}

/** The API's message for one field of a refused request, if it named that field. */
export const refusedField = (error: unknown, field: string): string | undefined =>
  error instanceof ApiProblem ? error.fieldMessage(field) : undefined;

/** Fluent Field's validation props for a message: in red when there is one. */
export const fieldValidation = (message: string | undefined) => ({
  validationState: message ? ('error' as const) : ('none' as const),
  validationMessage: message,
});

/** Words for any error a page catches: the API's own sentence where there is one. */
export function problemText(error: unknown): string {
  if (error instanceof ApiProblem) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
