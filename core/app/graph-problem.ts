/**
 * Microsoft Graph refused or failed a request; `words` says why for an admin (no stack, no
 * token), `status` is Graph's HTTP status (0 when it could not be reached).
 */
export class GraphProblem extends Error {
  constructor(
    readonly status: number,
    readonly words: string,
  ) {
    super(words);
    this.name = 'GraphProblem';
  }
}

/** Any failure of a Graph request in words for an admin. */
export const graphWords = (error: unknown): string =>
  error instanceof GraphProblem ? error.words : 'Microsoft Graph could not be reached.';
