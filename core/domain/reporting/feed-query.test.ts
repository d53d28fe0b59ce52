import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { TASKS } from './feed-entities.js';
import { parseFilter } from './feed-filter.js';
import {
  compareSortValues,
  inKeyOrder,
  parseFeedQuery,
  skipToken,
  sortValues,
} from './feed-query.js';
import { FeedQueryError, type FeedRow } from './feed-types.js';

const at = (iso: string) => Date.parse(iso);
const task = (over: Partial<Record<string, string | number | null>>): FeedRow => ({
  AcceptedAt: at('2026-12-01T08:00:04Z'),
  TaskId: 't1',
  ServiceId: 'svc-a',
  Modality: 'Call',
  Outcome: 'Completed',
  EnqueuedAt: at('2026-12-01T08:00:00Z'),
  WaitMs: 4_000,
  Subject: 'Printer',
  AcceptedBy: 'u1',
  ...over,
});

describe('the feed’s $filter', () => {
  const cases: [string, FeedRow, boolean][] = [
    ["ServiceId eq 'svc-a'", task({}), true],
    ["ServiceId ne 'svc-a'", task({}), false],
    ["Modality eq 'Call' and Outcome eq 'Abandoned'", task({}), false],
    ["Modality eq 'Im' or Outcome eq 'Completed'", task({}), true],
    ["not (Modality eq 'Im')", task({}), true],
    ["Outcome in ('Abandoned', 'Completed')", task({}), true],
    ['EnqueuedAt ge 2026-12-01T00:00:00Z and EnqueuedAt lt 2026-12-02T00:00:00Z', task({}), true],
    ['EnqueuedAt ge 2026-12-01T09:30:00+01:00', task({}), false],
    ['EnqueuedAt lt 2026-12-01T09:00:00.5+01:00', task({}), true],
    ['WaitMs gt 3000', task({}), true],
    ['WaitMs le 3999', task({}), false],
    ['WaitMs eq null', task({ WaitMs: null }), true],
    ['WaitMs gt 0', task({ WaitMs: null }), false],
    ['WaitMs lt 10', task({ WaitMs: null }), false],
    ["contains(Subject, 'rint')", task({}), true],
    ["startswith(Subject,'Print') and endswith(Subject,'er')", task({}), true],
    ["contains(Subject, 'x')", task({ Subject: null }), false],
    ["Subject eq 'it''s'", task({ Subject: "it's" }), true],
    ["((ServiceId eq 'svc-a'))", task({}), true],
    [
      'year(EnqueuedAt) eq 2026 and month(EnqueuedAt) eq 12 and day(EnqueuedAt) eq 1',
      task({}),
      true,
    ],
    [
      'hour(EnqueuedAt) eq 8 and minute(EnqueuedAt) eq 0 and second(EnqueuedAt) eq 0',
      task({}),
      true,
    ],
    ['date(EnqueuedAt) eq 2026-12-01', task({}), true],
    ['date(EnqueuedAt) ge 2026-12-02', task({}), false],
    ["tolower(Subject) eq 'printer' and toupper(Subject) eq 'PRINTER'", task({}), true],
    ["trim(Subject) eq 'Printer' and length(Subject) eq 9", task({ Subject: ' Printer ' }), true],
    ['year(AcceptedAt) eq 2026', task({ AcceptedAt: null }), false],
    ["contains(tolower(Subject), 'rin')", task({}), true],
  ];
  for (const [filter, row, expected] of cases)
    it(`${filter} → ${expected}`, () => assert.equal(parseFilter(filter, TASKS)(row), expected));

  const refused: [string, RegExp][] = [
    ['Nope eq 1', /no property Nope/],
    ["WaitMs eq 'x'", /different kinds/],
    ['WaitMs gt null', /null can only/],
    ["(ServiceId eq 'a'", /"\)" is missing/],
    ["ServiceId eq 'a", /not closed/],
    ['ServiceId', /comparison .* is missing/],
    ['', /empty/],
    ["ServiceId eq 'a' junk", /not expected/],
    ['contains(WaitMs, 1)', /takes texts/],
    ['EnqueuedAt gt 2026-13-45T99:00:00Z', /not a date/],
    ['WaitMs eq 1 ; drop', /not understood/],
    ['year(Subject) eq 1', /year takes a DateTimeOffset/],
    ['EnqueuedAt eq 2026-12-01', /different kinds/],
    ['date(EnqueuedAt) eq 2026-02-30', /not a calendar day/],
    ['year(EnqueuedAt', /"\)" is missing/],
    [`${'('.repeat(60)}WaitMs eq 1${')'.repeat(60)}`, /too deeply/],
  ];
  for (const [filter, message] of refused)
    it(`refuses ${filter.slice(0, 40) || '(empty)'}`, () =>
      assert.throws(
        () => parseFilter(filter, TASKS),
        (e: unknown) =>
          e instanceof FeedQueryError && e.option === '$filter' && message.test(e.message),
      ));

  it('never throws anything but its own error, whatever the text', () =>
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        try {
          parseFilter(text, TASKS)(task({}));
        } catch (e) {
          assert.ok(e instanceof FeedQueryError, String(e));
        }
      }),
    ));
});

