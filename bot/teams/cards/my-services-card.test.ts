import { strict as assert } from 'node:assert';
import { instantOf } from '../../../core/domain/instant.js';
import { aMembership, aService, anAgent, NOW } from '../../../test/builders.js';
import { myServicesCard } from './my-services-card.js';
import type { LicenseGap } from '../../../core/domain/routing/task-licenses.js';
import { asServiceId, asTaskId } from '../../../core/domain/ids.js';
import type { UnavailabilityReason } from '../../../core/domain/routing/task.js';

const helpdesk = aService('helpdesk', { name: 'IT Helpdesk' });

/** The card for one Teams-based service, as an agent with or without a missed task sees it. */
const cardFor = (active: boolean, ronaUntil: number | null, licenseGaps: LicenseGap[] = []) =>
  myServicesCard(
    {
      agent: anAgent('me', { ronaUntil: ronaUntil === null ? null : instantOf(ronaUntil) }),
      services: [
        {
          service: helpdesk,
          membership: aMembership('helpdesk', 'me', { active }),
          availability:
            ronaUntil === null
              ? { available: active, reasons: active ? [] : ['inactive'] }
              : { available: false, reasons: ['rona'] },
        },
      ],
      showTimeInState: true,
      licenseGaps,
    },
    NOW,
  );

describe('the My services card', () => {
  it('says whether I am Active beside the switch', () => {
    const on = JSON.stringify(cardFor(true, null));
    assert.ok(on.includes('You are Active in IT Helpdesk.'), on);
    assert.ok(on.includes('"title":"Switch off"'), on);
    const off = JSON.stringify(cardFor(false, null));
    assert.ok(off.includes('You are not Active in IT Helpdesk: you get none of its tasks.'), off);
    assert.ok(off.includes('"title":"Switch on"'), off);
  });

  it("offers I'm back while a missed task pauses me, and not otherwise", () => {
    const verbs = (ronaUntil: number | null) =>
      (cardFor(true, ronaUntil).actions ?? []).map((a) => a.verb);
    assert.deepEqual(verbs(NOW + 60_000), ['imBack', 'myServices']);
    assert.deepEqual(verbs(NOW - 1), ['myServices']);
    assert.deepEqual(verbs(null), ['myServices']);
  });

  it('says why not in plain text, not in warning yellow', () => {
    const card = JSON.stringify(cardFor(false, null));
    assert.ok(card.includes('Not available:'), card);
    assert.ok(!card.includes('"color":"Warning"'), card);
  });

  it('says which kinds of tasks I get none of for want of a license, and nothing when I hold them all', () => {
    const without = JSON.stringify(cardFor(true, null, [{ modality: 'Email', license: 'Email' }]));
    assert.ok(
      without.includes('You get no e-mails: they need an Email license, which an admin assigns.'),
      without,
    );
    assert.ok(!JSON.stringify(cardFor(true, null)).includes('You get no'));
  });
});

describe('the My services card with chats at once', () => {
  const holding = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      taskId: asTaskId(`chat-${i}`),
      serviceId: asServiceId('helpdesk'),
    }));
  const cardHolding = (chats: number, chatsAtOnce: number, reasons: UnavailabilityReason[]) =>
    JSON.stringify(
      myServicesCard(
        {
          agent: anAgent('me', { chats: holding(chats) }),
          services: [
            {
              service: aService(
                'helpdesk',
                { name: 'IT Helpdesk' },
                { distribution: { chatsAtOnce } },
              ),
              membership: aMembership('helpdesk', 'me'),
              availability: { available: reasons.length === 0, reasons },
            },
          ],
          showTimeInState: true,
          licenseGaps: [],
        },
        NOW,
      ),
    );

  it('says how many chats I hold of how many, where more may come, and when no more may', () => {
    const room = cardHolding(1, 3, []);
    assert.ok(room.includes('Available for further chats: in 1 of 3 chats.'), room);
    const full = cardHolding(3, 3, ['chats']);
    assert.ok(full.includes('Not available: In 3 of 3 chats.'), full);
  });
});
