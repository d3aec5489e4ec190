/**
 * The management plane through the wire: the ARM-compatible API (subscriptions, resource
 * groups, registries, admin credentials, scope maps, tokens, role assignments, managed
 * identities, audit queries) and the Graph subset (applications, service principals, users),
 * against a secure Wharf, signed in through its identity plane as the bootstrap owner and as
 * service principals with narrower roles. Error bodies are checked for ARM's (or Graph's)
 * shape, code and wording.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { agentFor, request, type HttpResponse } from '../helpers/http.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const API = '2023-07-01';
const ROLE = {
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  AcrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
  AcrPush: '8311e382-0749-4cb8-b61a-304f252e45ec',
};

interface Login {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

interface Owner extends Login {
  subscriptionId: string;
  resourceGroup: string;
}

interface ArmErrorBody {
  error: { code: string; message: string; target?: string; innerError?: Record<string, string> };
}

function errorOf(res: HttpResponse): ArmErrorBody['error'] {
  const body = res.json<ArmErrorBody>();
  assert.ok(body?.error, `expected an ARM error body, got ${res.status} ${res.text()}`);
  assert.equal(typeof body.error.code, 'string');
  assert.equal(typeof body.error.message, 'string');
  return body.error;
}

function expectError(res: HttpResponse, status: number, code: string, message?: RegExp): ArmErrorBody['error'] {
  const error = errorOf(res);
  assert.equal(res.status, status, `${res.status} ${res.text()}`);
  assert.equal(error.code, code, res.text());
  if (message) assert.match(error.message, message);
  return error;
}

describe('management API (ARM-compatible) and Graph subset', () => {
  let server: WharfServer;
  let owner: Owner;
  let ownerToken: string;
  let sub: string;
  let rgPath: string;
  /** A dispatcher that accepts the server certificate for any Host (for *.localhost host routing). */
  let anyName: ReturnType<typeof agentFor>;

  async function tokenFor(login: Login, scope = 'https://management.azure.com/.default'): Promise<string> {
    const res = await server.request(`/${login.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: login.clientId, client_secret: login.clientSecret, scope }).toString(),
    });
    assert.equal(res.status, 200, `token for ${login.clientId}: ${res.text()}`);
    return res.json<{ access_token: string }>().access_token;
  }

  /** An ARM call; api-version is added unless the path has one or `apiVersion` is null. */
  function arm(method: string, path: string, opts: { token?: string | null; body?: unknown; raw?: string; apiVersion?: string | null } = {}) {
    const version = opts.apiVersion === undefined ? API : opts.apiVersion;
    const url = version === null || path.includes('api-version=') ? path : `${path}${path.includes('?') ? '&' : '?'}api-version=${version}`;
    const token = opts.token === undefined ? ownerToken : opts.token;
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    return server.request(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  }

  async function armOk<T = any>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const res = await arm(method, path, { body, ...(token ? { token } : {}) });
    assert.ok(res.status >= 200 && res.status < 300, `${method} ${path}: ${res.status} ${res.text()}`);
    return res.json<T>();
  }

  /** A Graph application = service principal with one client secret, as `az ad sp create-for-rbac` makes it. */
  async function createServicePrincipal(displayName: string): Promise<Login & { objectId: string }> {
    const app = await armOk<{ id: string; appId: string }>('POST', '/v1.0/applications', { displayName });
    const sp = await armOk<{ id: string; appId: string }>('POST', '/v1.0/servicePrincipals', { appId: app.appId });
    assert.equal(sp.id, app.id, 'one application is one service principal');
    const password = await armOk<{ secretText: string }>('POST', `/v1.0/applications/${app.id}/addPassword`, {
      passwordCredential: { displayName: 'test' },
    });
    return { tenantId: owner.tenantId, clientId: app.appId, clientSecret: password.secretText, objectId: sp.id };
  }

  async function assign(principalId: string, role: string, scope: string): Promise<string> {
    const name = randomUUID();
    const res = await arm('PUT', `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`, {
      apiVersion: '2022-04-01',
      body: { properties: { roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${role}`, principalId } },
    });
    assert.equal(res.status, 201, res.text());
    return name;
  }

  /** The data plane of a registry, by its login server in Host. */
  function dataPlane(host: string, path: string, headers: Record<string, string> = {}) {
    return request(`${server.baseUrl}${path}`, { headers: { host, ...headers }, dispatcher: anyName });
  }

  const registryPath = (name: string, group = 'wharf') =>
    `/subscriptions/${sub}/resourceGroups/${group}/providers/Microsoft.ContainerRegistry/registries/${name}`;

  before(async () => {
    server = await startWharf({ secure: true });
    owner = JSON.parse(readFileSync(join(server.dataDir, 'private', 'bootstrap-owner.json'), 'utf8')) as Owner;
    sub = owner.subscriptionId;
    rgPath = `/subscriptions/${sub}/resourceGroups`;
    ownerToken = await tokenFor(owner);
    anyName = agentFor(readFileSync(server.caFile!, 'utf8'), { anyName: true });
  });
  after(async () => {
    await anyName?.close();
    await server?.stop();
  });

  describe('requests, authentication and errors', () => {
    it('refuses a request without a token with ARM 401 and a Bearer challenge naming the tenant', async () => {
      const res = await arm('GET', '/subscriptions', { token: null });
      expectError(res, 401, 'AuthenticationFailed', /'Authorization' header is missing/);
      assert.match(res.headers['www-authenticate'] ?? '', new RegExp(`^Bearer authorization_uri="${server.baseUrl}/${owner.tenantId}", error="invalid_token"`));
    });

    it('refuses a malformed header, a forged token and a token for another audience', async () => {
      const basic = await server.request('/subscriptions?api-version=2022-12-01', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
      expectError(basic, 401, 'AuthenticationFailed', /invalid format/);
      const forged = await arm('GET', '/subscriptions', { token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' });
      expectError(forged, 401, 'InvalidAuthenticationToken');
      const registryToken = await tokenFor(owner, 'https://containerregistry.azure.net/.default');
      const wrong = await arm('GET', '/subscriptions', { token: registryToken });
      expectError(wrong, 401, 'InvalidAuthenticationTokenAudience', /https:\/\/management\.azure\.com/);
    });

    it("accepts the audiences ARM clients ask for, including the server's own origin", async () => {
      for (const scope of ['https://management.core.windows.net//.default', `${server.baseUrl}/.default`, 'https://management.localhost/.default']) {
        const res = await arm('GET', '/subscriptions', { token: await tokenFor(owner, scope) });
        assert.equal(res.status, 200, `${scope}: ${res.text()}`);
      }
    });

    it('requires api-version, answers unknown paths and methods in ARM shape, and sets the request id headers', async () => {
      const missing = await arm('GET', '/subscriptions', { apiVersion: null });
      expectError(missing, 400, 'MissingApiVersionParameter', /api-version query parameter/);
      const unknown = await arm('GET', `/subscriptions/${sub}/providers/Microsoft.Nothing/things`);
      expectError(unknown, 404, 'InvalidResourceType');
      const method = await arm('POST', registryPath('wharf'), { body: {} });
      expectError(method, 405, 'MethodNotAllowed');
      assert.match(method.headers.allow ?? '', /PATCH/);
      const ok = await arm('GET', '/subscriptions');
      assert.ok(ok.headers['x-ms-request-id']);
      assert.equal(ok.headers['x-ms-correlation-request-id'], ok.headers['x-ms-request-id']);
    });

    it('answers bad JSON and wrongly typed fields with InvalidRequestContent', async () => {
      const bad = await arm('PATCH', registryPath('wharf'), { raw: '{"properties": ' });
      expectError(bad, 400, 'InvalidRequestContent', /could not be deserialized/);
      const array = await arm('PATCH', registryPath('wharf'), { raw: '[1,2]' });
      expectError(array, 400, 'InvalidRequestContent', /JSON object/);
      const typed = await arm('PATCH', registryPath('wharf'), { body: { properties: { adminUserEnabled: 'yes' } } });
      assert.equal(expectError(typed, 400, 'InvalidRequestContent', /adminUserEnabled/).target, 'properties.adminUserEnabled');
      const large = await arm('PATCH', registryPath('wharf'), { raw: `{"tags":{"a":"${'x'.repeat(1100 * 1024)}"}}` });
      expectError(large, 413, 'RequestEntityTooLarge');
    });
  });

  describe('subscriptions and resource groups', () => {
    it('lists the subscription of the tenant and reports an unknown one', async () => {
      const list = await armOk<{ value: { subscriptionId: string; tenantId: string; state: string }[] }>('GET', '/subscriptions');
      assert.deepEqual(
        list.value.map((s) => [s.subscriptionId, s.tenantId, s.state]),
        [[sub, owner.tenantId, 'Enabled']],
      );
      const one = await armOk<{ id: string }>('GET', `/subscriptions/${sub}`);
      assert.equal(one.id, `/subscriptions/${sub}`);
      const unknown = await arm('GET', `/subscriptions/${randomUUID()}/resourceGroups`);
      expectError(unknown, 404, 'SubscriptionNotFound', /could not be found/);
    });

    it('creates, reads and lists resource groups; HEAD tells whether one exists', async () => {
      const created = await arm('PUT', `${rgPath}/team`, { body: { location: 'local' } });
      assert.equal(created.status, 201, created.text());
      assert.equal(created.json().id, `${rgPath}/team`);
      assert.equal((await arm('PUT', `${rgPath}/team`, { body: { location: 'local' } })).status, 200);
      const moved = await arm('PUT', `${rgPath}/team`, { body: { location: 'westeurope' } });
      expectError(moved, 409, 'InvalidResourceLocation');
      const list = await armOk<{ value: { name: string }[] }>('GET', rgPath);
      assert.deepEqual(list.value.map((g) => g.name).sort(), ['team', 'wharf']);
      assert.equal((await arm('HEAD', `${rgPath}/TEAM`)).status, 204);
      assert.equal((await arm('HEAD', `${rgPath}/nothere`)).status, 404);
      expectError(await arm('GET', `${rgPath}/nothere`), 404, 'ResourceGroupNotFound', /Resource group 'nothere' could not be found/);
    });
  });

  describe('registries', () => {
    it("shows the default registry as ACR's Registry object", async () => {
      const registry = await armOk('GET', registryPath('wharf'));
      assert.equal(registry.id, registryPath('wharf'));
      assert.equal(registry.type, 'Microsoft.ContainerRegistry/registries');
      // The default registry's login server: localhost with the port, which resolves without DNS.
      assert.equal(registry.properties.loginServer, `localhost:${server.port}`);
      assert.equal(registry.properties.provisioningState, 'Succeeded');
      assert.equal(registry.properties.adminUserEnabled, false);
      assert.equal(registry.properties.anonymousPullEnabled, false);
      assert.deepEqual(registry.properties.networkRuleSet, { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] });
      assert.equal(registry.properties.publicNetworkAccess, 'Enabled');
      assert.equal(registry.properties.policies.azureADAuthenticationAsArmPolicy.status, 'enabled');
      assert.ok(['Basic', 'Standard', 'Premium'].includes(registry.sku.name));
    });

    it('creates a registry with PUT (201, then 200) and serves its login server at once', async () => {
      const body = { location: 'local', sku: { name: 'basic' }, tags: { team: 'a' } };
      const created = await arm('PUT', registryPath('TeamReg', 'team'), { body });
      assert.equal(created.status, 201, created.text());
      const registry = created.json();
      assert.equal(registry.name, 'teamreg');
      assert.equal(registry.id, registryPath('teamreg', 'team'));
      assert.equal(registry.properties.loginServer, `teamreg.localhost:${server.port}`);
      assert.deepEqual(registry.sku, { name: 'Basic', tier: 'Basic' });
      assert.deepEqual(registry.tags, { team: 'a' });
      // Host routing knows it: an anonymous /v2/ gets the registry's challenge, not "no registry here".
      const challenge = await dataPlane('teamreg.localhost', '/v2/');
      assert.equal(challenge.status, 401, challenge.text());
      assert.match(challenge.headers['www-authenticate'] ?? '', new RegExp(`service="teamreg\\.localhost:${server.port}"`));
      assert.equal((await arm('PUT', registryPath('teamreg', 'team'), { body })).status, 200);
    });

    it('refuses bad names, names in use, other locations and missing resource groups', async () => {
      const body = { location: 'local', sku: { name: 'Basic' } };
      expectError(await arm('PUT', registryPath('bad_name', 'team'), { body }), 400, 'InvalidResourceName', /letters or digits/);
      expectError(await arm('PUT', registryPath('wharf', 'team'), { body }), 409, 'AlreadyInUse', /wharf\.localhost is already in use/);
      expectError(await arm('PUT', registryPath('teamreg', 'team'), { body: { ...body, location: 'eastus' } }), 409, 'InvalidResourceLocation');
      expectError(await arm('PUT', registryPath('other', 'nothere'), { body }), 404, 'ResourceGroupNotFound');
      expectError(await arm('PUT', registryPath('other', 'team'), { body: { location: 'local' } }), 400, 'InvalidRequestContent', /sku\.name/);
      expectError(await arm('PUT', registryPath('other', 'team'), { body: { ...body, sku: { name: 'Classic' } } }), 400, 'InvalidParameter');
      expectError(await arm('GET', registryPath('nosuchreg', 'team')), 404, 'ResourceNotFound', /Microsoft\.ContainerRegistry\/registries\/nosuchreg/);
      // A registry is found only under its own resource group.
      expectError(await arm('GET', registryPath('teamreg', 'wharf')), 404, 'ResourceNotFound');
    });

    it('lists registries by subscription and by resource group, and through the generic resources API', async () => {
      const all = await armOk<{ value: { name: string }[] }>('GET', `/subscriptions/${sub}/providers/Microsoft.ContainerRegistry/registries`);
      assert.deepEqual(all.value.map((r) => r.name).sort(), ['teamreg', 'wharf']);
      const team = await armOk<{ value: { name: string }[] }>('GET', `${rgPath}/team/providers/Microsoft.ContainerRegistry/registries`);
      assert.deepEqual(
        team.value.map((r) => r.name),
        ['teamreg'],
      );
      const filter = encodeURIComponent("resourceType eq 'Microsoft.ContainerRegistry/registries' and name eq 'teamreg'");
      const resources = await armOk<{ value: { id: string; type: string }[] }>(
        'GET',
        `/subscriptions/${sub}/resources?$filter=${filter}&api-version=2021-04-01`,
      );
      assert.deepEqual(
        resources.value.map((r) => r.id),
        [registryPath('teamreg', 'team')],
      );
    });

    it('checks name availability', async () => {
      const path = `/subscriptions/${sub}/providers/Microsoft.ContainerRegistry/checkNameAvailability`;
      const type = 'Microsoft.ContainerRegistry/registries';
      assert.deepEqual(await armOk('POST', path, { name: 'TEAMREG', type }), {
        nameAvailable: false,
        reason: 'AlreadyExists',
        message: 'The registry TEAMREG is already in use.',
      });
      assert.deepEqual(await armOk('POST', path, { name: 'freshname', type }), { nameAvailable: true });
      assert.equal((await armOk('POST', path, { name: 'has-dash', type })).reason, 'Invalid');
      expectError(await arm('POST', path, { body: { name: 'x', type: 'Microsoft.Storage/storageAccounts' } }), 400, 'InvalidParameter');
    });

    it('updates with PATCH: SKU, tags, anonymous pull (not on Basic)', async () => {
      const path = registryPath('teamreg', 'team');
      const basic = await arm('PATCH', path, { body: { properties: { anonymousPullEnabled: true } } });
      expectError(basic, 400, 'BadRequest', /Standard and Premium/);
      const updated = await armOk('PATCH', path, { sku: { name: 'Standard' }, tags: { team: 'b' }, properties: { anonymousPullEnabled: true } });
      assert.equal(updated.sku.name, 'Standard');
      assert.deepEqual(updated.tags, { team: 'b' });
      assert.equal(updated.properties.anonymousPullEnabled, true);
      // Back to Basic with anonymous pull still on is the same refusal.
      expectError(await arm('PATCH', path, { body: { sku: { name: 'Basic' } } }), 400, 'BadRequest', /Anonymous pull/);
      assert.equal((await armOk('GET', path)).properties.anonymousPullEnabled, true);
    });

    it("refuses network settings on a non-Premium registry with ACR's Premium message, and accepts the defaults echoed back", async () => {
      const path = registryPath('teamreg', 'team');
      const premiumOnly = /only supported for managed registries in Premium SKU/;
      const deny = await arm('PATCH', path, { body: { properties: { networkRuleSet: { defaultAction: 'Deny' } } } });
      expectError(deny, 400, 'FeatureNotSupported', premiumOnly);
      const ip = await arm('PATCH', path, {
        body: { properties: { networkRuleSet: { defaultAction: 'Allow', ipRules: [{ action: 'Allow', value: '10.0.0.0/24' }] } } },
      });
      expectError(ip, 400, 'FeatureNotSupported', premiumOnly);
      expectError(await arm('PATCH', path, { body: { properties: { publicNetworkAccess: 'Disabled' } } }), 400, 'FeatureNotSupported', /Premium/);
      expectError(await arm('PATCH', path, { body: { properties: { dataEndpointEnabled: true } } }), 400, 'FeatureNotSupported', /Premium/);
      expectError(await arm('PATCH', path, { body: { identity: { type: 'SystemAssigned' } } }), 400, 'FeatureNotSupported');
      const current = await armOk('GET', path);
      const echoed = await arm('PATCH', path, { body: { properties: current.properties } });
      assert.equal(echoed.status, 200, echoed.text());
      const az = await arm('PATCH', path, {
        body: { properties: { networkRuleSet: { defaultAction: 'Allow', virtualNetworkRules: [], ipRules: [] }, networkRuleBypassOptions: 'AzureServices' } },
      });
      assert.equal(az.status, 200, az.text());
    });

    it('reports usages: scope maps, tokens and network rule counts against the SKU limits', async () => {
      const usages = await armOk<{ value: { name: string; limit: number; currentValue: number; unit: string }[] }>(
        'GET',
        `${registryPath('teamreg', 'team')}/listUsages`,
      );
      const byName = Object.fromEntries(usages.value.map((u) => [u.name, u]));
      assert.deepEqual(byName.ScopeMaps, { name: 'ScopeMaps', limit: 500, currentValue: 0, unit: 'Count' });
      assert.deepEqual(byName.Tokens, { name: 'Tokens', limit: 500, currentValue: 0, unit: 'Count' });
      assert.equal(byName.IPRules?.currentValue, 0);
    });
  });

  describe('admin user credentials', () => {
    const path = () => registryPath('teamreg', 'team');

    it('refuses listCredentials while the admin user is disabled', async () => {
      expectError(
        await arm('POST', `${path()}/listCredentials`),
        400,
        'UnAuthorizedForCredentialOperations',
        /^Cannot perform credential operations for \/subscriptions\/.*\/registries\/\w+ as admin user is disabled\./,
      );
      expectError(await arm('POST', `${path()}/regenerateCredential`, { body: { name: 'password' } }), 400, 'UnAuthorizedForCredentialOperations');
    });

    it('enabling the admin user creates both passwords; listCredentials shows them and they log in', async () => {
      const updated = await armOk('PATCH', path(), { properties: { adminUserEnabled: true } });
      assert.equal(updated.properties.adminUserEnabled, true);
      const creds = await armOk<{ username: string; passwords: { name: string; value: string }[] }>('POST', `${path()}/listCredentials`);
      assert.equal(creds.username, 'teamreg');
      assert.deepEqual(
        creds.passwords.map((p) => p.name),
        ['password', 'password2'],
      );
      for (const p of creds.passwords) assert.match(p.value, /^[A-Za-z0-9_-]{52}$/);
      assert.notEqual(creds.passwords[0]!.value, creds.passwords[1]!.value);
      const again = await armOk<{ passwords: { value: string }[] }>('POST', `${path()}/listCredentials`);
      assert.deepEqual(again.passwords, creds.passwords, 'the same passwords every time');
      const basic = Buffer.from(`teamreg:${creds.passwords[0]!.value}`).toString('base64');
      const login = await dataPlane('teamreg.localhost', '/oauth2/token?service=teamreg.localhost&scope=registry:catalog:*', {
        authorization: `Basic ${basic}`,
      });
      assert.equal(login.status, 200, login.text());
    });

    it('regenerates one password and leaves the other', async () => {
      const before = await armOk<{ passwords: { name: string; value: string }[] }>('POST', `${path()}/listCredentials`);
      const after = await armOk<{ passwords: { name: string; value: string }[] }>('POST', `${path()}/regenerateCredential`, { name: 'password2' });
      assert.equal(after.passwords[0]!.value, before.passwords[0]!.value);
      assert.notEqual(after.passwords[1]!.value, before.passwords[1]!.value);
      expectError(await arm('POST', `${path()}/regenerateCredential`, { body: { name: 'password3' } }), 400, 'InvalidParameter', /password2/);
    });
  });

  describe('scope maps and tokens', () => {
    const path = () => registryPath('teamreg', 'team');

    it('lists the system-defined maps of every registry', async () => {
      const maps = await armOk<{ value: { name: string; properties: { type: string; actions: string[] } }[] }>('GET', `${path()}/scopeMaps`);
      const pull = maps.value.find((m) => m.name === '_repositories_pull');
      assert.ok(pull, JSON.stringify(maps.value.map((m) => m.name)));
      assert.equal(pull.properties.type, 'SystemDefined');
      assert.deepEqual(pull.properties.actions, ['repositories/*/content/read']);
      assert.ok(maps.value.some((m) => m.name === '_repositories_admin'));
    });

    it('creates, reads and updates a user-defined map; refuses bad actions, bad names and system maps', async () => {
      const created = await arm('PUT', `${path()}/scopeMaps/team-pull`, {
        body: { properties: { description: 'team pulls', actions: ['repositories/Team/App/content/read', 'repositories/team/*/metadata/read'] } },
      });
      assert.equal(created.status, 201, created.text());
      const map = created.json();
      assert.equal(map.id, `${path()}/scopeMaps/team-pull`);
      assert.equal(map.type, 'Microsoft.ContainerRegistry/registries/scopeMaps');
      assert.equal(map.properties.type, 'UserDefined');
      assert.deepEqual(map.properties.actions, ['repositories/team/app/content/read', 'repositories/team/*/metadata/read']);
      const patched = await armOk('PATCH', `${path()}/scopeMaps/team-pull`, { properties: { description: 'changed' } });
      assert.equal(patched.properties.description, 'changed');
      assert.equal(patched.properties.actions.length, 2);
      assert.equal((await armOk('GET', `${path()}/scopeMaps/TEAM-PULL`)).name, 'team-pull');

      const badAction = await arm('PUT', `${path()}/scopeMaps/team-bad`, { body: { properties: { actions: ['repositories/x/content/execute'] } } });
      expectError(badAction, 400, 'InvalidParameter', /content\/execute/);
      expectError(await arm('PUT', `${path()}/scopeMaps/team-none`, { body: { properties: { actions: [] } } }), 400, 'InvalidRequestContent');
      expectError(
        await arm('PUT', `${path()}/scopeMaps/abc`, { body: { properties: { actions: ['repositories/x/content/read'] } } }),
        400,
        'InvalidResourceName',
      );
      expectError(
        await arm('PUT', `${path()}/scopeMaps/_repositories_pull`, { body: { properties: { actions: ['repositories/x/content/read'] } } }),
        409,
        'SystemScopeMapReadOnly',
      );
      expectError(await arm('DELETE', `${path()}/scopeMaps/_repositories_admin`), 409, 'SystemScopeMapReadOnly');
      expectError(await arm('GET', `${path()}/scopeMaps/nosuchmap`), 404, 'ResourceNotFound');
    });

    it('creates a token for a scope map; its PUT answer carries a credentials object', async () => {
      const created = await arm('PUT', `${path()}/tokens/ci-token`, {
        body: { properties: { scopeMapId: `${path()}/scopeMaps/team-pull`, status: 'enabled' } },
      });
      assert.equal(created.status, 201, created.text());
      const token = created.json();
      assert.equal(token.id, `${path()}/tokens/ci-token`);
      assert.equal(token.properties.scopeMapId, `${path()}/scopeMaps/team-pull`);
      assert.equal(token.properties.status, 'enabled');
      assert.deepEqual(token.properties.credentials, { certificates: [], passwords: [] });
      const system = await arm('PUT', `${path()}/tokens/admin-token`, {
        body: { properties: { scopeMapId: `${path()}/scopeMaps/_repositories_admin` } },
      });
      assert.equal(system.status, 201, system.text());
    });

    it('refuses a token whose scope map is elsewhere or missing, and reserved or bad names', async () => {
      const elsewhere = await arm('PUT', `${path()}/tokens/other-token`, {
        body: { properties: { scopeMapId: `${registryPath('wharf')}/scopeMaps/_repositories_pull` } },
      });
      assert.equal(expectError(elsewhere, 400, 'InvalidParameter', /not the id of a scope map of this registry/).target, 'properties.scopeMapId');
      expectError(
        await arm('PUT', `${path()}/tokens/other-token`, { body: { properties: { scopeMapId: `${path()}/scopeMaps/missing-map` } } }),
        400,
        'InvalidParameter',
        /does not exist/,
      );
      const scopeMapId = `${path()}/scopeMaps/team-pull`;
      expectError(await arm('PUT', `${path()}/tokens/teamreg`, { body: { properties: { scopeMapId } } }), 400, 'InvalidResourceName', /admin user/);
      expectError(
        await arm('PUT', `${path()}/tokens/00000000-0000-0000-0000-000000000000`, { body: { properties: { scopeMapId } } }),
        400,
        'InvalidResourceName',
      );
      expectError(await arm('PUT', `${path()}/tokens/bad_token`, { body: { properties: { scopeMapId } } }), 400, 'InvalidResourceName');
      expectError(await arm('PUT', `${path()}/tokens/ci-token`, { body: { properties: { scopeMapId, status: 'paused' } } }), 400, 'InvalidParameter');
    });

    it('generates passwords (values shown once), which log in; lists them by name afterwards', async () => {
      const tokenId = `${path()}/tokens/ci-token`;
      const expiry = new Date(Date.now() + 30 * 86400_000).toISOString();
      const both = await armOk<{ username: string; passwords: { name: string; value: string; creationTime: string; expiry?: string }[] }>(
        'POST',
        `${path()}/generateCredentials`,
        { tokenId },
      );
      assert.equal(both.username, 'ci-token');
      assert.deepEqual(
        both.passwords.map((p) => p.name),
        ['password1', 'password2'],
      );
      for (const p of both.passwords) assert.match(p.value, /^[A-Za-z0-9_-]{52}$/);
      const one = await armOk<{ passwords: { name: string; value: string; expiry?: string }[] }>('POST', `${path()}/generateCredentials`, {
        tokenId,
        name: 'password2',
        expiry,
      });
      assert.deepEqual(
        one.passwords.map((p) => [p.name, p.expiry]),
        [['password2', expiry]],
      );
      const token = await armOk('GET', tokenId);
      assert.deepEqual(
        token.properties.credentials.passwords.map((p: { name: string; expiry?: string; value?: string }) => [p.name, p.expiry, p.value]),
        [
          ['password1', undefined, undefined],
          ['password2', expiry, undefined],
        ],
      );
      const basic = Buffer.from(`ci-token:${both.passwords[0]!.value}`).toString('base64');
      const login = await dataPlane('teamreg.localhost', '/oauth2/token?service=teamreg.localhost&scope=repository:team/app:pull', {
        authorization: `Basic ${basic}`,
      });
      assert.equal(login.status, 200, login.text());

      expectError(await arm('POST', `${path()}/generateCredentials`, { body: { tokenId, expiry: '2001-01-01T00:00:00Z' } }), 400, 'InvalidParameter', /past/);
      expectError(await arm('POST', `${path()}/generateCredentials`, { body: { tokenId: `${path()}/tokens/nosuchtoken` } }), 404, 'ResourceNotFound');
      expectError(await arm('POST', `${path()}/generateCredentials`, { body: { tokenId: 'not-an-id' } }), 400, 'InvalidParameter');
    });

    it('PATCH with a subset of credentials.passwords deletes the others; status can be disabled', async () => {
      const tokenPath = `${path()}/tokens/ci-token`;
      const patched = await armOk('PATCH', tokenPath, { properties: { status: 'disabled', credentials: { passwords: [{ name: 'password1' }] } } });
      assert.equal(patched.properties.status, 'disabled');
      assert.deepEqual(
        patched.properties.credentials.passwords.map((p: { name: string }) => p.name),
        ['password1'],
      );
      const missing = await arm('PATCH', tokenPath, { body: { properties: { credentials: { passwords: [{ name: 'password2' }] } } } });
      expectError(missing, 400, 'InvalidParameter', /has no password2/);
      const list = await armOk<{ value: { name: string }[] }>('GET', `${path()}/tokens`);
      assert.deepEqual(list.value.map((t) => t.name).sort(), ['admin-token', 'ci-token']);
      const usages = await armOk<{ value: { name: string; currentValue: number }[] }>('GET', `${path()}/listUsages`);
      assert.deepEqual(
        usages.value.filter((u) => u.name === 'ScopeMaps' || u.name === 'Tokens').map((u) => [u.name, u.currentValue]),
        [
          ['ScopeMaps', 1],
          ['Tokens', 2],
        ],
      );
    });

    it('keeps a scope map in use; deletes tokens (200, then 204) and then the map', async () => {
      const mapPath = `${path()}/scopeMaps/team-pull`;
      expectError(await arm('DELETE', mapPath), 409, 'ScopeMapInUse', /ci-token/);
      assert.equal((await arm('DELETE', `${path()}/tokens/ci-token`)).status, 200);
      assert.equal((await arm('DELETE', `${path()}/tokens/ci-token`)).status, 204);
      expectError(await arm('GET', `${path()}/tokens/ci-token`), 404, 'ResourceNotFound');
      assert.equal((await arm('DELETE', mapPath)).status, 200);
      assert.equal((await arm('DELETE', mapPath)).status, 204);
    });
  });

  describe('role assignments and ARM RBAC', () => {
    let puller: Login & { objectId: string };
    let pullerToken: string;
    const path = () => registryPath('teamreg', 'team');

    before(async () => {
      puller = await createServicePrincipal('puller');
      pullerToken = await tokenFor(puller);
    });

    it('finds built-in role definitions by name and by id', async () => {
      const filter = encodeURIComponent("roleName eq 'AcrPush'");
      const found = await armOk<{ value: { id: string; name: string; properties: { roleName: string; type: string } }[] }>(
        'GET',
        `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions?$filter=${filter}&api-version=2022-04-01`,
      );
      assert.deepEqual(
        found.value.map((d) => [d.name, d.properties.roleName, d.properties.type]),
        [[ROLE.AcrPush, 'AcrPush', 'BuiltInRole']],
      );
      assert.equal(found.value[0]!.id, `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.AcrPush}`);
      const byId = await armOk('GET', `${path()}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.Reader}?api-version=2022-04-01`);
      assert.equal(byId.properties.roleName, 'Reader');
      expectError(
        await arm('GET', `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${randomUUID()}`),
        404,
        'RoleDefinitionDoesNotExist',
      );
    });

    it('denies a principal without roles with AuthorizationFailed in ARM wording', async () => {
      const res = await arm('GET', path(), { token: pullerToken });
      expectError(
        res,
        403,
        'AuthorizationFailed',
        new RegExp(
          `^The client '${puller.clientId}' with object id '${puller.objectId}' does not have authorization to perform action 'Microsoft\\.ContainerRegistry/registries/read' over scope '${path().replace(/[/.]/g, '\\$&')}' or the scope is invalid\\.`,
        ),
      );
      const list = await armOk<{ value: unknown[] }>('GET', `/subscriptions/${sub}/providers/Microsoft.ContainerRegistry/registries`, undefined, pullerToken);
      assert.deepEqual(list.value, [], 'registries it may not read are not listed');
      assert.deepEqual((await armOk<{ value: unknown[] }>('GET', '/subscriptions', undefined, pullerToken)).value, []);
    });

    it('an AcrPull-only principal may not read or write the registry through ARM', async () => {
      await assign(puller.objectId, ROLE.AcrPull, path());
      expectError(await arm('GET', path(), { token: pullerToken }), 403, 'AuthorizationFailed');
      const write = await arm('PATCH', path(), { token: pullerToken, body: { tags: { by: 'puller' } } });
      expectError(write, 403, 'AuthorizationFailed', /'Microsoft\.ContainerRegistry\/registries\/write'/);
      expectError(await arm('POST', `${path()}/listCredentials`, { token: pullerToken }), 403, 'AuthorizationFailed', /listCredentials\/action/);
      expectError(
        await arm('PUT', `${path()}/scopeMaps/puller-map`, { token: pullerToken, body: { properties: { actions: ['repositories/a/content/read'] } } }),
        403,
        'AuthorizationFailed',
        /scopeMaps\/write/,
      );
      // It does see the subscription it has a role in.
      assert.equal((await armOk<{ value: unknown[] }>('GET', '/subscriptions', undefined, pullerToken)).value.length, 1);
    });

    it('Reader reads but may not write; Contributor writes but may not assign roles', async () => {
      await assign(puller.objectId, ROLE.Reader, `${rgPath}/team`);
      assert.equal((await arm('GET', path(), { token: pullerToken })).status, 200);
      expectError(await arm('DELETE', path(), { token: pullerToken }), 403, 'AuthorizationFailed', /registries\/delete/);
      assert.deepEqual(
        (
          await armOk<{ value: { name: string }[] }>('GET', `/subscriptions/${sub}/providers/Microsoft.ContainerRegistry/registries`, undefined, pullerToken)
        ).value.map((r) => r.name),
        ['teamreg'],
      );
      await assign(puller.objectId, ROLE.Contributor, path());
      const patched = await arm('PATCH', path(), { token: pullerToken, body: { tags: { by: 'puller' } } });
      assert.equal(patched.status, 200, patched.text());
      const grant = await arm('PUT', `${path()}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`, {
        token: pullerToken,
        body: { properties: { roleDefinitionId: ROLE.AcrPush, principalId: puller.objectId } },
      });
      expectError(grant, 403, 'AuthorizationFailed', /Microsoft\.Authorization\/roleAssignments\/write/);
    });

    it('lists assignments at, above and below a scope, by principal and atScope()', async () => {
      const base = `${path()}/providers/Microsoft.Authorization/roleAssignments`;
      const byPrincipal = await armOk<{ value: { properties: { principalId: string; scope: string; roleDefinitionId: string; principalType: string } }[] }>(
        'GET',
        `${base}?$filter=${encodeURIComponent(`principalId eq '${puller.objectId}'`)}&api-version=2022-04-01`,
      );
      assert.deepEqual(
        byPrincipal.value.map((a) => a.properties.roleDefinitionId.split('/').pop()).sort(),
        [ROLE.AcrPull, ROLE.Contributor, ROLE.Reader].sort(),
      );
      assert.ok(byPrincipal.value.every((a) => a.properties.principalType === 'ServicePrincipal'));
      // From the resource group: the owner's subscription-wide Owner (above) and the registry's (below).
      const atGroup = await armOk<{ value: { properties: { scope: string } }[] }>(
        'GET',
        `${rgPath}/team/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
      );
      const scopes = atGroup.value.map((a) => a.properties.scope);
      assert.ok(scopes.includes(`/subscriptions/${sub}`));
      assert.ok(scopes.includes(path()));
      const atScopeOnly = await armOk<{ value: { properties: { scope: string } }[] }>(
        'GET',
        `${rgPath}/team/providers/Microsoft.Authorization/roleAssignments?$filter=atScope()&api-version=2022-04-01`,
      );
      assert.ok(!atScopeOnly.value.some((a) => a.properties.scope === path()));
      expectError(await arm('GET', `${base}?$filter=${encodeURIComponent("roleName eq 'x'")}`), 400, 'InvalidFilterInQueryString');
    });

    it('grants on a repository scope (canonical spelling), refuses duplicates, unknown roles and principals', async () => {
      const scope = `${registryPath('TeamReg', 'TEAM')}/repositories/Team/*`;
      const name = randomUUID();
      const body = { properties: { roleDefinitionId: ROLE.AcrPush, principalId: puller.objectId, principalType: 'ServicePrincipal' } };
      const created = await arm('PUT', `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`, { body });
      assert.equal(created.status, 201, created.text());
      assert.equal(created.json().properties.scope, `${path()}/repositories/team/*`);
      assert.equal(created.json().id, `${path()}/repositories/team/*/providers/Microsoft.Authorization/roleAssignments/${name}`);
      assert.equal((await arm('PUT', `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`, { body })).status, 200);
      expectError(await arm('PUT', `${scope}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`, { body }), 409, 'RoleAssignmentExists');
      const fresh = `${path()}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`;
      expectError(
        await arm('PUT', fresh, { body: { properties: { roleDefinitionId: randomUUID(), principalId: puller.objectId } } }),
        400,
        'RoleDefinitionDoesNotExist',
      );
      const ghost = randomUUID();
      expectError(
        await arm('PUT', fresh, { body: { properties: { roleDefinitionId: ROLE.AcrPull, principalId: ghost } } }),
        400,
        'PrincipalNotFound',
        new RegExp(`Principal ${ghost} does not exist in the directory ${owner.tenantId}`),
      );
      expectError(
        await arm('PUT', fresh, { body: { properties: { roleDefinitionId: ROLE.AcrPull, principalId: puller.objectId, principalType: 'User' } } }),
        400,
        'UnmatchedPrincipalType',
      );
      expectError(
        await arm('PUT', fresh, {
          body: { properties: { roleDefinitionId: ROLE.AcrPull, principalId: puller.objectId, condition: "@Resource[x] StringEquals 'y'" } },
        }),
        400,
        'FeatureNotSupported',
        /repositories/,
      );
      expectError(await arm('PUT', `${path()}/providers/Microsoft.Authorization/roleAssignments/not-a-guid`, { body }), 400, 'InvalidRoleAssignmentId');
      expectError(
        await arm('PUT', `${registryPath('nosuchreg', 'team')}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`, { body }),
        404,
        'ResourceNotFound',
      );
    });

    it('gets and deletes an assignment (200 with it, then 204); GET afterwards is RoleAssignmentNotFound', async () => {
      const name = await assign(puller.objectId, ROLE.AcrPush, path());
      const url = `${path()}/providers/Microsoft.Authorization/roleAssignments/${name}`;
      assert.equal((await armOk('GET', url)).name, name);
      const deleted = await arm('DELETE', url);
      assert.equal(deleted.status, 200);
      assert.equal(deleted.json().name, name);
      assert.equal((await arm('DELETE', url)).status, 204);
      expectError(await arm('GET', url), 404, 'RoleAssignmentNotFound');
    });
  });

  describe('directory (Graph v1.0 subset)', () => {
    it('creates an application and its service principal, adds and removes a secret', async () => {
      const app = await arm('POST', '/v1.0/applications', { body: { displayName: 'deployer' } });
      assert.equal(app.status, 201, app.text());
      const { id, appId } = app.json<{ id: string; appId: string }>();
      const found = await armOk<{ value: { id: string; displayName: string }[] }>(
        'GET',
        `/v1.0/applications?$filter=${encodeURIComponent(`appId eq '${appId}'`)}`,
      );
      assert.deepEqual(
        found.value.map((a) => [a.id, a.displayName]),
        [[id, 'deployer']],
      );
      const sp = await arm('POST', '/v1.0/servicePrincipals', { body: { appId } });
      assert.equal(sp.status, 201, sp.text());
      assert.equal(sp.json().servicePrincipalType, 'Application');
      assert.equal((await armOk('GET', `/v1.0/servicePrincipals/${id}`)).appId, appId);
      assert.equal((await armOk('GET', `/v1.0/applications(appId='${appId}')`)).id, id);
      const byName = await armOk<{ value: { id: string }[] }>(
        'GET',
        `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`servicePrincipalNames/any(c:c eq '${appId}')`)}`,
      );
      assert.deepEqual(
        byName.value.map((s) => s.id),
        [id],
      );
      const byPrefix = await armOk<{ value: { displayName: string }[] }>(
        'GET',
        `/v1.0/applications?$filter=${encodeURIComponent("startswith(displayName,'deploy')")}`,
      );
      assert.deepEqual(
        byPrefix.value.map((a) => a.displayName),
        ['deployer'],
      );

      const end = new Date(Date.now() + 86400_000).toISOString();
      const password = await armOk<{ secretText: string; keyId: string; hint: string; endDateTime: string }>('POST', `/v1.0/applications/${id}/addPassword`, {
        passwordCredential: { displayName: 'ci', endDateTime: end },
      });
      assert.equal(password.hint, password.secretText.slice(0, 3));
      assert.equal(password.endDateTime, end);
      const login = { tenantId: owner.tenantId, clientId: appId, clientSecret: password.secretText };
      await tokenFor(login);
      const listed = await armOk<{ passwordCredentials: { keyId: string; secretText: null }[] }>('GET', `/v1.0/applications/${id}`);
      assert.deepEqual(
        listed.passwordCredentials.map((p) => [p.keyId, p.secretText]),
        [[password.keyId, null]],
      );
      const removed = await arm('POST', `/v1.0/applications/${id}/removePassword`, { body: { keyId: password.keyId } });
      assert.equal(removed.status, 204, removed.text());
      const refused = await server.request(`/${owner.tenantId}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: appId,
          client_secret: password.secretText,
          scope: 'https://management.azure.com/.default',
        }).toString(),
      });
      assert.equal(refused.status, 401, refused.text());
      assert.equal((await arm('DELETE', `/v1.0/applications/${id}`)).status, 204);
      const gone = await arm('GET', `/v1.0/applications/${id}`);
      const error = expectError(gone, 404, 'Request_ResourceNotFound');
      assert.ok(error.innerError?.['request-id'], 'Graph errors carry innerError');
    });

    it('creates users; refuses duplicates and weak passwords in Graph shape', async () => {
      const body = {
        accountEnabled: true,
        displayName: 'Alice',
        userPrincipalName: 'alice@wharf.test',
        passwordProfile: { password: 'correct horse battery' },
      };
      const user = await arm('POST', '/v1.0/users', { body });
      assert.equal(user.status, 201, user.text());
      assert.equal(user.json().userPrincipalName, 'alice@wharf.test');
      expectError(await arm('POST', '/v1.0/users', { body }), 400, 'Request_BadRequest', /already exists/);
      expectError(
        await arm('POST', '/v1.0/users', { body: { ...body, userPrincipalName: 'bob@wharf.test', passwordProfile: { password: 'short' } } }),
        400,
        'Request_BadRequest',
        /8 characters/,
      );
      assert.equal((await armOk('GET', '/v1.0/users/alice@wharf.test')).displayName, 'Alice');
      expectError(await arm('GET', `/v1.0/applications?$filter=${encodeURIComponent("tags/any(t:t eq 'x')")}`), 400, 'Request_UnsupportedQuery');
    });

    it('needs Owner on a subscription to change the directory, and a role to read it', async () => {
      const reader = await createServicePrincipal('directory-reader');
      const readerToken = await tokenFor(reader);
      expectError(await arm('GET', '/v1.0/applications', { token: readerToken }), 403, 'Authorization_RequestDenied', /Insufficient privileges/);
      await assign(reader.objectId, ROLE.Reader, `/subscriptions/${sub}`);
      const graphToken = await tokenFor(reader, 'https://graph.microsoft.com/.default');
      assert.equal((await arm('GET', '/v1.0/applications', { token: graphToken })).status, 200);
      expectError(await arm('POST', '/v1.0/applications', { token: graphToken, body: { displayName: 'x' } }), 403, 'Authorization_RequestDenied');
      expectError(await arm('GET', '/v1.0/applications', { token: null }), 401, 'InvalidAuthenticationToken');
    });
  });

  describe('user-assigned managed identities', () => {
    it('creates one, assigns it a role, and deletes it', async () => {
      const path = `${rgPath}/team/providers/Microsoft.ManagedIdentity/userAssignedIdentities/builder-id`;
      const created = await arm('PUT', path, { apiVersion: '2023-01-31', body: { location: 'local' } });
      assert.equal(created.status, 201, created.text());
      const identity = created.json<{ id: string; properties: { clientId: string; principalId: string; tenantId: string } }>();
      assert.equal(identity.id, path);
      assert.equal(identity.properties.tenantId, owner.tenantId);
      assert.equal((await arm('PUT', path, { body: { location: 'local' } })).status, 200);
      const got = await armOk('GET', path.replace('/team/', '/TEAM/'));
      assert.equal(got.properties.principalId, identity.properties.principalId);
      const list = await armOk<{ value: { id: string }[] }>('GET', `/subscriptions/${sub}/providers/Microsoft.ManagedIdentity/userAssignedIdentities`);
      assert.deepEqual(
        list.value.map((i) => i.id),
        [path],
      );
      const sp = await armOk('GET', `/v1.0/servicePrincipals/${identity.properties.principalId}`);
      assert.equal(sp.servicePrincipalType, 'ManagedIdentity');
      assert.ok(sp.alternativeNames.includes(path));

      const name = await assign(identity.properties.principalId, ROLE.AcrPull, registryPath('teamreg', 'team'));
      const assignment = await armOk('GET', `${registryPath('teamreg', 'team')}/providers/Microsoft.Authorization/roleAssignments/${name}`);
      assert.equal(assignment.properties.principalType, 'ServicePrincipal');

      expectError(await arm('PUT', path.replace('builder-id', 'elsewhere'), { body: { location: 'eastus' } }), 400, 'InvalidParameter', /location/);
      assert.equal((await arm('DELETE', path)).status, 200);
      expectError(await arm('GET', path), 404, 'ResourceNotFound');
      assert.equal((await arm('DELETE', path)).status, 204);
    });
  });

  describe('audit queries', () => {
    it('finds a failed login by its correlation id, with ACR column names', async () => {
      const basic = Buffer.from('teamreg:wrong-password').toString('base64');
      const failed = await dataPlane('teamreg.localhost', '/oauth2/token?service=teamreg.localhost&scope=registry:catalog:*', {
        authorization: `Basic ${basic}`,
      });
      assert.equal(failed.status, 401, failed.text());
      const correlationId = failed.headers['x-ms-correlation-request-id']!;
      const url = `${registryPath('teamreg', 'team')}/loginEvents?failuresOnly=true&correlationId=${correlationId}`;
      let rows: Record<string, unknown>[] = [];
      for (let i = 0; i < 50 && rows.length === 0; i++) {
        rows = (await armOk<{ value: Record<string, unknown>[] }>('GET', url)).value;
        if (rows.length === 0) await sleep(100);
      }
      assert.equal(rows.length, 1, 'the failed login is recorded');
      const row = rows[0]!;
      assert.equal(row.CorrelationId, correlationId);
      assert.equal(row.LoginServer, `teamreg.localhost:${server.port}`);
      assert.equal(row.ResultDescription, '401');
      assert.equal(row.Identity, 'teamreg');
      for (const column of ['TimeGenerated', 'CallerIpAddress', 'DurationMs', 'OperationName', 'ResultType', 'UserAgent', 'Reason']) {
        assert.ok(column in row, `column ${column}`);
      }
      const repository = await armOk<{ value: unknown[] }>('GET', `${registryPath('teamreg', 'team')}/repositoryEvents?top=5`);
      assert.ok(Array.isArray(repository.value));
    });

    it('refuses unusable query values', async () => {
      const path = `${registryPath('teamreg', 'team')}/loginEvents`;
      assert.equal(expectError(await arm('GET', `${path}?top=0`), 400, 'InvalidParameter').target, 'top');
      expectError(await arm('GET', `${path}?failuresOnly=maybe`), 400, 'InvalidParameter', /failuresOnly/);
      expectError(await arm('GET', `${path}?from=yesterday`), 400, 'InvalidParameter', /ISO 8601/);
    });
  });

  describe('deleting a registry', () => {
    it('removes it, its grants and its login server; a second DELETE is 204', async () => {
      const path = registryPath('teamreg', 'team');
      const deleted = await arm('DELETE', path);
      assert.equal(deleted.status, 200, deleted.text());
      expectError(await arm('GET', path), 404, 'ResourceNotFound');
      assert.equal((await arm('DELETE', path)).status, 204);
      const routed = await dataPlane('teamreg.localhost', '/v2/');
      assert.equal(routed.status, 404, routed.text());
      const assignments = await armOk<{ value: { properties: { scope: string } }[] }>(
        'GET',
        `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
      );
      assert.ok(!assignments.value.some((a) => a.properties.scope.toLowerCase().startsWith(path.toLowerCase())), 'grants went with it');
      // The name is free again, and a new registry of that name starts without the old grants.
      const again = await arm('PUT', path, { body: { location: 'local', sku: { name: 'Basic' } } });
      assert.equal(again.status, 201, again.text());
      assert.equal(again.json().properties.adminUserEnabled, false);
    });
  });
});