describe('the feed’s query options', () => {
  it('reads $select, $orderby, $top, $skip and $count', () => {
    const q = parseFeedQuery(
      {
        $select: 'TaskId,WaitMs',
        $orderby: 'WaitMs desc, TaskId',
        $top: '5',
        $skip: '2',
        $count: 'true',
      },
      TASKS,
    );
    assert.deepEqual(q.select, ['TaskId', 'WaitMs']);
    assert.deepEqual(q.orderBy, [
      { property: 'WaitMs', descending: true },
      { property: 'TaskId', descending: false },
    ]);
    assert.deepEqual([q.top, q.skip, q.count], [5, 2, true]);
    assert.equal(inKeyOrder(q, TASKS), false);
    assert.equal(inKeyOrder(parseFeedQuery({ $orderby: 'TaskId asc' }, TASKS), TASKS), true);
    assert.equal(inKeyOrder(parseFeedQuery({}, TASKS), TASKS), true);
  });

  it('leaves parameters without a $ alone (the reporting key is one)', () =>
    assert.doesNotThrow(() => parseFeedQuery({ 'api-key': 'x', other: 'y' }, TASKS)));

  for (const [raw, option] of [
    [{ $top: '-1' }, '$top'],
    [{ $skip: '1.5' }, '$skip'],
    [{ $count: 'yes' }, '$count'],
    [{ $select: 'TaskId,Nope' }, '$select'],
    [{ $orderby: 'WaitMs up' }, '$orderby'],
    [{ $expand: 'x' }, '$expand'],
    [{ $whatever: 'x' }, '$whatever'],
    [{ $format: 'xml' }, '$format'],
    [{ $skiptoken: 'bm90IGpzb24' }, '$skiptoken'],
    [{ $skiptoken: skipToken(['a', 'b', 'c']) }, '$skiptoken'],
  ] as const)
    it(`refuses ${JSON.stringify(raw)}`, () =>
      assert.throws(
        () => parseFeedQuery(raw, TASKS),
        (e: unknown) => e instanceof FeedQueryError && e.option === option,
      ));

  it('orders nulls first ascending, the key breaking ties, and a skiptoken resumes after its row', () => {
    const q = parseFeedQuery({ $orderby: 'WaitMs' }, TASKS);
    const rows = [
      task({ TaskId: 'c', WaitMs: 5 }),
      task({ TaskId: 'b', WaitMs: null }),
      task({ TaskId: 'a', WaitMs: 5 }),
    ];
    const order = rows
      .map((r) => sortValues(r, q, TASKS))
      .sort((a, b) => compareSortValues(a, b, q))
      .map((v) => v.at(-1));
    assert.deepEqual(order, ['b', 'a', 'c']);
    const resumed = parseFeedQuery({ $orderby: 'WaitMs', $skiptoken: skipToken([5, 'a']) }, TASKS);
    assert.deepEqual(resumed.after, [5, 'a']);
    const after = rows.filter(
      (r) => compareSortValues(sortValues(r, q, TASKS), resumed.after!, q) > 0,
    );
    assert.deepEqual(
      after.map((r) => r.TaskId),
      ['c'],
    );
  });
});
