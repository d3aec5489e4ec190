/**
 * The `wharf` administration commands against a real, secure server: `wharf login` with the
 * bootstrap owner, then service principals, role assignments, scope maps, tokens, the admin
 * user and registry settings through the management API; each result checked through the wire
 * (the management API, and the registry's token server for what a credential may do).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../helpers/tmp.js';
import { bootstrapOwner, identityToken, type BootstrapOwner } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';
import { runWharfCli, type CliResult } from '../helpers/wharf-cli.js';

/** Wharf: the token server caches a principal's grants this long (src/access/grant-resolver.ts). */
const GRANT_CACHE_MS = 3000;

function waitForGrantCache(): Promise<void> {
  return new Promise((r) => setTimeout(r, GRANT_CACHE_MS + 200));
}

function describeRun(args: string[], result: CliResult): string {
  return `wharf ${args.join(' ')} → exit ${result.code}\n--- stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}`;
}

/** Runs a command that must succeed; returns its stdout parsed as JSON when asked. */
async function ok(home: string, args: string[], options: { input?: string } = {}): Promise<CliResult> {
  const result = await runWharfCli(home, args, options);
  assert.equal(result.code, 0, describeRun(args, result));
  return result;
}

async function okJson<T = any>(home: string, args: string[]): Promise<T> {
  const result = await ok(home, [...args, '--output', 'json']);
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    assert.fail(`not JSON: ${describeRun(args, result)}`);
  }
}

/** The actions the registry's token server grants `user:password` for one scope (0 = refused). */
async function grantedActions(server: WharfServer, user: string, password: string, scope: string): Promise<{ status: number; actions: string[] }> {
  const challenge = (await server.request('/v2/')).headers['www-authenticate'] ?? '';
  const service = /service="([^"]+)"/.exec(challenge)?.[1];
  assert.ok(service, `a Bearer challenge naming the service: '${challenge}'`);
  const query = new URLSearchParams({ service, scope });
  const res = await server.request(`/oauth2/token?${query}`, {
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
  });
  if (res.status !== 200) return { status: res.status, actions: [] };
  const token = res.json<{ access_token: string }>().access_token;
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as {
    access?: { type: string; name: string; actions: string[] }[];
  };
  return { status: 200, actions: (claims.access ?? []).flatMap((a) => a.actions).sort() };
}

