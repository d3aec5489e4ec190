/**
 * @azure/arm-containerregistry 12 (api-version 2025-11-01) against Wharf's management API,
 * signed in with @azure/identity's ClientSecretCredential through Wharf's identity plane, as
 * the bootstrap owner and as an AcrPull-only service principal. The SDK asks for a token for
 * `${endpoint}/.default` and completes its long-running operations on a plain 200/201.
 */
import assert from 'node:assert/strict';
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
import { ROLE, WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

describe('@azure/arm-containerregistry against Wharf', () => {
  let server: WharfServer;
  let owner: BootstrapOwner;
  let client: ContainerRegistryManagementClient;
  let rg: string;
  const registry = 'sdkreg';

  before(async () => {
    server = await startWharf({ secure: true });
    owner = readBootstrapOwner(server);
    rg = owner.resourceGroup;
    client = new ContainerRegistryManagementClient(ownerCredential(server), owner.subscriptionId, {
      endpoint: server.baseUrl,
      ...sdkClientOptions(server),
    });
  });
  after(async () => {
    await server?.stop();
  });

  it('registries.get and registries.list show the default registry', async () => {
    const wharf = await client.registries.get(rg, 'wharf');
    assert.equal(wharf.name, 'wharf');
    assert.equal(wharf.loginServer, `localhost:${server.port}`);
    assert.equal(wharf.adminUserEnabled, false);
    assert.equal(wharf.provisioningState, 'Succeeded');
    assert.equal(wharf.networkRuleSet?.defaultAction, 'Allow');
    assert.ok(wharf.creationDate instanceof Date);
    const listed = await all(client.registries.list());
    assert.deepEqual(
      listed.map((r) => r.name),
      ['wharf'],
    );
    const inGroup = await all(client.registries.listByResourceGroup(rg));
    assert.deepEqual(
      inGroup.map((r) => r.id),
      [wharf.id],
    );
  });

  it('registries.checkNameAvailability and create make a new registry', async () => {
    const free = await client.registries.checkNameAvailability({ name: registry, type: 'Microsoft.ContainerRegistry/registries' });
    assert.equal(free.nameAvailable, true);
    const created = await client.registries.create(rg, registry, { location: 'local', sku: { name: 'Standard' } });
    assert.equal(created.name, registry);
    assert.equal(created.loginServer, `${registry}.localhost:${server.port}`);
    assert.equal(created.sku.name, 'Standard');
    const taken = await client.registries.checkNameAvailability({ name: registry, type: 'Microsoft.ContainerRegistry/registries' });
    assert.equal(taken.nameAvailable, false);
    assert.equal(taken.reason, 'AlreadyExists');
  });

  it('registries.update turns the admin user on; listCredentials and regenerateCredential', async () => {
    const updated = await client.registries.update(rg, registry, { adminUserEnabled: true, tags: { owner: 'sdk' } });
    assert.equal(updated.adminUserEnabled, true);
    assert.deepEqual(updated.tags, { owner: 'sdk' });
    const creds = await client.registries.listCredentials(rg, registry);
    assert.equal(creds.username, registry);
    assert.deepEqual(
      creds.passwords?.map((p) => p.name),
      ['password', 'password2'],
    );
    const renewed = await client.registries.regenerateCredential(rg, registry, { name: 'password' });
    assert.notEqual(renewed.passwords?.[0]?.value, creds.passwords?.[0]?.value);
    assert.equal(renewed.passwords?.[1]?.value, creds.passwords?.[1]?.value);
  });

  it('surfaces refusals as RestErrors with the ARM code', async () => {
    const network = await rejection(client.registries.update(rg, registry, { networkRuleSet: { defaultAction: 'Deny', ipRules: [] } }));
    assert.equal(network.statusCode, 400, network.message);
    assert.equal(network.code, 'FeatureNotSupported');
    const missing = await rejection(client.registries.get(rg, 'nosuchregistry'));
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.code, 'ResourceNotFound');
  });

  it('scopeMaps.create and scopeMaps.list', async () => {
    const map = await client.scopeMaps.create(rg, registry, 'sdk-map', { actions: ['repositories/demo/content/read'], description: 'from the SDK' });
    assert.equal(map.name, 'sdk-map');
    assert.deepEqual(map.actions, ['repositories/demo/content/read']);
    assert.equal(map.typePropertiesType, 'UserDefined');
    const maps = await all(client.scopeMaps.list(rg, registry));
    assert.ok(maps.some((m) => m.name === 'sdk-map'));
    assert.ok(maps.some((m) => m.name === '_repositories_push' && m.typePropertiesType === 'SystemDefined'));
  });

  it('tokens.create, tokens.list, generateCredentials, tokens.delete', async () => {
    const scopeMapId = `${(await client.registries.get(rg, registry)).id}/scopeMaps/sdk-map`;
    const token = await client.tokens.create(rg, registry, 'sdk-token', { scopeMapId, status: 'enabled' });
    assert.equal(token.name, 'sdk-token');
    assert.equal(token.scopeMapId, scopeMapId);
    assert.equal(token.status, 'enabled');
    assert.deepEqual(token.credentials?.passwords, []);
    assert.deepEqual(
      (await all(client.tokens.list(rg, registry))).map((t) => t.name),
      ['sdk-token'],
    );

    const generated = await client.registries.generateCredentials(rg, registry, { tokenId: token.id! });
    assert.equal(generated.username, 'sdk-token');
    assert.deepEqual(
      generated.passwords?.map((p) => p.name),
      ['password1', 'password2'],
    );
    assert.ok(generated.passwords?.every((p) => typeof p.value === 'string' && p.value.length === 52));
    assert.ok(generated.passwords?.[0]?.creationTime instanceof Date);
    const shown = await client.tokens.get(rg, registry, 'sdk-token');
    assert.deepEqual(
      shown.credentials?.passwords?.map((p) => [p.name, p.value]),
      [
        ['password1', undefined],
        ['password2', undefined],
      ],
    );

    const usages = await client.registries.listUsages(rg, registry);
    assert.equal(usages.value?.find((u) => u.name === 'Tokens')?.currentValue, 1);
    const size = usages.value?.find((u) => u.name === 'Size');
    assert.equal(size?.unit, 'Bytes');
    assert.ok((size?.limit ?? 0) >= 10 * 1024 ** 3, "the SKU's included storage");
    assert.equal(typeof size?.currentValue, 'number');

    await client.tokens.delete(rg, registry, 'sdk-token');
    const gone = await rejection(client.tokens.get(rg, registry, 'sdk-token'));
    assert.equal(gone.statusCode, 404);
    assert.deepEqual(await all(client.tokens.list(rg, registry)), []);
  });

  it('an AcrPull-only service principal reads nothing and writes nothing (AuthorizationFailed)', async () => {
    const admin = new WharfAdmin(server, registry);
    const puller = await admin.createServicePrincipal('sdk-puller');
    await admin.assignRole(puller.objectId, ROLE.AcrPull);
    const pullerClient = new ContainerRegistryManagementClient(
      servicePrincipalCredential(server, { tenantId: owner.tenantId, clientId: puller.appId, clientSecret: puller.secret }),
      owner.subscriptionId,
      { endpoint: server.baseUrl, ...sdkClientOptions(server) },
    );
    const read = await rejection(pullerClient.registries.get(rg, registry));
    assert.equal(read.statusCode, 403);
    assert.equal(read.code, 'AuthorizationFailed');
    assert.match(read.message, new RegExp(`The client '${puller.appId}' with object id '${puller.objectId}' does not have authorization`));
    const write = await rejection(pullerClient.registries.update(rg, registry, { adminUserEnabled: false }));
    assert.equal(write.code, 'AuthorizationFailed');
    const credentials = await rejection(pullerClient.registries.listCredentials(rg, registry));
    assert.equal(credentials.code, 'AuthorizationFailed');
    assert.deepEqual(await all(pullerClient.registries.list()), []);
  });

  it('registries.delete removes the registry', async () => {
    await client.registries.delete(rg, registry);
    const gone = await rejection(client.registries.get(rg, registry));
    assert.equal(gone.code, 'ResourceNotFound');
  });
});
