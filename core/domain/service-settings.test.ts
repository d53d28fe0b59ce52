import { strict as assert } from 'node:assert';
import {
  applyServicePatch,
  DEFAULT_SERVICE_SETTINGS,
  distributionSettings,
  serviceSettingsPatch,
} from './service-settings.js';

describe('service settings', () => {
  it('defaults: round robin, Normal priority, ACW 150 s off, RONA reset 600 s not persistent', () => {
    const d = DEFAULT_SERVICE_SETTINGS.distribution;
    assert.equal(d.type, 'RoundRobin');
    assert.equal(d.priority, 'Normal');
    assert.deepEqual([d.acw.enabled, d.acw.seconds], [false, 150]);
    assert.deepEqual(d.rona, { persistent: false, resetSec: 600 });
    assert.deepEqual(d.presence, { busy: false, busyInMeeting: false, away: false });
  });

  const cases: [string, unknown, boolean][] = [
    ['RONA reset 10 s (minimum)', { distribution: { rona: { resetSec: 10 } } }, true],
    ['RONA reset 320 min (maximum)', { distribution: { rona: { resetSec: 19200 } } }, true],
    ['RONA reset 9 s', { distribution: { rona: { resetSec: 9 } } }, false],
    ['RONA reset 320 min + 1 s', { distribution: { rona: { resetSec: 19201 } } }, false],
    ['an unknown priority', { distribution: { priority: 'Urgent' } }, false],
    ['Nothing Else priority', { distribution: { priority: 'NothingElse' } }, true],
    ['an unknown distribution type', { distribution: { type: 'Random' } }, false],
    [
      'a skill level of 101',
      { distribution: { policy: { requiredSkills: { en: 101 }, order: 'LongestIdle' } } },
      false,
    ],
    ['an unknown field', { distribution: { colour: 'red' } }, false],
    ['a negative calling timeout', { distribution: { callingTimeoutSec: -1 } }, false],
    ['a service level threshold of 1 s', { distribution: { serviceLevelSec: 1 } }, true],
    ['a service level threshold of an hour', { distribution: { serviceLevelSec: 3600 } }, true],
    ['a service level threshold of 0 s', { distribution: { serviceLevelSec: 0 } }, false],
    ['a service level threshold over an hour', { distribution: { serviceLevelSec: 3601 } }, false],
    ['a service level threshold of 1.5 s', { distribution: { serviceLevelSec: 1.5 } }, false],
  ];
  for (const [name, patch, ok] of cases) {
    it(`${ok ? 'accepts' : 'refuses'} ${name}`, () =>
      assert.equal(serviceSettingsPatch.safeParse(patch).success, ok));
  }

  it('keeps a stored service level threshold when a patch leaves it out', () => {
    const set = applyServicePatch(
      DEFAULT_SERVICE_SETTINGS,
      serviceSettingsPatch.parse({ distribution: { serviceLevelSec: 45 } }),
    );
    const next = applyServicePatch(
      set,
      serviceSettingsPatch.parse({ distribution: { priority: 'High' } }),
    );
    assert.equal(next.distribution.serviceLevelSec, 45);
  });

  it('reads 20 s for a service stored before the threshold existed', () => {
    const { serviceLevelSec, ...before } = DEFAULT_SERVICE_SETTINGS.distribution;
    assert.equal(serviceLevelSec, 20);
    assert.equal(distributionSettings.parse(before).serviceLevelSec, 20);
  });

  it('merges nested groups field by field', () => {
    const next = applyServicePatch(DEFAULT_SERVICE_SETTINGS, {
      distribution: { acw: { seconds: 60 }, presence: { away: true } },
    });
    assert.deepEqual(next.distribution.acw, {
      ...DEFAULT_SERVICE_SETTINGS.distribution.acw,
      seconds: 60,
    });
    assert.deepEqual(next.distribution.presence, { busy: false, busyInMeeting: false, away: true });
    assert.deepEqual(next.extensions, DEFAULT_SERVICE_SETTINGS.extensions);
  });
});
