/**
 * The part of OData's `$filter` that Azure Table storage evaluates, as a predicate on a
 * stored entity, for the in-memory table account (see memory-tables.ts). It takes
 * comparisons (`eq ne gt ge lt le`) of a property with a string, number or boolean
 * literal, joined by `and`, `or`, `not` and parentheses. Anything else throws, so a
 * query the repositories start sending that this does not know fails the contract
 * tests instead of matching the wrong rows.
 */

type Literal = string | number | boolean;
type Entity = Readonly<Record<string, unknown>>;
export type EntityPredicate = (entity: Entity) => boolean;

const COMPARISONS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;
type Comparison = (typeof COMPARISONS)[number];

type Token =
  | { readonly kind: 'name'; readonly text: string }
  | { readonly kind: 'literal'; readonly value: Literal }
  | { readonly kind: 'open' | 'close' };

/** Azure names the keys with capitals on the wire; the SDK hands entities back in camel case. */
const PROPERTY_OF: Readonly<Record<string, string>> = {
  PartitionKey: 'partitionKey',
  RowKey: 'rowKey',
  Timestamp: 'timestamp',
};

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close' });
      i++;
    } else if (c === "'") {
      let value = '';
      for (i++; ; i++) {
        if (i >= filter.length) throw new SyntaxError(`Unterminated string in filter: ${filter}`);
        if (filter[i] === "'") {
          if (filter[i + 1] !== "'") break;
          i++;
        }
        value += filter[i];
      }
      i++;
      tokens.push({ kind: 'literal', value });
    } else {
      const word = /^[A-Za-z_][A-Za-z0-9_]*|^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(filter.slice(i));
      if (!word) throw new SyntaxError(`Unexpected "${c}" at ${i} in filter: ${filter}`);
      const text = word[0];
      i += text.length;
      if (/^-?\d/.test(text)) tokens.push({ kind: 'literal', value: Number(text) });
      else if (text === 'true' || text === 'false')
        tokens.push({ kind: 'literal', value: text === 'true' });
      else tokens.push({ kind: 'name', text });
    }
  }
  return tokens;
}

function compare(left: unknown, op: Comparison, right: Literal): boolean {
  // A missing property, or one of another type, matches no comparison (as in Azure).
  if (left === undefined || left === null || typeof left !== typeof right) return false;
  const l = left as Literal;
  switch (op) {
    case 'eq':
      return l === right;
    case 'ne':
      return l !== right;
    case 'gt':
      return l > right;
    case 'ge':
      return l >= right;
    case 'lt':
      return l < right;
    case 'le':
      return l <= right;
  }
}

/** Parses a filter into a predicate; throws SyntaxError on what Azure's subset here lacks. */
export function parseODataFilter(filter: string): EntityPredicate {
  const tokens = tokenize(filter);
  let at = 0;
  const peekWord = () => {
    const t = tokens[at];
    return t?.kind === 'name' ? t.text : undefined;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at token ${at} in filter: ${filter}`);
  };

  const or = (): EntityPredicate => {
    const parts = [and()];
    while (peekWord() === 'or') {
      at++;
      parts.push(and());
    }
    return parts.length === 1 ? (parts[0] as EntityPredicate) : (e) => parts.some((p) => p(e));
  };
  const and = (): EntityPredicate => {
    const parts = [unary()];
    while (peekWord() === 'and') {
      at++;
      parts.push(unary());
    }
    return parts.length === 1 ? (parts[0] as EntityPredicate) : (e) => parts.every((p) => p(e));
  };
  const unary = (): EntityPredicate => {
    if (peekWord() === 'not') {
      at++;
      const inner = unary();
      return (e) => !inner(e);
    }
    const t = tokens[at];
    if (t?.kind === 'open') {
      at++;
      const inner = or();
      if (tokens[at]?.kind !== 'close') fail('Expected ")"');
      at++;
      return inner;
    }
    return comparison();
  };
  const comparison = (): EntityPredicate => {
    const property = tokens[at++];
    const op = tokens[at++];
    const value = tokens[at++];
    if (property?.kind !== 'name') return fail('Expected a property name');
    if (op?.kind !== 'name' || !(COMPARISONS as readonly string[]).includes(op.text))
      return fail('Expected a comparison (eq, ne, gt, ge, lt, le)');
    if (value?.kind !== 'literal') return fail('Expected a literal');
    const key = PROPERTY_OF[property.text] ?? property.text;
    const operator = op.text as Comparison;
    return (e) => compare(e[key], operator, value.value);
  };

  const predicate = or();
  if (at !== tokens.length) fail('Unexpected text');
  return predicate;
}
