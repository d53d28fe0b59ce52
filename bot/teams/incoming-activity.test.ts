import { strict as assert } from 'node:assert';
import { checkActivity } from './incoming-activity.js';
import type { ServiceUrlPolicy } from './service-url-policy.js';

const dev: ServiceUrlPolicy = { hosts: [], allowLoopbackHttp: true, authenticated: false };
const good = {
  type: 'message',
  channelId: 'msteams',
  serviceUrl: 'http://127.0.0.1:56150/',
  from: { id: 'u1', aadObjectId: 'a1' },
  recipient: { id: 'bot' },
  conversation: { id: 'c1' },
  text: 'my services',
};

describe('an incoming activity is checked before botbuilder sees it', () => {
  it('passes a Teams message', () => assert.equal(checkActivity(good, dev).ok, true));

  const malformed: [string, unknown][] = [
    ['an empty object', {}],
    ['null', null],
    ['an array', [good]],
    ['a string', 'message'],
    ['a null type', { ...good, type: null }],
    ['an empty type', { ...good, type: '' }],
    ['no conversation', { ...good, conversation: undefined }],
    ['a conversation without id', { ...good, conversation: {} }],
    ['a conversation that is a string', { ...good, conversation: 'c1' }],
    ['no from', { ...good, from: undefined }],
    ['no recipient', { ...good, recipient: null }],
    ['a numeric text', { ...good, text: 42 }],
    ['membersAdded that is not a list', { ...good, membersAdded: { id: 'x' } }],
    ['a member without id', { ...good, membersAdded: [{}] }],
    ['no serviceUrl', { ...good, serviceUrl: undefined }],
    ['a file: serviceUrl', { ...good, serviceUrl: 'file:///etc/passwd' }],
    ['a javascript: serviceUrl', { ...good, serviceUrl: 'javascript:alert(1)' }],
    ['channelData that is a string', { ...good, channelData: 'x' }],
  ];
  for (const [name, body] of malformed) {
    it(`refuses ${name}, saying why in words`, () => {
      const check = checkActivity(body, dev);
      assert.equal(check.ok, false);
      if (!check.ok) assert.doesNotMatch(check.why, /TypeError|undefined|at \//);
    });
  }
});
