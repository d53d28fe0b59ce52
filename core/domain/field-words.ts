import { z } from 'zod';

type Issue = Parameters<z.core.$ZodErrorMap>[0];

const TYPE_WORDS: Readonly<Record<string, string>> = {
  number: 'must be a number',
  int: 'must be a whole number',
  string: 'must be text',
  boolean: 'must be on or off (true or false)',
  object: 'must be a group of fields (a JSON object)',
  array: 'must be a list',
};

const list = (values: readonly unknown[]) =>
  values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');

/**
 * A refused field in words for people, for every check whose schema does not word it
 * itself: "enter a number" rather than "Invalid input: expected number, received null".
 */
export function issueWords(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null)
        return issue.expected === 'number' || issue.expected === 'int'
          ? 'enter a number'
          : 'is required';
      return TYPE_WORDS[issue.expected] ?? `must be ${issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${list(issue.values)}`
        : `must be one of: ${list(issue.values)}`;
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? 'must not be empty'
          : `must be at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `must name at least ${issue.minimum}`;
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `must name at most ${issue.maximum}`;
      return `must be at most ${issue.maximum}`;
    case 'unrecognized_keys':
      return `${issue.keys.length === 1 ? 'is not a field' : 'are not fields'} here: ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'is not in any of the accepted forms';
    case 'invalid_format':
      return issue.format === 'regex'
        ? 'is not in the expected form'
        : `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'invalid_key':
    case 'invalid_element':
      return 'holds something that is not valid';
    case 'custom':
      return undefined;
  }
}

/** Makes every schema of this process word its refusals for people (the API's edge). */
export function wordRefusalsForPeople(): void {
  z.config({ customError: (issue) => issueWords(issue) });
}
