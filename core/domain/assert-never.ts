/** Marks a branch the type system proves unreachable; throws if reached at run time (a bug). */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
