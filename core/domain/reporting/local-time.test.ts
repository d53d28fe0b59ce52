import { strict as assert } from 'node:assert';
import { instantOf } from '../instant.js';
import {
  addMonths,
  isTimeZone,
  lastDays,
  localDate,
  localHour,
  localMonth,
  startOfDay,
} from './local-time.js';

const utc = (iso: string) => instantOf(Date.parse(iso));
const HOUR = 3600_000;

describe('days and hours in a tenant’s time zone', () => {
  // [zone, day, when it begins, how long it is]
  const days = [
    ['UTC', '2026-03-29', '2026-03-29T00:00:00Z', 24],
    ['Europe/Zurich', '2026-03-28', '2026-03-27T23:00:00Z', 24],
    ['Europe/Zurich', '2026-03-29', '2026-03-28T23:00:00Z', 23], // clocks go forward at 02:00
    ['Europe/Zurich', '2026-10-25', '2026-10-24T22:00:00Z', 25], // and back at 03:00
    ['America/New_York', '2026-11-01', '2026-11-01T04:00:00Z', 25],
    ['Asia/Kolkata', '2026-01-01', '2025-12-31T18:30:00Z', 24], // half an hour off UTC
    ['Pacific/Chatham', '2026-01-01', '2025-12-31T10:15:00Z', 24], // three quarters
    // Chile moves its clocks at midnight: that day begins at 01:00, and is 23 hours long.
    ['America/Santiago', '2026-09-06', '2026-09-06T04:00:00Z', 23],
  ] as const;
  for (const [zone, day, begins, hours] of days)
    it(`${day} in ${zone} begins at ${begins} and lasts ${hours} hours`, () => {
      const start = startOfDay(day, zone);
      assert.equal(new Date(start).toISOString().replace('.000', ''), begins);
      assert.equal(localDate(start, zone), day);
      assert.notEqual(
        localDate(instantOf(start - 1), zone),
        day,
        'the moment before is the day before',
      );
      const next = lastDays(start, 1, zone);
      assert.equal(next.from, start);
      assert.equal((next.to - next.from) / HOUR, hours);
    });

  it('tells the hour of the day on the wall', () => {
    assert.equal(localHour(utc('2026-01-01T00:00:00Z'), 'Asia/Kolkata'), 5);
    assert.equal(localHour(utc('2026-07-01T21:59:59Z'), 'Europe/Zurich'), 23);
    assert.equal(localHour(utc('2026-07-01T22:00:00Z'), 'Europe/Zurich'), 0);
  });

  it('the last 7 days end with today and begin six local midnights before', () => {
    const now = utc('2026-03-30T12:00:00Z'); // a week across the spring clock change
    const week = lastDays(now, 7, 'Europe/Zurich');
    assert.equal(week.from, utc('2026-03-23T23:00:00Z'));
    assert.equal(week.to, utc('2026-03-30T22:00:00Z'));
    assert.equal((week.to - week.from) / HOUR, 7 * 24 - 1);
  });

  it('knows a time zone from a word that is none', () => {
    assert.equal(isTimeZone('Europe/Zurich'), true);
    assert.equal(isTimeZone('Mars/Olympus_Mons'), false);
  });
});

describe('months', () => {
  it('an instant’s month is its local one: New Year’s Eve in Zurich is already January', () => {
    const eve = instantOf(Date.UTC(2026, 11, 31, 23, 30));
    assert.equal(localMonth(eve, 'UTC'), '2026-12');
    assert.equal(localMonth(eve, 'Europe/Zurich'), '2027-01');
    assert.equal(localMonth(eve, 'America/New_York'), '2026-12');
  });

  it('counts months across years, both ways', () => {
    assert.deepEqual(
      [
        addMonths('2026-12', 1),
        addMonths('2026-01', -1),
        addMonths('2026-05', -17),
        addMonths('2026-05', 0),
      ],
      ['2027-01', '2025-12', '2024-12', '2026-05'],
    );
  });
});
