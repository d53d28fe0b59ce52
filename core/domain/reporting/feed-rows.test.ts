import { strict as assert } from 'node:assert';
import { DEFAULT_TENANT_SETTINGS } from '../tenant-settings.js';
import { asServiceId, asUserId } from '../ids.js';
import { instantOf } from '../instant.js';
import { aTask } from '../../../test/builders.js';
import {
  eventRows,
  feedPrivacy,
  MASK,
  outcomeOf,
  stateRow,
  taskRow,
  type FeedReader,
} from './feed-rows.js';

const privacy = DEFAULT_TENANT_SETTINGS.dataPrivacy;
const pseudonym = (v: string) => `p(${v})`;
const U = asUserId('u-1');

describe('the feed’s rows under the tenant’s data privacy settings', () => {
  const cases: [string, Partial<typeof privacy>, FeedReader, string | null, string | null][] = [
    // setting, reader → customer id, person id
    ['default, tenant', {}, 'tenant', 'c-p(customer:+41 79)', 'u-1'],
    ['share PII, tenant', { sharePii: true }, 'tenant', '+41 79', 'u-1'],
    ['default, partner', {}, 'partner', MASK, `${MASK}-p(user:u-1)`],
    [
      'partner sees both, no PII',
      { partnerSeesUserIdentifiers: true, partnerSeesCustomerIdentifiers: true },
      'partner',
      'c-p(customer:+41 79)',
      'u-1',
    ],
    [
      'partner sees both, PII',
      { partnerSeesUserIdentifiers: true, partnerSeesCustomerIdentifiers: true, sharePii: true },
      'partner',
      '+41 79',
      'u-1',
    ],
    ['partner sees people only', { partnerSeesUserIdentifiers: true }, 'partner', MASK, 'u-1'],
  ];
  for (const [name, settings, reader, customer, person] of cases)
    it(name, () => {
      const p = feedPrivacy({ ...privacy, ...settings }, reader, pseudonym);
      const row = taskRow(
        aTask('t1', {
          externalId: '+41 79',
          subject: 'Jane',
          acceptedBy: U,
          acceptedAt: instantOf(5),
        }),
        p,
      );
      assert.equal(row.CustomerId, customer);
      assert.equal(row.AcceptedBy, person);
      assert.equal(row.Subject, customer === '+41 79' ? 'Jane' : null);
    });

  it('words each outcome', () => {
    assert.equal(outcomeOf({ state: 'Queued', acceptedAt: null }), 'Waiting');
    assert.equal(outcomeOf({ state: 'Canceled', acceptedAt: null }), 'Abandoned');
    assert.equal(outcomeOf({ state: 'Canceled', acceptedAt: instantOf(1) }), 'Canceled');
    assert.equal(outcomeOf({ state: 'Completed', acceptedAt: instantOf(1) }), 'Completed');
  });

  it('gives an offer one event per person, keyed so they sort as their steps', () => {
    const p = feedPrivacy(privacy, 'tenant', pseudonym);
    const to = Array.from({ length: 12 }, (_, i) => asUserId(`u${i}`));
    const ids = eventRows('t:1:a', 't', 's', { kind: 'offered', at: instantOf(1), to }, p).map(
      (e) => String(e.EventId),
    );
    assert.equal(ids.length, 12);
    assert.deepEqual([...ids].sort(), ids);
  });

  it('shows how long a state lasted only with “show time in state”', () => {
    const step = {
      kind: 'state' as const,
      at: instantOf(1_000),
      before: null,
      after: { presence: 'Available' as const, engagement: null, serviceId: null, rona: false },
    };
    const on = feedPrivacy({ ...privacy, showTimeInState: true }, 'tenant', pseudonym);
    const off = feedPrivacy({ ...privacy, showTimeInState: false }, 'tenant', pseudonym);
    assert.equal(stateRow('x', U, step, 4_000, on).DurationMs, 3_000);
    assert.equal(stateRow('x', U, step, 4_000, off).DurationMs, null);
    assert.equal(stateRow('x', U, step, null, on).DurationMs, null, 'while it lasts');
    const active = {
      kind: 'active' as const,
      at: instantOf(1),
      serviceId: asServiceId('s'),
      active: true,
    };
    assert.equal(stateRow('x', U, active, 9, on).Kind, 'ActiveSwitch');
  });
});
