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

/** Words for any error a page catches: the API's own sentence where there is one. */
export function problemText(error: unknown): string {
  if (error instanceof ApiProblem) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
