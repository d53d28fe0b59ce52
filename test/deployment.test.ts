import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

const root = new URL('../', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { hasInstallScript?: boolean; dev?: boolean }>;
};

/** The server's own source files (what runs in Azure), without tests and contracts (as the build). */
function serverSources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return serverSources(path);
    const test = path.endsWith('.test.ts') || path.endsWith('.contract.ts');
    return path.endsWith('.ts') && !test ? [path] : [];
  });
}

const packageOf = (specifier: string) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];

describe('what a deployment carries', () => {
  it('the server imports at run time only production dependencies and Node itself', () => {
    const builtins = new Set(builtinModules);
    for (const file of [...serverSources('bot'), ...serverSources('core')]) {
      const text = readFileSync(join(root, file), 'utf8');
      // Type-only imports vanish at build time.
      for (const match of text.matchAll(/^import (?!type )[^;]*? from '([^.'][^']*)'/gm)) {
        const name = packageOf(match[1] ?? '') ?? '';
        if (name.startsWith('node:') || builtins.has(name)) continue;
        assert.ok(
          pkg.dependencies[name],
          `${file} imports ${name}, which is not a production dependency`,
        );
      }
    }
  });

  it('ships no tab build packages, and Azurite only as an optional dependency', () => {
    for (const name of [
      'react',
      'react-dom',
      '@fluentui/react-components',
      '@microsoft/teams-js',
      'vite',
      'azurite',
    ])
      assert.equal(pkg.dependencies[name], undefined, `${name} is a production dependency`);
    assert.ok(
      pkg.optionalDependencies?.azurite,
      'embedded Azurite stays installable for one machine',
    );
  });

  it('declares, for every package with an install script, whether it may run', () => {
    const withScripts = Object.entries(lock.packages)
      .filter(([, meta]) => meta.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''));
    assert.ok(withScripts.length > 0);
    for (const name of withScripts)
      assert.notEqual(
        pkg.allowScripts?.[name],
        undefined,
        `${name} has an install script nobody decided on`,
      );
  });

  it('deploys to Azure without dev and optional dependencies', () => {
    const yml = readFileSync(join(root, 'm365agents.yml'), 'utf8');
    const deploy = yml.slice(yml.indexOf('\ndeploy:'), yml.indexOf('\npublish:'));
    const build = deploy.indexOf('args: run build');
    const prune = deploy.indexOf('args: prune --omit=dev --omit=optional');
    const zip = deploy.indexOf('azureAppService/zipDeploy');
    assert.ok(build > 0 && prune > build && zip > prune, 'build, then prune, then zip deploy');
  });
});
