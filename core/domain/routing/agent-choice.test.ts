import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { asUserId } from '../ids.js';
import { instantOf } from '../instant.js';
import { BROADCAST_SIZE, chooseAgents, type Candidate } from './agent-choice.js';
import { queueExit } from './queue-exit.js';

const c = (id: string, idle: number, skills = {}): Candidate => ({
  userId: asUserId(id),
  idleSince: instantOf(idle),
  skills,
});

describe('chooseAgents', () => {
  it('round robin offers to the one idle longest', () => {
    assert.deepEqual(
      chooseAgents([c('ann', 300), c('bob', 100), c('cat', 200)], 'RoundRobin', null),
      ['bob'],
    );
  });

  it('breaks ties by id, so the same state always gives the same choice', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray([c('d', 5), c('b', 5), c('c', 5), c('a', 9)], { minLength: 4 }),
        (shuffled) => {
          assert.deepEqual(chooseAgents(shuffled, 'RoundRobin', null), ['b']);
        },
      ),
    );
  });

  it('broadcast offers to the ten longest idle', () => {
    const many = Array.from({ length: 15 }, (_, i) =>
      c(`u${String(i).padStart(2, '0')}`, 1000 - i),
    );
    const chosen = chooseAgents(many, 'Broadcast', null);
    assert.equal(chosen.length, BROADCAST_SIZE);
    assert.deepEqual(chosen.slice(0, 2), ['u14', 'u13']);
    assert.ok(!chosen.includes(asUserId('u00')));
  });

  it('chooses in any order of candidates exactly the first of them all sorted (ten for broadcast)', () => {
    const person = fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'),
      idle: fc.nat(5),
      en: fc.nat(3),
    });
    const policies = [
      null,
      { requiredSkills: { en: 1 }, order: 'LongestIdle' as const },
      { requiredSkills: { en: 0 }, order: 'MostQualified' as const },
    ];
    fc.assert(
      fc.property(
        fc.uniqueArray(person, { selector: (p) => p.id, maxLength: 12 }),
        fc.constantFrom('RoundRobin' as const, 'Broadcast' as const),
        fc.constantFrom(...policies),
        (people, type, policy) => {
          const candidates = people.map((p) => c(p.id, p.idle, { en: p.en }));
          const expected = candidates
            .filter((x) => (policy ? (x.skills.en ?? 0) >= (policy.requiredSkills.en ?? 0) : true))
            .sort(
              (a, b) =>
                (policy?.order === 'MostQualified' ? (b.skills.en ?? 0) - (a.skills.en ?? 0) : 0) ||
                a.idleSince - b.idleSince ||
                (a.userId < b.userId ? -1 : 1),
            )
            .slice(0, type === 'Broadcast' ? BROADCAST_SIZE : 1)
            .map((x) => x.userId);
          assert.deepEqual(chooseAgents(candidates, type, policy), expected);
        },
      ),
    );
  });

  it('a skill-based policy takes only qualified people, longest idle or most qualified first', () => {
    const people = [
      c('ann', 100, { en: 60 }),
      c('bob', 50, { en: 40 }),
      c('cat', 200, { en: 90, de: 10 }),
    ];
    const policy = { requiredSkills: { en: 50 }, order: 'LongestIdle' as const };
    assert.deepEqual(chooseAgents(people, 'Broadcast', policy), ['ann', 'cat']);
    assert.deepEqual(chooseAgents(people, 'RoundRobin', { ...policy, order: 'MostQualified' }), [
      'cat',
    ]);
  });
});

describe('queueExit', () => {
  const member = (
    available: boolean,
    presence: 'Available' | 'Offline' | 'Busy',
    reasons: string[] = [],
  ) => ({
    availability: { available, reasons: reasons as never },
    presence,
  });
  it('Direct Available when someone is free now', () =>
    assert.equal(
      queueExit([member(false, 'Busy', ['presence']), member(true, 'Available')]),
      'DirectAvailable',
    ));
  it('In Time Available when active people exist but none is free', () =>
    assert.equal(queueExit([member(false, 'Busy', ['presence'])]), 'InTimeAvailable'));
  it('No One Available when all are inactive or offline', () =>
    assert.equal(
      queueExit([member(false, 'Offline', ['presence']), member(false, 'Available', ['inactive'])]),
      'NoOneAvailable',
    ));
  it('No One Available for a service without members', () =>
    assert.equal(queueExit([]), 'NoOneAvailable'));
});
