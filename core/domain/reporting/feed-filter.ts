import { applied, VALUE_FUNCTIONS } from './feed-functions.js';
import {
  compareValues,
  FeedQueryError,
  type EdmType,
  type FeedEntity,
  type FeedRow,
  type FeedValue,
} from './feed-types.js';

/**
 * OData v4 `$filter` over the feed's properties: comparisons (`eq ne gt ge lt le`), `in`,
 * `and`, `or`, `not`, parentheses, `contains`, `startswith`, `endswith`, and the value
 * functions of feed-functions.ts (year(), date(), tolower() …). Literals: 'strings' (a quote
 * doubled inside), numbers, true, false, null, DateTimeOffsets (2026-12-01T00:00:00Z) and
 * days (2026-12-01). What Power BI folds into a feed's URL fits.
 */
export type Predicate = (row: FeedRow) => boolean;

type Operand =
  | { readonly k: 'prop'; readonly name: string; readonly type: EdmType }
  | { readonly k: 'lit'; readonly value: FeedValue; readonly type: EdmType | null }
  | {
      readonly k: 'fn';
      readonly name: string;
      readonly type: EdmType;
      readonly read: (row: FeedRow) => FeedValue;
    };

type Token = {
  readonly t: 'punct' | 'word' | 'string' | 'number' | 'date' | 'day';
  readonly v: string;
};

const MAX_LENGTH = 4000;
const MAX_DEPTH = 40;
const MAX_IN = 500;
const COMPARISONS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;
type Comparison = (typeof COMPARISONS)[number];
const FUNCTIONS = ['contains', 'startswith', 'endswith'] as const;
type TextFunction = (typeof FUNCTIONS)[number];

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:\d{2})/;
const DAY = /^\d{4}-\d{2}-\d{2}(?![T\d])/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;

const problem = (message: string) => new FeedQueryError('$filter', message);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let rest = text;
  while (rest.length) {
    const space = /^\s+/.exec(rest);
    if (space) {
      rest = rest.slice(space[0].length);
      continue;
    }
    const c = rest[0]!;
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: 'punct', v: c });
      rest = rest.slice(1);
      continue;
    }
    if (c === "'") {
      const end = /^'((?:[^']|'')*)'/.exec(rest);
      if (!end) throw problem('A text in quotes is not closed.');
      tokens.push({ t: 'string', v: end[1]!.replace(/''/g, "'") });
      rest = rest.slice(end[0].length);
      continue;
    }
    const match =
      ((m) => m && ({ t: 'date', v: m[0] } as const))(DATE.exec(rest)) ||
      ((m) => m && ({ t: 'day', v: m[0] } as const))(DAY.exec(rest)) ||
      ((m) => m && ({ t: 'number', v: m[0] } as const))(NUMBER.exec(rest)) ||
      ((m) => m && ({ t: 'word', v: m[0] } as const))(WORD.exec(rest));
    if (!match) throw problem(`"${rest.slice(0, 20)}" is not understood.`);
    tokens.push(match);
    rest = rest.slice(match.v.length);
  }
  return tokens;
}

