/**
 * @azure/arm-containerregistry 12 with @azure/identity against Wharf, for what
 * azure-sdk-management.test.ts leaves out: the long-running-operation entry points
 * (beginCreate, beginUpdate with a network rule set, beginGenerateCredentials, beginDelete),
 * a generated token password used at the registry's /oauth2/token, private link resources,
 * checkNameAvailability of names ACR refuses, and the management roles: Reader reads,
 * Contributor changes, Owner also assigns roles.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import {
  ownerCredential,
  readBootstrapOwner,
  sdkClientOptions,
  servicePrincipalCredential,
  type BootstrapOwner,
  all,
  rejection,
} from '../helpers/azure-sdk.js';
import { agentFor } from '../helpers/http.js';
import { ROLE, WharfAdmin, identityToken } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

describe('@azure/arm-containerregistry: long-running operations, token passwords, private link, roles', () => {
  let server: WharfServer;
  let owner: BootstrapOwner;
  let client: ContainerRegistryManagementClient;
  let rg: string;
  const registry = 'sdklro';

  function clientAs(login: { appId: string; secret: string }): ContainerRegistryManagementClient {
    const credential = servicePrincipalCredential(server, { tenantId: owner.tenantId, clientId: login.appId, clientSecret: login.secret });
    return new ContainerRegistryManagementClient(credential, owner.subscriptionId, { endpoint: server.baseUrl, ...sdkClientOptions(server) });
  }

  before(async () => {
    server = await startWharf({ secure: true });
    owner = readBootstrapOwner(server);
    rg = owner.resourceGroup;
    client = new ContainerRegistryManagementClient(ownerCredential(server), owner.subscriptionId, { endpoint: server.baseUrl, ...sdkClientOptions(server) });
  });
  after(async () => {
    await server?.stop();
  });

  it('checkNameAvailability answers Invalid for names ACR refuses, and AlreadyExists case-insensitively', async () => {
    for (const name of ['bad-name', 'under_score', 'abcd', 'x'.repeat(51)]) {
      const status = await client.registries.checkNameAvailability({ name, type: 'Microsoft.ContainerRegistry/registries' });
      assert.equal(status.nameAvailable, false, name);
      assert.equal(status.reason, 'Invalid', name);
      assert.match(status.message ?? '', /5 to 50 letters or digits/, name);
    }
    const short = await rejection(client.registries.create(rg, 'abcd', { location: 'local', sku: { name: 'Basic' } }));
    assert.deepEqual([short.statusCode, short.code], [400, 'InvalidResourceName'], short.message);
    const taken = await client.registries.checkNameAvailability({ name: 'WHARF', type: 'Microsoft.ContainerRegistry/registries' });
    assert.deepEqual([taken.nameAvailable, taken.reason], [false, 'AlreadyExists']);
    const wrongType = await rejection(
      client.registries.checkNameAvailability({ name: 'anyname', type: 'Microsoft.Storage/storageAccounts' as 'Microsoft.ContainerRegistry/registries' }),
    );
    assert.equal(wrongType.statusCode, 400, wrongType.message);
  });

  it('beginCreateAndWait, then beginUpdateAndWait sets a network rule set (Premium)', async () => {
    const created = await client.registries.beginCreateAndWait(rg, registry, { location: 'local', sku: { name: 'Premium' }, tags: { from: 'sdk' } });
    assert.equal(created.provisioningState, 'Succeeded');
    assert.equal(created.sku.tier, 'Premium');
    assert.deepEqual(created.tags, { from: 'sdk' });
    assert.equal(created.publicNetworkAccess, 'Enabled');

    // 127.0.0.1 (this test) stays allowed, so the lock-out protection lets it through.
    const updated = await client.registries.beginUpdateAndWait(rg, registry, {
      networkRuleSet: {
        defaultAction: 'Deny',
        ipRules: [
          { action: 'Allow', iPAddressOrRange: '127.0.0.1' },
          { action: 'Allow', iPAddressOrRange: '10.1.0.0/16' },
        ],
      },
      networkRuleBypassOptions: 'None',
    });
    assert.equal(updated.networkRuleSet?.defaultAction, 'Deny');
    assert.deepEqual(
      updated.networkRuleSet?.ipRules?.map((r) => r.iPAddressOrRange),
      ['127.0.0.1', '10.1.0.0/16'],
    );
    assert.equal(updated.networkRuleBypassOptions, 'None');
    const shown = await client.registries.get(rg, registry);
    assert.deepEqual(
      shown.networkRuleSet?.ipRules?.map((r) => r.iPAddressOrRange),
      ['127.0.0.1', '10.1.0.0/16'],
    );

    const reopened = await client.registries.beginUpdateAndWait(rg, registry, {
      networkRuleSet: { defaultAction: 'Allow', ipRules: [] },
      networkRuleBypassOptions: 'AzureServices',
    });
    assert.equal(reopened.networkRuleSet?.defaultAction, 'Allow');
    assert.deepEqual(reopened.networkRuleSet?.ipRules, []);
  });

  it('registries.listPrivateLinkResources and getPrivateLinkResource name the registry group', async () => {
    const resources = await all(client.registries.listPrivateLinkResources(rg, registry));
    assert.deepEqual(
      resources.map((r) => r.properties?.groupId),
      ['registry'],
      JSON.stringify(resources),
    );
    assert.ok(resources[0]?.properties?.requiredMembers?.includes('registry'), JSON.stringify(resources));
    const one = await client.registries.getPrivateLinkResource(rg, registry, 'registry');
    assert.equal(one.id, resources[0]?.id);
    assert.deepEqual(await all(client.privateEndpointConnections.list(rg, registry)), []);
  });

  it('scopeMaps and tokens through beginCreateAndWait; beginGenerateCredentialsAndWait gives a password the registry accepts', async () => {
    const map = await client.scopeMaps.beginCreateAndWait(rg, registry, 'sdk-pull', { actions: ['repositories/demo/content/read'] });
    assert.equal(map.provisioningState, 'Succeeded');
    assert.deepEqual(
      (await all(client.scopeMaps.list(rg, registry))).filter((m) => m.typePropertiesType === 'UserDefined').map((m) => m.name),
      ['sdk-pull'],
    );
    const token = await client.tokens.beginCreateAndWait(rg, registry, 'sdk-puller', { scopeMapId: map.id!, status: 'enabled' });
    assert.equal(token.provisioningState, 'Succeeded');
    assert.deepEqual(
      (await all(client.tokens.list(rg, registry))).map((t) => t.name),
      ['sdk-puller'],
    );

    const expiry = new Date(Date.now() + 7 * 86_400_000);
    const generated = await client.registries.beginGenerateCredentialsAndWait(rg, registry, { tokenId: token.id!, name: 'password1', expiry });
    assert.equal(generated.username, 'sdk-puller');
    assert.deepEqual(
      generated.passwords?.map((p) => p.name),
      ['password1'],
    );
    const password = generated.passwords![0]!.value!;
    assert.equal(Math.abs(generated.passwords![0]!.expiry!.getTime() - expiry.getTime()) < 1000, true, String(generated.passwords![0]!.expiry));

    // docker login's way: Basic credentials at the token endpoint of the registry's login server (it carries the port).
    const loginServer = (await client.registries.get(rg, registry)).loginServer!;
    const anyName = agentFor(readFileSync(server.caFile!, 'utf8'), { anyName: true });
    const tokenFor = (user: string, secret: string) =>
      server.request(`/oauth2/token?service=${loginServer}&scope=repository:demo:pull,push`, {
        dispatcher: anyName,
        headers: { host: loginServer, authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}` },
      });
    const granted = await tokenFor('sdk-puller', password);
    assert.equal(granted.status, 200, granted.text());
    const claims = JSON.parse(Buffer.from(granted.json<{ access_token: string }>().access_token.split('.')[1]!, 'base64url').toString('utf8'));
    assert.deepEqual(claims.access, [{ type: 'repository', name: 'demo', actions: ['pull'] }]);
    assert.equal((await tokenFor('sdk-puller', `${password}x`)).status, 401);
    await anyName.close();
  });

  it('Reader reads but cannot change; Contributor changes but cannot assign roles; Owner assigns roles', async () => {
    const admin = new WharfAdmin(server, registry);
    const reader = await admin.createServicePrincipal('sdk-reader');
    const contributor = await admin.createServicePrincipal('sdk-contributor');
    await admin.assignRole(reader.objectId, ROLE.Reader);
    await admin.assignRole(contributor.objectId, ROLE.Contributor);
    const asReader = clientAs(reader);
    const asContributor = clientAs(contributor);

    assert.equal((await asReader.registries.get(rg, registry)).name, registry);
    assert.deepEqual(
      (await all(asReader.registries.list())).map((r) => r.name),
      [registry],
    );
    assert.deepEqual(
      (await all(asReader.tokens.list(rg, registry))).map((t) => t.name),
      ['sdk-puller'],
    );
    const readerWrite = await rejection(asReader.registries.update(rg, registry, { adminUserEnabled: true }));
    assert.deepEqual([readerWrite.statusCode, readerWrite.code], [403, 'AuthorizationFailed'], readerWrite.message);
    const readerSecrets = await rejection(asReader.registries.listCredentials(rg, registry));
    assert.equal(readerSecrets.code, 'AuthorizationFailed');

    const changed = await asContributor.registries.update(rg, registry, { adminUserEnabled: true });
    assert.equal(changed.adminUserEnabled, true);
    assert.equal((await asContributor.registries.listCredentials(rg, registry)).username, registry);

    // Role assignments through ARM's REST API, with each principal's own token.
    const assignment = async (login: { appId: string; secret: string }) => {
      const token = await identityToken(server, { tenantId: owner.tenantId, clientId: login.appId, clientSecret: login.secret });
      return server.request(`${admin.registryId}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?api-version=2022-04-01`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          properties: {
            roleDefinitionId: `${admin.registryId}/providers/Microsoft.Authorization/roleDefinitions/${ROLE.AcrPull}`,
            principalId: reader.objectId,
            principalType: 'ServicePrincipal',
          },
        }),
      });
    };
    const refused = await assignment(contributor);
    assert.equal(refused.status, 403, refused.text());
    assert.equal(refused.json<{ error: { code: string } }>().error.code, 'AuthorizationFailed');
    const ownerLogin = { appId: owner.clientId, secret: owner.clientSecret };
    const assigned = await assignment(ownerLogin);
    assert.equal(assigned.status, 201, assigned.text());
  });

  it('beginDeleteAndWait removes the registry', async () => {
    await client.registries.beginDeleteAndWait(rg, registry);
    const gone = await rejection(client.registries.get(rg, registry));
    assert.equal(gone.code, 'ResourceNotFound');
    assert.equal((await client.registries.checkNameAvailability({ name: registry, type: 'Microsoft.ContainerRegistry/registries' })).nameAvailable, true);
  });
});
