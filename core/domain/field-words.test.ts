import { strict as assert } from 'node:assert';
import { z } from 'zod';
import { issueWords } from './field-words.js';

/** The words a schema's refusal gets, with issueWords as the error map of this parse only. */
const wordsOf = (schema: z.ZodType, input: unknown) => {
  const result = schema.safeParse(input, { error: (issue) => issueWords(issue) });
  assert.ok(!result.success, 'refused');
  return result.error.issues.map((i) => i.message);
};

describe('refusals in words for people', () => {
  const cases: [string, z.ZodType, unknown, string][] = [
    ['an empty number field', z.object({ n: z.number() }), { n: null }, 'enter a number'],
    ['a missing text', z.object({ s: z.string() }), {}, 'is required'],
    ['text for a number', z.number(), 'ten', 'must be a number'],
    ['a number for text', z.string(), 5, 'must be text'],
    ['not on or off', z.boolean(), 'yes', 'must be on or off (true or false)'],
    ['an unknown choice', z.enum(['Low', 'High']), 'Mid', 'must be one of: Low, High'],
    ['below the least', z.number().min(5), 1, 'must be at least 5'],
    ['above the most', z.number().max(50), 99, 'must be at most 50'],
    ['empty text', z.string().min(1), '', 'must not be empty'],
    ['too long text', z.string().max(3), 'abcd', 'must be at most 3 characters'],
    ['an unknown field', z.object({}).strict(), { x: 1 }, 'is not a field here: x'],
  ];
  for (const [what, schema, input, words] of cases)
    it(`words ${what}: "${words}"`, () => {
      assert.deepEqual(wordsOf(schema, input), [words]);
    });

  it('leaves a schema’s own words alone', () => {
    const own = z.number({ error: 'the timeout, in seconds' }).min(5, 'at least 5 seconds');
    const result = own.safeParse(null, { error: (issue) => issueWords(issue) });
    assert.ok(!result.success);
    assert.equal(result.error.issues[0]?.message, 'the timeout, in seconds');
  });
});
