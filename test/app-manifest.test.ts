import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { AppManifestUtils } from '@microsoft/app-manifest';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const placeholders = (text: string) => [
  ...new Set([...text.matchAll(/\$\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '')),
];

/** What `teamsapp provision` would write for the dev environment. */
const SAMPLE: Record<string, string> = {
  TEAMS_APP_ID: '2f0c4a6e-1b3d-4e5f-8a7b-9c0d1e2f3a4b',
  BOT_ID: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  AAD_APP_CLIENT_ID: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b',
  TAB_ENDPOINT: 'https://svcrt-dev.azurewebsites.net',
  TAB_DOMAIN: 'svcrt-dev.azurewebsites.net',
  BOT_DOMAIN: 'svcrt-dev.azurewebsites.net',
  APP_NAME_SUFFIX: 'dev',
};

function pngSize(path: string): [number, number] {
  const bytes = readFileSync(new URL(path, root));
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('Teams app package', () => {
  const raw = read('appPackage/manifest.json');

  it('validates offline against its schema once the toolkit variables are filled in', async () => {
    const filled = raw.replace(
      /\$\{\{(\w+)\}\}/g,
      (_, name: string) => SAMPLE[name] ?? `missing-${name}`,
    );
    const manifest = JSON.parse(filled) as { $schema: string; manifestVersion: string };
    assert.match(manifest.$schema, /v1\.29\//);
    assert.equal(manifest.manifestVersion, '1.29');
    const errors = await AppManifestUtils.validateAgainstSchema(manifest as never);
    assert.deepEqual(errors, []);
  });

  it('is refused by the same validation when it breaks the schema (control)', async () => {
    const filled = raw.replace(/\$\{\{(\w+)\}\}/g, (_, name: string) => SAMPLE[name] ?? '');
    const manifest = { ...(JSON.parse(filled) as object), id: 'not-a-guid', bots: 'nope' };
    assert.notDeepEqual(await AppManifestUtils.validateAgainstSchema(manifest as never), []);
  });

  it('offers the bot in personal and team scope, My Services, a team tab and SSO', () => {
    const m = JSON.parse(raw) as {
      bots: { scopes: string[] }[];
      staticTabs: { name?: string; scopes: string[] }[];
      configurableTabs: { scopes: string[] }[];
      webApplicationInfo: { id: string; resource: string };
    };
    assert.deepEqual(m.bots[0]?.scopes, ['personal', 'team']);
    assert.ok(m.staticTabs.some((t) => t.name === 'My Services' && t.scopes.includes('personal')));
    assert.ok(m.configurableTabs.some((t) => t.scopes.includes('team')));
    assert.equal(m.webApplicationInfo.id, '${{AAD_APP_CLIENT_ID}}');
  });

  it('uses only variables that provisioning writes to the env files', () => {
    const declared = read('env/.env.dev')
      .split('\n')
      .map((line) => /^(\w+)=/.exec(line)?.[1])
      .filter(Boolean);
    for (const name of placeholders(raw))
      assert.ok(declared.includes(name), `${name} is not in env/.env.dev`);
  });

  it('ships a 192x192 color icon and a 32x32 outline icon', () => {
    assert.deepEqual(pngSize('appPackage/color.png'), [192, 192]);
    assert.deepEqual(pngSize('appPackage/outline.png'), [32, 32]);
  });
});

describe('Agents Playground config', () => {
  it('uses the demo tenant and demo people', async () => {
    const { DEMO } = await import('../core/app/demo-tenant.js');
    const yml = read('.m365agentsplayground.yml');
    assert.match(yml, new RegExp(`^tenantId: ${DEMO.tenant.id}$`, 'm'));
    const ids = [...yml.matchAll(/aadObjectId: (\S+)/g)].map((m) => m[1]);
    const demoIds: string[] = DEMO.users.map((u) => u.id);
    assert.ok(ids.length >= 5, 'the owner and the agents are there');
    for (const id of ids) assert.ok(demoIds.includes(id ?? ''), `${id} is not a demo user`);
  });
});
