import { strict as assert } from 'node:assert';
import { themeFromQuery, withTheme } from './theme-choice';

describe('the theme in the address (dev mode)', () => {
  it('reads dark, contrast and light, and nothing else', () => {
    assert.equal(themeFromQuery('?theme=dark'), 'dark');
    assert.equal(themeFromQuery('?theme=Contrast'), 'contrast');
    assert.equal(themeFromQuery('?theme=light'), 'default');
    assert.equal(themeFromQuery('?theme=neon'), null);
    assert.equal(themeFromQuery(''), null);
  });

  it('keeps the page and its hash when the theme changes', () => {
    const dark = withTheme('http://127.0.0.1:3978/tab/?x=1#/services', 'dark');
    assert.equal(dark, 'http://127.0.0.1:3978/tab/?x=1&theme=dark#/services');
    assert.equal(withTheme(dark, 'default'), 'http://127.0.0.1:3978/tab/?x=1#/services');
  });
});
