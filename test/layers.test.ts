import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './processes.js';

/** Every TypeScript source file under a folder (tests left out). */
function sources(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) found.push(path);
    }
  };
  walk(join(ROOT, folder));
  return found;
}

/** The files of a folder importing a module whose path matches, with the import. */
function importing(folder: string, forbidden: RegExp, except: readonly string[] = []): string[] {
  return sources(folder).flatMap((file) => {
    const name = relative(ROOT, file);
    if (except.includes(name)) return [];
    const imports = [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    return imports.filter((spec) => spec && forbidden.test(spec)).map((spec) => `${name}: ${spec}`);
  });
}

describe('layers', () => {
  it('given the domain rules, they import neither storage nor use cases', () => {
    assert.deepEqual(importing('core/domain', /\/(store|app)\//), []);
  });

  it('given the bot, only the composition root reaches the store: the Teams part goes through core/app', () => {
    assert.deepEqual(
      importing('bot', /core\/store\//, [
        'bot/app.ts', // wires the stores into the use cases
        'bot/http/error-response.ts', // answers a lost race (ConflictError) with 409
        'bot/api/dev-routes.ts', // takes the Stores type from the composition root
      ]),
      [],
    );
  });

  it('given a committed change, only use cases distribute after it: the routes and the bot never ask the dispatcher', () => {
    assert.deepEqual(importing('bot', /routing\/dispatcher/, ['bot/app.ts']), []);
  });
});
