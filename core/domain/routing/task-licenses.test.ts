import { strict as assert } from 'node:assert';
import {
  holdsAll,
  laneLicenses,
  laneOf,
  licenseGaps,
  licenseGapShort,
  licenseGapWords,
  licensesFor,
} from './task-licenses.js';

describe('task licenses', () => {
  it('a chat needs Instant Messaging, an e-mail Email, an external task External Task, a call none', () => {
    assert.deepEqual(licensesFor({ modality: 'Im' }), ['InstantMessaging']);
    assert.deepEqual(licensesFor({ modality: 'Email' }), ['Email']);
    assert.deepEqual(licensesFor({ modality: 'ExternalTask' }), ['ExternalTask']);
    assert.deepEqual(licensesFor({ modality: 'Call' }), []);
  });

  it('a website chat also needs Interact', () => {
    assert.deepEqual(licensesFor({ modality: 'Im', channel: 'interact' }), [
      'InstantMessaging',
      'Interact',
    ]);
  });

  it('a lane names the licenses its tasks need, and gives them back', () => {
    for (const task of [
      { modality: 'Call' as const },
      { modality: 'Im' as const },
      { modality: 'Im' as const, channel: 'interact' as const },
      { modality: 'Email' as const },
    ])
      assert.deepEqual(laneLicenses(laneOf(task)), licensesFor(task));
    assert.equal(laneOf({ modality: 'Call' }), '');
  });

  it('someone holds a lane only with every license it needs', () => {
    assert.ok(holdsAll(['Email', 'InstantMessaging'], ['InstantMessaging']));
    assert.ok(holdsAll([], []));
    assert.ok(!holdsAll(['InstantMessaging'], ['InstantMessaging', 'Interact']));
  });

  it('says which kinds of tasks someone gets none of, and which license each needs (website chats: Interact, where a service takes them)', () => {
    assert.deepEqual(licenseGaps(['InstantMessaging', 'Email', 'ExternalTask']), []);
    assert.equal(licenseGapWords(licenseGaps(['InstantMessaging', 'Email', 'ExternalTask'])), null);
    assert.equal(
      licenseGapWords(licenseGaps(['InstantMessaging', 'ExternalTask'])),
      'You get no e-mails: they need an Email license, which an admin assigns.',
    );
    assert.equal(
      licenseGapWords(licenseGaps(['ExternalTask'])),
      'You get no chats or e-mails: they need Instant Messaging and Email licenses, which an admin assigns.',
    );
    assert.equal(licenseGapShort(licenseGaps(['Email'])), 'No license for chats or external tasks');
    assert.equal(licenseGapShort([]), null);
    assert.equal(
      licenseGapWords(
        licenseGaps(['InstantMessaging', 'Email', 'ExternalTask'], { websiteChats: true }),
      ),
      'You get no website chats: they need an Interact license, which an admin assigns.',
    );
    assert.deepEqual(
      licenseGaps(['InstantMessaging', 'Email', 'ExternalTask', 'Interact'], {
        websiteChats: true,
      }),
      [],
    );
    assert.equal(
      licenseGapWords(licenseGaps([])),
      'You get no chats, e-mails or external tasks: they need Instant Messaging, Email and External Task licenses, which an admin assigns.',
    );
  });
});
