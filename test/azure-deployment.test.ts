import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { CONFIG_NAMES, loadConfig } from '../bot/config.js';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const placeholders = (text: string) => [
  ...new Set([...text.matchAll(/\$\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '')),
];
const declaredIn = (envFile: string) =>
  read(envFile)
    .split('\n')
    .map((line) => /^(\w+)=/.exec(line)?.[1])
    .filter((name): name is string => Boolean(name));
/** What a yml step writes for the steps after it (writeToEnvironmentFile values, set-teamsfx-env). */
const writtenBy = (yml: string) => [
  ...[...yml.matchAll(/^\s+\w+: ([A-Z][A-Z0-9_]+)$/gm)].map((m) => m[1] ?? ''),
  ...[...yml.matchAll(/set-teamsfx-env (\w+)=/g)].map((m) => m[1] ?? ''),
];
const bicepOutputs = () =>
  [...read('infra/azure.bicep').matchAll(/^output (\w+) /gm)].map((m) => m[1] ?? '');
/** The toolkit's own: its environment, and secrets it keeps in env/.env.*.user. */
const BUILT_IN = ['TEAMSFX_ENV', 'AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME'];

describe('the Azure deployment files agree with each other and with the server', () => {
  const bicep = read('infra/azure.bicep');
  const bot = read('infra/botRegistration/azurebot.bicep');

  for (const [yml, envFile, extra] of [
    [
      'm365agents.yml',
      'env/.env.dev',
      [...bicepOutputs(), ...placeholders(read('infra/azure.parameters.json'))],
    ],
    ['m365agents.local.yml', 'env/.env.local', []],
  ] as const) {
    it(`${yml}: every variable it uses is declared in ${envFile} or written by a step`, () => {
      const text = read(yml);
      const known = new Set([...declaredIn(envFile), ...writtenBy(text), ...extra, ...BUILT_IN]);
      for (const name of placeholders(text))
        assert.ok(
          known.has(name) || name.startsWith('SECRET_'),
          `${yml} uses ${name}, which nothing provides`,
        );
    });
  }

  it('the manifest and the parameters use only what provisioning declares or writes', () => {
    const known = new Set([...declaredIn('env/.env.dev'), ...bicepOutputs(), ...BUILT_IN]);
    for (const file of [
      'appPackage/manifest.json',
      'infra/azure.parameters.json',
      'aad.manifest.json',
    ])
      for (const name of placeholders(read(file)))
        assert.ok(
          known.has(name) || name.startsWith('AAD_APP_ACCESS_AS_USER'),
          `${file} uses ${name}`,
        );
  });

  it('creates the bot under a user-assigned managed identity (Azure creates no new multi-tenant bots)', () => {
    assert.match(bot, /msaAppType: 'UserAssignedMSI'/);
    assert.match(bot, /msaAppMSIResourceId: identityResourceId/);
    assert.doesNotMatch(bot + bicep, /MultiTenant/);
  });

  it('runs Node 22 LTS, reaches tables by managed identity, and keeps no storage key anywhere', () => {
    assert.match(bicep, /linuxFxVersion: 'NODE\|22-lts'/);
    assert.match(bicep, /allowSharedKeyAccess: false/);
    assert.doesNotMatch(bicep, /listKeys|AccountKey|TABLES_CONNECTION_STRING|BOT_PASSWORD/);
    assert.match(
      bicep,
      /name: 'TABLES_ACCOUNT_URL', value: storage\.properties\.primaryEndpoints\.table/,
    );
  });

  it('sets only variables the server reads, and those make a server that starts', () => {
    const settings = [...bicep.matchAll(/\{ name: '(\w+)', value: /g)].map((m) => m[1] ?? '');
    const platform = ['SCM_DO_BUILD_DURING_DEPLOYMENT'];
    for (const name of settings)
      assert.ok(
        CONFIG_NAMES.includes(name) || platform.includes(name),
        `${name} is read by nobody`,
      );
    const sample: Record<string, string> = {
      HOST: '0.0.0.0',
      PORT: '8080',
      SEED: 'none',
      BOT_ID: '11111111-2222-4333-8444-555555555555',
      BOT_TYPE: 'UserAssignedMSI',
      BOT_TENANT_ID: '0d3e0000-0000-4000-8000-000000000001',
      AAD_APP_CLIENT_ID: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b',
      AAD_APP_ID_URI: 'api://svcrtdev.azurewebsites.net/5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b',
      SYSTEM_TENANT_ID: '0f0f0000-0000-4000-8000-00000000000f',
      TABLES_ACCOUNT_URL: 'https://svcrtdevst.table.core.windows.net/',
      AZURE_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      GRAPH_CLIENT_ID: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b',
      GRAPH_MANAGED_IDENTITY_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      PUBLIC_BASE_URL: 'https://svcrtdev.azurewebsites.net',
      TEAMS_APP_ID: '2f0c4a6e-1b3d-4e5f-8a7b-9c0d1e2f3a4b',
      APPLICATIONINSIGHTS_CONNECTION_STRING:
        'InstrumentationKey=00000000-0000-0000-0000-000000000000',
    };
    for (const name of settings.filter((n) => !platform.includes(n)))
      assert.ok(sample[name] !== undefined, `no sample value for ${name}`);
    const config = loadConfig(sample);
    assert.equal(config.devMode, false);
    assert.equal(config.BOT_TYPE, 'UserAssignedMSI');
    // Graph with no secret: the managed identity the SSO app trusts.
    assert.equal(config.GRAPH_CLIENT_SECRET, undefined);
    assert.equal(config.GRAPH_MANAGED_IDENTITY_CLIENT_ID, sample.AZURE_CLIENT_ID);
  });

  it('the SSO app puts security groups in tokens, so admin groups work with real Entra tokens', () => {
    const aad = JSON.parse(read('aad.manifest.json')) as {
      groupMembershipClaims: string;
      optionalClaims: { accessToken: { name: string }[] };
    };
    assert.equal(aad.groupMembershipClaims, 'SecurityGroup');
    assert.ok(aad.optionalClaims.accessToken.some((c) => c.name === 'groups'));
  });

  it('asks for exactly the Graph permissions the app uses: sign-in, and each one a Graph request of bot/graph names', () => {
    const aad = JSON.parse(read('aad.manifest.json')) as {
      requiredResourceAccess: {
        resourceAppId: string;
        resourceAccess: { id: string; type: string }[];
      }[];
    };
    const asked = aad.requiredResourceAccess.flatMap((r) =>
      r.resourceAccess.map((a) => `${r.resourceAppId}: ${a.id} (${a.type})`),
    );
    // What the requests need, as each names it for its refusal in words.
    const needed = new Set(
      readdirSync(new URL('bot/graph/', root))
        .filter((f) => f.endsWith('.ts') && !f.includes('.test.'))
        .flatMap((f) => [...read(`bot/graph/${f}`).matchAll(/'((?:[A-Z][A-Za-z]+\.)+All)'/g)])
        .map((m) => `Microsoft Graph: ${m[1] ?? ''} (Role)`),
    );
    assert.deepEqual(asked.sort(), ['Microsoft Graph: User.Read (Scope)', ...needed].sort());
    for (const permission of [
      'Presence.Read.All',
      'User.Read.All',
      'TeamMember.Read.All',
      'TeamsAppInstallation.ReadWriteSelfForUser.All',
      'TeamsAppInstallation.ReadSelfForTeam.All',
      'AppCatalog.Read.All',
    ])
      assert.ok(needed.has(`Microsoft Graph: ${permission} (Role)`), permission);
  });

  it('lets the operator role be given to people of the operator tenant, not only to apps', () => {
    const aad = JSON.parse(read('aad.manifest.json')) as {
      appRoles: { value: string; allowedMemberTypes: string[] }[];
    };
    const operator = aad.appRoles.find((r) => r.value === 'System.Operator');
    assert.deepEqual(operator?.allowedMemberTypes.sort(), ['Application', 'User']);
  });

  it('links the privacy statement and terms of use the tab ships', () => {
    const manifest = JSON.parse(read('appPackage/manifest.json')) as {
      developer: { privacyUrl: string; termsOfUseUrl: string };
    };
    for (const link of [manifest.developer.privacyUrl, manifest.developer.termsOfUseUrl]) {
      const file = /\/tab\/([\w-]+\.html)$/.exec(link)?.[1];
      assert.ok(file, link);
      assert.match(read(`tab/public/${file}`), /<main>/);
    }
  });
});
