import { strict as assert } from 'node:assert';
import { isValidId } from './ids.js';

describe('isValidId', () => {
  const valid = [
    '0d3e0000-0000-4000-8000-000000000001',
    'ou-sales',
    'a',
    'user_1.x',
    'A'.repeat(128),
  ];
  const invalid = [
    '',
    '-lead',
    'a/b',
    'a#b',
    'a?b',
    'a\\b',
    "o'hara",
    'a b',
    'A'.repeat(129),
    'tab\t',
  ];
  for (const id of valid)
    it(`accepts ${JSON.stringify(id.slice(0, 40))}`, () => assert.ok(isValidId(id)));
  for (const id of invalid)
    it(`refuses ${JSON.stringify(id.slice(0, 40))}`, () => assert.ok(!isValidId(id)));
});
