import { strict as assert } from 'node:assert';
import { aTask } from '../../../test/builders.js';
import { asUserId } from '../ids.js';
import { instantOf } from '../instant.js';
import {
  callbackBody,
  callbackEvents,
  callbackUrlProblem,
  isPrivateAddress,
} from './task-callbacks.js';

const URL = 'https://flows.example.com/hook';
const ADELE = asUserId('adele');
const at = instantOf(1_000);

describe('task callbacks: the events a step makes', () => {
  const queued = aTask('t1', { callbackUrl: URL });
  const offered = { ...queued, state: 'Offered' as const, offeredTo: [ADELE] };
  const accepted = {
    ...offered,
    state: 'Accepted' as const,
    acceptedBy: ADELE,
    acceptedAt: instantOf(500),
  };
  const cases: [string, ReturnType<typeof aTask> | null, ReturnType<typeof aTask>, string[]][] = [
    ['created', null, queued, []],
    ['offered', queued, offered, []],
    ['accepted', offered, accepted, ['task.accepted']],
    ['completed', accepted, { ...accepted, state: 'Completed', endedAt: at }, ['task.completed']],
    [
      'canceled after accept',
      accepted,
      { ...accepted, state: 'Canceled', endedAt: at },
      ['task.canceled'],
    ],
    [
      'abandoned while ringing',
      offered,
      { ...offered, state: 'Canceled', endedAt: at },
      ['task.abandoned'],
    ],
    [
      'abandoned while queued',
      queued,
      { ...queued, state: 'Canceled', endedAt: at },
      ['task.abandoned'],
    ],
  ];
  for (const [name, before, after, expected] of cases)
    it(name, () =>
      assert.deepEqual(
        callbackEvents(before, after, at).map((e) => e.type),
        expected,
      ),
    );

  it('makes none for a task without a callback address', () =>
    assert.deepEqual(callbackEvents(offered, { ...accepted, callbackUrl: null }, at), []));

  it('tells a flow what it needs, as JSON', () => {
    const body = JSON.parse(
      callbackBody(
        'e1',
        { type: 'task.accepted', at: instantOf(500) },
        { ...accepted, externalId: 'INC-1' },
      ),
    );
    assert.deepEqual(body, {
      id: 'e1',
      type: 'task.accepted',
      occurredAt: '1970-01-01T00:00:00.500Z',
      tenantId: accepted.tenantId,
      serviceId: accepted.serviceId,
      taskId: accepted.id,
      externalId: 'INC-1',
      modality: 'Call',
      acceptedBy: 'adele',
    });
  });
});

describe('task callbacks: which addresses', () => {
  const refused: [string, RegExp][] = [
    ['http://flows.example.com/x', /https/],
    ['https://user:pw@flows.example.com/x', /user name/],
    ['https://localhost/x', /private or local/],
    ['https://127.0.0.1/x', /private or local/],
    ['https://10.1.2.3/x', /private or local/],
    ['https://192.168.0.10/x', /private or local/],
    ['https://172.20.0.1/x', /private or local/],
    ['https://169.254.169.254/latest/meta-data', /private or local/],
    ['https://[::1]/x', /private or local/],
    ['https://[fd00::1]/x', /private or local/],
    ['https://printer.local/x', /private or local/],
    ['not a url', /absolute/],
    [`https://flows.example.com/${'x'.repeat(2001)}`, /2000/],
  ];
  for (const [url, message] of refused)
    it(`refuses ${url.slice(0, 50)}`, () =>
      assert.match(callbackUrlProblem(url, false) ?? '', message));

  it('takes an https address on the internet', () => {
    assert.equal(
      callbackUrlProblem('https://prod-12.westeurope.logic.azure.com/workflows/x', false),
      null,
    );
    assert.equal(callbackUrlProblem('https://172.32.0.1/x', false), null);
  });

  it('takes this machine over http in dev mode only', () => {
    assert.equal(callbackUrlProblem('http://127.0.0.1:4321/hook', true), null);
    assert.match(callbackUrlProblem('http://127.0.0.1:4321/hook', false) ?? '', /https/);
    assert.match(callbackUrlProblem('http://10.0.0.1/hook', true) ?? '', /https/);
  });
});

describe('task callbacks: addresses inside the network', () => {
  const cases: [string, boolean][] = [
    ['10.1.2.3', true],
    ['172.31.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['100.64.0.1', true],
    ['100.128.0.1', false],
    ['169.254.169.254', true],
    ['127.0.0.53', true],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['255.255.255.255', true],
    ['8.8.8.8', false],
    ['::', true],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['ff02::1', true],
    ['2603:1030::5', false],
    ['::ffff:10.0.0.1', true],
    ['::ffff:a00:1', true],
    ['::ffff:808:808', false],
  ];
  for (const [ip, inside] of cases)
    it(`${ip}: ${inside ? 'inside' : 'the internet'}`, () =>
      assert.equal(isPrivateAddress(ip), inside));

  it('refuses an IPv4 address written as IPv6', () =>
    assert.match(
      callbackUrlProblem('https://[::ffff:10.0.0.1]/x', false) ?? '',
      /private or local/,
    ));
});