describe('wharf administration commands', () => {
  let server: WharfServer;
  let owner: BootstrapOwner;
  let home: string;
  let registryId: string;
  /** Every secret the tests saw, to check none leaks where it should not. */
  const secrets: string[] = [];
  /** Output of commands whose purpose is not to show a secret. */
  const quietOutput: string[] = [];

  before(async () => {
    server = await startWharf({ secure: true });
    owner = bootstrapOwner(server);
    secrets.push(owner.clientSecret);
    home = tempDir('wharf-home');
    registryId = `/subscriptions/${owner.subscriptionId}/resourceGroups/${owner.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/wharf`;
  });
  after(async () => server?.stop());

  it('says how to log in when there is no profile', async () => {
    const result = await runWharfCli(home, ['scope-map', 'list']);
    assert.equal(result.code, 1, describeRun(['scope-map', 'list'], result));
    assert.match(result.stderr, /^wharf: not logged in \(no profile at .*profile\.json\): run 'wharf login/m);
    assert.equal(result.stdout, '');
  });

  it('logs in with the data directory and keeps the profile private', async () => {
    const result = await ok(home, ['login', '--data', server.dataDir, '--server', server.baseUrl]);
    quietOutput.push(result.stdout, result.stderr);
    assert.match(result.stdout, new RegExp(`Logged in to ${server.baseUrl.replace(/[.]/g, '\\.')} as ${owner.clientId}`));
    const profileFile = join(home, 'profile.json');
    assert.equal(statSync(profileFile).mode & 0o777, 0o600);
    assert.equal(statSync(home).mode & 0o777, 0o700);
    const profile = JSON.parse(readFileSync(profileFile, 'utf8'));
    assert.equal(profile.server, server.baseUrl);
    assert.equal(profile.caFile, join(server.dataDir, 'tls', 'ca.crt'));
    assert.equal(profile.subscriptionId, owner.subscriptionId);
    assert.equal(profile.resourceGroup, owner.resourceGroup);

    const list = await ok(home, ['list']);
    quietOutput.push(list.stdout, list.stderr);
    assert.match(list.stdout, /^Name\s+ResourceGroup\s+Location\s+Sku\s+LoginServer/m);
    assert.match(list.stdout, new RegExp(`^wharf\\s+${owner.resourceGroup}\\s`, 'm'));
  });

  it("refuses a wrong client secret with the identity plane's error and saves nothing", async () => {
    const otherHome = tempDir('wharf-home-bad');
    const args = [
      'login',
      '--server',
      server.baseUrl,
      '--ca-file',
      server.caFile!,
      '--tenant',
      owner.tenantId,
      '--client-id',
      owner.clientId,
      '--client-secret-stdin',
    ];
    const result = await runWharfCli(otherHome, args, { input: 'not-the-secret\n' });
    assert.equal(result.code, 1, describeRun(args, result));
    assert.match(result.stderr, /^wharf: invalid_client: AADSTS7000215/m);
    assert.ok(!existsSync(join(otherHome, 'profile.json')));
  });

  let pullSp: { appId: string; password: string; tenant: string; displayName: string };

  it('creates a service principal with a role, like az ad sp create-for-rbac', async () => {
    pullSp = await okJson(home, ['sp', 'create', '--name', 'ci-pull', '--role', 'AcrPull', '-r', 'wharf']);
    secrets.push(pullSp.password);
    assert.equal(pullSp.displayName, 'ci-pull');
    assert.equal(pullSp.tenant, owner.tenantId);
    assert.match(pullSp.appId, /^[0-9a-f-]{36}$/);
    assert.ok(pullSp.password.length >= 20);

    const listed = await ok(home, ['sp', 'list']);
    quietOutput.push(listed.stdout);
    assert.match(listed.stdout, new RegExp(`^ci-pull\\s+${pullSp.appId}\\s`, 'm'));

    const assignments = await okJson<any[]>(home, ['role', 'assignment', 'list', '--assignee', pullSp.appId, '--scope', registryId]);
    assert.equal(assignments.length, 1, JSON.stringify(assignments));
    assert.match(assignments[0].properties.roleDefinitionId, /\/roleDefinitions\/7f951dda-4ed3-4680-a7ca-43fe172d538d$/);
    assert.equal(assignments[0].properties.scope.toLowerCase(), registryId.toLowerCase());

    // Through the registry: pull granted, push not.
    const grant = await grantedActions(server, pullSp.appId, pullSp.password, 'repository:hello/world:pull,push');
    assert.equal(grant.status, 200);
    assert.deepEqual(grant.actions, ['pull']);
  });

  let pusher: { appId: string; password: string; tenant: string };

  it('assigns a role on a repository to an existing service principal', async () => {
    pusher = await okJson(home, ['sp', 'create', '--name', 'ci-push']);
    secrets.push(pusher.password);
    assert.deepEqual((await grantedActions(server, pusher.appId, pusher.password, 'repository:team/app:pull,push')).actions, []);

    const args = ['role', 'assignment', 'create', '--assignee', pusher.appId, '--role', 'AcrPush', '-r', 'wharf', '--repository', 'team/app'];
    const assignment = await okJson(home, args);
    assert.equal(assignment.properties.scope, `${registryId}/repositories/team/app`);
    assert.match(assignment.properties.roleDefinitionId, /8311e382-0749-4cb8-b61a-304f252e45ec$/);
    await waitForGrantCache();

    assert.deepEqual((await grantedActions(server, pusher.appId, pusher.password, 'repository:team/app:pull,push')).actions, ['pull', 'push']);
    assert.deepEqual((await grantedActions(server, pusher.appId, pusher.password, 'repository:team/other:pull,push')).actions, []);

    const table = await ok(home, ['role', 'assignment', 'list', '--assignee', pusher.appId]);
    quietOutput.push(table.stdout);
    assert.match(table.stdout, /AcrPush\s+.*\/repositories\/team\/app\s/);

    const deleted = await ok(home, ['role', 'assignment', 'delete', '--ids', assignment.id]);
    quietOutput.push(deleted.stdout);
    await waitForGrantCache();
    assert.deepEqual((await grantedActions(server, pusher.appId, pusher.password, 'repository:team/app:pull,push')).actions, []);
  });

  it("resets a service principal's client secret", async () => {
    const reset = await okJson(home, ['sp', 'credential', 'reset', '--id', pusher.appId]);
    secrets.push(reset.password);
    assert.equal(reset.appId, pusher.appId);
    assert.notEqual(reset.password, pusher.password);
    await identityToken(server, { tenantId: owner.tenantId, clientId: pusher.appId, clientSecret: reset.password });
    await assert.rejects(identityToken(server, { tenantId: owner.tenantId, clientId: pusher.appId, clientSecret: pusher.password }), /AADSTS7000215/);
  });

  it('logs in as another service principal with the secret on stdin', async () => {
    const admin = await okJson(home, ['sp', 'create', '--name', 'second-admin', '--role', 'Owner', '--scope', `/subscriptions/${owner.subscriptionId}`]);
    secrets.push(admin.password);
    const otherHome = tempDir('wharf-home-sp');
    const login = await ok(
      otherHome,
      ['login', '--server', server.baseUrl, '--ca-file', server.caFile!, '--tenant', admin.tenant, '--client-id', admin.appId, '--client-secret-stdin'],
      { input: `${admin.password}\n` },
    );
    quietOutput.push(login.stdout, login.stderr);
    const registry = await okJson(otherHome, ['show']);
    assert.equal(registry.name, 'wharf');
    assert.equal(registry.id.toLowerCase(), registryId.toLowerCase());
  });

  it('creates a token with its scope map and passwords, like az acr token create --repository', async () => {
    const token = await okJson(home, ['token', 'create', '-n', 'ci-token', '-r', 'wharf', '--repository', 'hello/world', 'content/read', 'content/write']);
    const passwords = token.properties.credentials.passwords as { name: string; value: string }[];
    assert.equal(token.properties.credentials.username, 'ci-token');
    assert.deepEqual(passwords.map((p) => p.name).sort(), ['password1', 'password2']);
    secrets.push(...passwords.map((p) => p.value));
    assert.match(token.properties.scopeMapId, /\/scopeMaps\/ci-token-scope-map$/);

    const map = await okJson(home, ['scope-map', 'show', '-n', 'ci-token-scope-map']);
    assert.deepEqual([...map.properties.actions].sort(), ['repositories/hello/world/content/read', 'repositories/hello/world/content/write']);
    assert.equal(map.properties.description, 'Created by token: ci-token');

    const password1 = passwords.find((p) => p.name === 'password1')!.value;
    assert.deepEqual((await grantedActions(server, 'ci-token', password1, 'repository:hello/world:pull,push,delete')).actions, ['pull', 'push']);
    assert.deepEqual((await grantedActions(server, 'ci-token', password1, 'repository:other/repo:pull')).actions, []);
  });

  it('disables a token, and the token can no longer log in', async () => {
    const generated = await okJson(home, ['token', 'credential', 'generate', '-n', 'ci-token', '--password2', '--expiration-in-days', '7']);
    assert.equal(generated.username, 'ci-token');
    const password2 = generated.passwords.find((p: { name: string }) => p.name === 'password2');
    assert.ok(password2?.value, JSON.stringify(generated));
    secrets.push(password2.value);
    assert.ok(Date.parse(password2.expiry) > Date.now() + 6 * 86_400_000);
    assert.equal((await grantedActions(server, 'ci-token', password2.value, 'repository:hello/world:pull')).status, 200);

    const updated = await okJson(home, ['token', 'update', '-n', 'ci-token', '--status', 'disabled']);
    assert.equal(updated.properties.status, 'disabled');
    assert.equal((await grantedActions(server, 'ci-token', password2.value, 'repository:hello/world:pull')).status, 401);

    const list = await ok(home, ['token', 'list']);
    quietOutput.push(list.stdout);
    assert.match(list.stdout, /^ci-token\s+ci-token-scope-map\s+disabled\s/m);

    const trimmed = await okJson(home, ['token', 'credential', 'delete', '-n', 'ci-token', '--password1']);
    assert.deepEqual(
      trimmed.properties.credentials.passwords.map((p: { name: string }) => p.name),
      ['password2'],
    );
    const shown = await okJson(home, ['token', 'show', '-n', 'ci-token']);
    assert.deepEqual(
      shown.properties.credentials.passwords.map((p: { name: string }) => p.name),
      ['password2'],
    );
  });

  it('creates and updates a scope map; lists it with the system maps', async () => {
    const created = await okJson(home, [
      'scope-map',
      'create',
      '-n',
      'team-readers',
      '--description',
      'read team repos',
      '--repository',
      'team/app',
      'content/read',
      'metadata/read',
      '--repository',
      'team/tools',
      'content/read',
    ]);
    assert.deepEqual([...created.properties.actions].sort(), [
      'repositories/team/app/content/read',
      'repositories/team/app/metadata/read',
      'repositories/team/tools/content/read',
    ]);
    const updated = await okJson(home, [
      'scope-map',
      'update',
      '-n',
      'team-readers',
      '--add-repository',
      'team/web',
      'content/read',
      '--remove-repository',
      'team/tools',
      'content/read',
    ]);
    assert.deepEqual([...updated.properties.actions].sort(), [
      'repositories/team/app/content/read',
      'repositories/team/app/metadata/read',
      'repositories/team/web/content/read',
    ]);

    const table = await ok(home, ['scope-map', 'list']);
    quietOutput.push(table.stdout);
    for (const name of ['_repositories_pull', '_repositories_push', '_repositories_admin', 'team-readers', 'ci-token-scope-map']) {
      assert.match(table.stdout, new RegExp(`^${name}\\s`, 'm'), table.stdout);
    }
    const maps = await okJson<any[]>(home, ['scope-map', 'list']);
    assert.equal(maps.find((m) => m.name === '_repositories_pull')?.properties.type, 'SystemDefined');
    assert.equal(maps.find((m) => m.name === 'team-readers')?.properties.type, 'UserDefined');

    const token = await okJson(home, ['token', 'create', '-n', 'team-reader', '--scope-map', 'team-readers', '--no-passwords']);
    assert.equal(token.properties.credentials?.passwords?.length ?? 0, 0);
  });

  it('enables the admin user, shows its credentials and renews one password', async () => {
    const before = await runWharfCli(home, ['credential', 'show']);
    assert.equal(before.code, 1, describeRun(['credential', 'show'], before));
    assert.match(before.stderr, /^wharf: \w+: .*admin/im);

    const registry = await okJson(home, ['update', '-r', 'wharf', '--admin-enabled', 'true']);
    assert.equal(registry.properties.adminUserEnabled, true);

    const shown = await okJson(home, ['credential', 'show', '-r', 'wharf']);
    assert.equal(shown.username, 'wharf');
    const first = Object.fromEntries(shown.passwords.map((p: { name: string; value: string }) => [p.name, p.value])) as Record<string, string>;
    assert.ok(first.password && first.password2);
    secrets.push(first.password!, first.password2!);

    const renewed = await okJson(home, ['credential', 'renew', '-r', 'wharf', '--password-name', 'password']);
    const second = Object.fromEntries(renewed.passwords.map((p: { name: string; value: string }) => [p.name, p.value])) as Record<string, string>;
    secrets.push(second.password!);
    assert.notEqual(second.password, first.password);
    assert.equal(second.password2, first.password2);

    const table = await ok(home, ['credential', 'show', '--output', 'table']);
    assert.match(table.stdout, /^Username\s+Password\s+Password2/m);
    assert.ok(table.stdout.includes(second.password!));

    // Host routing caches registry settings for up to 2 s.
    await new Promise((r) => setTimeout(r, 2100));
    assert.equal((await grantedActions(server, 'wharf', first.password!, 'repository:hello/world:pull')).status, 401);
    assert.deepEqual((await grantedActions(server, 'wharf', second.password!, 'repository:hello/world:pull')).actions, ['pull']);
  });

  it('turns anonymous pull on and off', async () => {
    // Anonymous pull needs the Standard SKU or above, as on ACR.
    const on = await okJson(home, ['update', '--sku', 'Standard', '--anonymous-pull-enabled', 'true']);
    assert.equal(on.properties.anonymousPullEnabled, true);
    assert.equal(on.sku.name, 'Standard');
    const off = await okJson(home, ['update', '--anonymous-pull-enabled', 'false']);
    assert.equal(off.properties.anonymousPullEnabled, false);
  });

  it("prints the management API's error for an unknown registry", async () => {
    const args = ['show', '-r', 'nosuchregistry'];
    const result = await runWharfCli(home, args);
    assert.equal(result.code, 1, describeRun(args, result));
    assert.match(
      result.stderr,
      /^wharf: ResourceNotFound: The Resource 'Microsoft\.ContainerRegistry\/registries\/nosuchregistry' under resource group '[^']+' was not found/m,
    );
    assert.equal(result.stdout, '');

    // In the user's language: the locale, or --lang.
    const french = await runWharfCli(home, args, { env: { LANG: 'fr_FR.UTF-8', LC_ALL: '' } });
    assert.equal(french.code, 1, describeRun(args, french));
    assert.match(
      french.stderr,
      /^wharf: ResourceNotFound: La ressource 'Microsoft\.ContainerRegistry\/registries\/nosuchregistry' du groupe de ressources '[^']+' est introuvable/m,
    );
    const polish = await runWharfCli(home, ['--lang', 'pl', ...args]);
    assert.match(polish.stderr, /^wharf: ResourceNotFound: Nie odnaleziono zasobu 'Microsoft\.ContainerRegistry\/registries\/nosuchregistry'/m);

    const token = await runWharfCli(home, ['token', 'create', '-n', 'orphan-token', '-r', 'nosuchregistry', '--scope-map', '_repositories_pull']);
    assert.equal(token.code, 1);
    assert.match(token.stderr, /^wharf: ResourceNotFound: .*nosuchregistry/m);
  });

  it('deletes tokens, scope maps, service principals and registries', async () => {
    await ok(home, ['token', 'delete', '-n', 'team-reader']);
    await ok(home, ['scope-map', 'delete', '-n', 'team-readers']);
    const maps = await okJson<any[]>(home, ['scope-map', 'list']);
    assert.ok(!maps.some((m) => m.name === 'team-readers'));
    const tokens = await okJson<any[]>(home, ['token', 'list']);
    assert.deepEqual(
      tokens.map((t) => t.name),
      ['ci-token'],
    );

    const deleted = await ok(home, ['sp', 'delete', '--id', pullSp.appId]);
    assert.match(deleted.stdout, new RegExp(`Deleted service principal ${pullSp.appId}`));
    const principals = await okJson<any[]>(home, ['sp', 'list']);
    assert.ok(!principals.some((p) => p.appId === pullSp.appId));
    assert.equal((await grantedActions(server, pullSp.appId, pullSp.password, 'repository:hello/world:pull')).status, 401);

    const created = await okJson(home, ['create', '-n', 'scratch', '--sku', 'Standard']);
    assert.equal(created.properties.loginServer, `scratch.localhost:${server.port}`);
    const refused = await runWharfCli(home, ['delete', '-n', 'scratch']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /add --yes to confirm/);
    assert.match((await ok(home, ['list'])).stdout, /^scratch\s/m);
    await ok(home, ['delete', '-n', 'scratch', '--yes']);
    assert.doesNotMatch((await ok(home, ['list'])).stdout, /^scratch\s/m);
  });

  it("never prints a secret where showing it is not the command's purpose", () => {
    for (const text of quietOutput) {
      for (const secret of secrets) assert.ok(!text.includes(secret), `a secret appeared in output:\n${text}`);
    }
    for (const secret of secrets) assert.ok(!server.logs().includes(secret), 'a secret appeared in the server log');
  });

  it('logs out by deleting the profile', async () => {
    const result = await ok(home, ['logout']);
    assert.match(result.stdout, /^Logged out: deleted .*profile\.json/);
    assert.ok(!existsSync(join(home, 'profile.json')));
    const after = await runWharfCli(home, ['show']);
    assert.equal(after.code, 1);
    assert.match(after.stderr, /not logged in/);
  });
});
