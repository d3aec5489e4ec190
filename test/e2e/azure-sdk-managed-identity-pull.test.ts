/**
 * A managed identity pulling from the registry, the way AKS kubelets and ACR Tasks do: a token
 * from the IMDS-compatible endpoint (ManagedIdentityCredential), exchanged for an ACR refresh
 * token, then access tokens, by the Azure SDK's ContainerRegistryClient. Its own process, since
 * MSAL keeps the managed-identity endpoint process-wide.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ContainerRegistryClient, KnownContainerRegistryAudience } from '@azure/container-registry';
import { managedIdentityCredential, sdkClientOptions } from '../helpers/azure-sdk.js';
import { ClientSandbox, ok } from '../helpers/clients.js';
import { buildImageLayout } from '../helpers/oci-layout.js';
import { uniqueRepo } from '../helpers/registry-api.js';
import { ROLE, WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

let w: WharfServer;
let admin: WharfAdmin;

before(async () => {
  w = await startWharf({ secure: true });
  admin = new WharfAdmin(w);
});
after(async () => {
  await w?.stop();
});

test('a user-assigned managed identity with AcrPull lists and reads repositories; without a role it is refused', async () => {
  const identityPath = `/subscriptions/${admin.owner.subscriptionId}/resourceGroups/${admin.owner.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/puller-mi`;
  const mi = await admin.ok<{ properties: { clientId: string; principalId: string } }>('PUT', identityPath, { location: 'local' });

  const client = new ContainerRegistryClient(w.baseUrl, managedIdentityCredential(w, { clientId: mi.properties.clientId }), {
    audience: KnownContainerRegistryAudience.AzureResourceManagerPublicCloud,
    ...sdkClientOptions(w),
  });
  await assert.rejects(
    async () => {
      for await (const _ of client.listRepositoryNames()) break;
    },
    (error: Error & { statusCode?: number }) => error.statusCode === 401,
    'no role: the exchange works but the token allows nothing',
  );

  // Content pushed with the admin user, then the identity gets AcrPull.
  const password = await admin.enableAdmin();
  const repo = uniqueRepo('mi/app');
  const image = buildImageLayout({ layers: 1, layerSize: 2048 });
  ok(await new ClientSandbox().skopeo(['copy', '--dest-cert-dir', w.caDir!, '--dest-creds', `wharf:${password}`, image.ref, `docker://${w.host}/${repo}:v1`]));
  await admin.assignRole(mi.properties.principalId, ROLE.AcrPull);
  await new Promise((r) => setTimeout(r, 3200)); // grants are cached for 3 s

  const names: string[] = [];
  for await (const name of client.listRepositoryNames()) names.push(name);
  assert.ok(names.includes(repo), names.join(', '));
  const properties = await client.getRepository(repo).getProperties();
  assert.equal(properties.tagCount, 1);
  await assert.rejects(client.deleteRepository(repo), (error: Error & { statusCode?: number }) => error.statusCode === 403 || error.statusCode === 401);

  const [login] = (
    await admin.ok<{ value: { Identity: string; OperationName: string; IdentityType: string }[] }>(
      'GET',
      `${admin.registryId}/loginEvents?operationName=ExchangeToken`,
    )
  ).value;
  assert.equal(login?.IdentityType, 'ManagedIdentity');
});
