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

  it('given a routing step, it reads and writes the routing rows through the unit of work', () => {
    const writesRoutingRows =
      /routing\.(openTasks|doneTasks|agents|queues|externalRefs)\.(insertOp|replaceOp|deleteOp|insert|replace|delete)\(|stores\.commit\(/;
    const steps = sources('core/app/routing').filter((file) => {
      const name = relative(ROOT, file);
      if (/\.contract\.ts$/.test(name)) return false;
      return ![
        'core/app/routing/routing-unit.ts', // the unit of work itself
        'core/app/routing/retention.ts', // purges ended tasks, no step
        'core/app/routing/card-outbox.ts', // takes drawn cards out, no routing row
      ].includes(name);
    });
    assert.ok(steps.some((f) => f.endsWith('task-actions.ts')));
    assert.deepEqual(
      steps
        .filter((file) => writesRoutingRows.test(readFileSync(file, 'utf8')))
        .map((f) => relative(ROOT, f)),
      [],
    );
  });

  it('given a tab test, it never hands a DOM node to an assertion (describing one blocks for a minute)', () => {
    // A failed assert.equal(node, null) describes the node with util.inspect, over jsdom's
    // whole object graph: inside waitFor, every failed try did, and blocked the event loop
    // for a minute on a loaded machine (a CPU profile showed 51 s in util.inspect). Assert
    // a boolean with a message instead: assert.ok(!screen.queryBy…(…), 'not shown').
    const nodeAsserted =
      /assert\.(equal|deepEqual|strictEqual|notEqual|notDeepEqual)\(\s*(screen\.query|within\([^)]*\)\.query|document\.querySelector)/;
    const offenders = sources('tab/src')
      .concat(
        readdirSync(join(ROOT, 'tab/src'), { recursive: true })
          .map(String)
          .filter((f) => /\.test\.tsx?$/.test(f))
          .map((f) => join(ROOT, 'tab/src', f)),
      )
      .filter((file) => nodeAsserted.test(readFileSync(file, 'utf8')))
      .map((f) => relative(ROOT, f));
    assert.deepEqual(offenders, []);
  });
});