class Parser {
  private at = 0;
  private depth = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly entity: FeedEntity,
  ) {}

  parse(): Predicate {
    const predicate = this.or();
    const left = this.tokens[this.at];
    if (left) throw problem(`"${left.v}" is not expected here.`);
    return predicate;
  }

  private peekWord(...words: string[]): boolean {
    const token = this.tokens[this.at];
    return token?.t === 'word' && words.includes(token.v);
  }

  private expect(v: string): void {
    const token = this.tokens[this.at];
    if (token?.v !== v) throw problem(`"${v}" is missing${token ? ` before "${token.v}"` : ''}.`);
    this.at++;
  }

  private or(): Predicate {
    if (++this.depth > MAX_DEPTH) throw problem('The filter is nested too deeply.');
    let left = this.and();
    while (this.peekWord('or')) {
      this.at++;
      const a = left;
      const b = this.and();
      left = (row) => a(row) || b(row);
    }
    this.depth--;
    return left;
  }

  private and(): Predicate {
    let left = this.not();
    while (this.peekWord('and')) {
      this.at++;
      const a = left;
      const b = this.not();
      left = (row) => a(row) && b(row);
    }
    return left;
  }

  private not(): Predicate {
    if (this.peekWord('not')) {
      this.at++;
      const inner = this.not();
      return (row) => !inner(row);
    }
    return this.comparison();
  }

  private comparison(): Predicate {
    const token = this.tokens[this.at];
    if (token?.v === '(') {
      this.at++;
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    if (token?.t === 'word' && (FUNCTIONS as readonly string[]).includes(token.v))
      return this.textFunction(token.v as TextFunction);
    const left = this.operand();
    if (this.peekWord('in')) return this.inList(left);
    const op = this.tokens[this.at];
    if (op?.t !== 'word' || !(COMPARISONS as readonly string[]).includes(op.v)) {
      if (left.k === 'prop' && left.type === 'Edm.Boolean') return (row) => row[left.name] === true;
      if (left.k === 'lit' && typeof left.value === 'boolean') return () => left.value === true;
      throw problem(
        `A comparison (eq, ne, gt, ge, lt, le or in) is missing after ${describe(left)}.`,
      );
    }
    this.at++;
    return compare(op.v as Comparison, left, this.operand());
  }

  private inList(left: Operand): Predicate {
    this.at++;
    this.expect('(');
    const values: FeedValue[] = [];
    for (;;) {
      const item = this.operand();
      if (item.k !== 'lit') throw problem('An in list holds values only.');
      checkTypes(left, item);
      values.push(item.value);
      if (values.length > MAX_IN) throw problem(`An in list holds at most ${MAX_IN} values.`);
      if (this.tokens[this.at]?.v !== ',') break;
      this.at++;
    }
    this.expect(')');
    const read = reader(left);
    return (row) => values.some((v) => compareValues(read(row), v) === 0);
  }

  private textFunction(name: TextFunction): Predicate {
    this.at++;
    this.expect('(');
    const a = this.operand();
    this.expect(',');
    const b = this.operand();
    this.expect(')');
    for (const o of [a, b])
      if (o.type !== 'Edm.String') throw problem(`${name} takes texts, not ${describe(o)}.`);
    const [ra, rb] = [reader(a), reader(b)];
    return (row) => {
      const x = ra(row);
      const y = rb(row);
      if (typeof x !== 'string' || typeof y !== 'string') return false;
      if (name === 'contains') return x.includes(y);
      return name === 'startswith' ? x.startsWith(y) : x.endsWith(y);
    };
  }

  private operand(): Operand {
    const token = this.tokens[this.at++];
    if (!token) throw problem('The filter ends too early.');
    switch (token.t) {
      case 'string':
        return { k: 'lit', value: token.v, type: 'Edm.String' };
      case 'number': {
        const value = Number(token.v);
        if (!Number.isFinite(value)) throw problem(`${token.v} is not a number the feed knows.`);
        return { k: 'lit', value, type: 'Edm.Int64' };
      }
      case 'date': {
        const value = Date.parse(token.v);
        if (Number.isNaN(value)) throw problem(`${token.v} is not a date and time.`);
        return { k: 'lit', value, type: 'Edm.DateTimeOffset' };
      }
      case 'day': {
        const value = Date.parse(`${token.v}T00:00:00Z`);
        if (Number.isNaN(value) || new Date(value).toISOString().slice(0, 10) !== token.v)
          throw problem(`${token.v} is not a calendar day.`);
        return { k: 'lit', value, type: 'Edm.Date' };
      }
      case 'word':
        return this.wordOperand(token.v);
      case 'punct':
        throw problem(`"${token.v}" is not expected here.`);
    }
  }

  private wordOperand(word: string): Operand {
    if (word === 'null') return { k: 'lit', value: null, type: null };
    const fn = VALUE_FUNCTIONS[word];
    if (fn && this.tokens[this.at]?.v === '(') {
      this.at++;
      const arg = this.operand();
      this.expect(')');
      if (arg.type !== fn.takes)
        throw problem(`${word} takes a ${fn.takes.slice(4)}, not ${describe(arg)}.`);
      const read = reader(arg);
      return { k: 'fn', name: word, type: fn.gives, read: (row) => applied(fn, read(row)) };
    }
    if (word === 'true' || word === 'false')
      return { k: 'lit', value: word === 'true', type: 'Edm.Boolean' };
    const property = this.entity.properties[word];
    if (!property)
      throw problem(
        `${this.entity.set} have no property ${word}. They have ${Object.keys(this.entity.properties).join(', ')}.`,
      );
    return { k: 'prop', name: word, type: property.type };
  }
}

const describe = (o: Operand): string =>
  o.k === 'prop'
    ? o.name
    : o.k === 'fn'
      ? `${o.name}(…)`
      : o.value === null
        ? 'null'
        : JSON.stringify(o.value);

function reader(o: Operand): (row: FeedRow) => FeedValue {
  if (o.k === 'fn') return o.read;
  if (o.k === 'prop') return (row) => row[o.name] ?? null;
  return () => o.value;
}

function checkTypes(a: Operand, b: Operand): void {
  if (a.type === null || b.type === null || a.type === b.type) return;
  throw problem(`${describe(a)} and ${describe(b)} are of different kinds and cannot be compared.`);
}

function compare(op: Comparison, left: Operand, right: Operand): Predicate {
  checkTypes(left, right);
  const [a, b] = [reader(left), reader(right)];
  const hasNull = left.type === null || right.type === null;
  if (hasNull && op !== 'eq' && op !== 'ne')
    throw problem('null can only be compared with eq or ne.');
  return (row) => {
    const x = a(row);
    const y = b(row);
    if (op === 'eq') return compareValues(x, y) === 0;
    if (op === 'ne') return compareValues(x, y) !== 0;
    // A missing value is neither greater nor less than anything (OData's rule).
    if (x === null || y === null) return false;
    const c = compareValues(x, y);
    return op === 'gt' ? c > 0 : op === 'ge' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
  };
}

/** Parses `$filter` for an entity set; a filter that does not fit is a FeedQueryError. */
export function parseFilter(text: string, entity: FeedEntity): Predicate {
  if (text.length > MAX_LENGTH)
    throw problem(`The filter is longer than ${MAX_LENGTH} characters.`);
  const tokens = tokenize(text);
  if (!tokens.length) throw problem('The filter is empty.');
  return new Parser(tokens, entity).parse();
}
