/**
 * The Azure SDK's data-plane clients (@azure/container-registry 1.1.2) against Wharf over
 * HTTPS, authenticated the way they are against ACR: a ClientSecretCredential for the
 * bootstrap owner from Wharf's identity plane (audience https://management.azure.com), then
 * the SDK's own /oauth2/exchange and /oauth2/token dance. ContainerRegistryContentClient
 * uploads and downloads blobs and manifests; ContainerRegistryClient lists, reads and updates
 * properties (the /acr/v1 API) and deletes; an anonymous client reads once anonymous pull is on.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ContainerRegistryClient, ContainerRegistryContentClient, KnownContainerRegistryAudience, type OciImageManifest } from '@azure/container-registry';
import type { TokenCredential } from '@azure/identity';
import { ownerCredential, sdkClientOptions } from '../helpers/azure-sdk.js';
import { defaultLoginServer, MEDIA } from '../helpers/contract.js';
import { uniqueRepo } from '../helpers/registry-api.js';
import { WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

let w: WharfServer;
let credential: TokenCredential;
let client: ContainerRegistryClient;

const audience = KnownContainerRegistryAudience.AzureResourceManagerPublicCloud;
const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

before(async () => {
  w = await startWharf({ secure: true });
  credential = ownerCredential(w);
  client = new ContainerRegistryClient(w.baseUrl, credential, { audience, ...sdkClientOptions(w) });
});
after(async () => {
  await w?.stop();
});

function contentClient(repository: string): ContainerRegistryContentClient {
  return new ContainerRegistryContentClient(w.baseUrl, repository, credential, { audience, ...sdkClientOptions(w) });
}

/** Uploads a config and a layer through the SDK and sets the manifest as `tag`. */
async function pushWithSdk(repository: string, tag: string, platform = { architecture: 'arm64', os: 'linux' }) {
  const content = contentClient(repository);
  const config = Buffer.from(JSON.stringify({ ...platform, rootfs: { type: 'layers', diff_ids: [] }, nonce: randomBytes(8).toString('hex') }));
  const layer = randomBytes(5000);
  const uploadedConfig = await content.uploadBlob(config);
  const uploadedLayer = await content.uploadBlob(layer);
  assert.equal(uploadedConfig.digest, sha256(config));
  assert.equal(uploadedLayer.digest, sha256(layer));
  const manifest: OciImageManifest = {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: { mediaType: MEDIA.ociConfig, digest: uploadedConfig.digest, size: config.length },
    layers: [{ mediaType: MEDIA.ociLayerGzip, digest: uploadedLayer.digest, size: layer.length }],
  };
  const { digest } = await content.setManifest(manifest, { tag });
  return { digest, config, layer, layerDigest: uploadedLayer.digest, content };
}

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

describe('ContainerRegistryContentClient', () => {
  test('uploads blobs, sets a manifest by tag, and reads both back', async () => {
    const repository = uniqueRepo('sdk/content');
    const pushed = await pushWithSdk(repository, 'v1');
    const content = contentClient(repository);
    const got = await content.getManifest('v1');
    assert.equal(got.digest, pushed.digest);
    assert.equal(got.mediaType, MEDIA.ociManifest);
    assert.equal((got.manifest as OciImageManifest).layers[0]!.digest, pushed.layerDigest);
    const blob = await content.downloadBlob(pushed.layerDigest);
    const chunks: Buffer[] = [];
    for await (const chunk of blob.content) chunks.push(chunk as Buffer);
    assert.deepEqual(Buffer.concat(chunks), pushed.layer);
    await content.deleteManifest(pushed.digest);
    await assert.rejects(content.getManifest('v1'), (e) => statusOf(e) === 404);
  });
});

describe('ContainerRegistryClient (the /acr/v1 API)', () => {
  test('lists repositories and reads repository, manifest and tag properties', async () => {
    const repository = uniqueRepo('sdk/props');
    const pushed = await pushWithSdk(repository, 'v1');
    const names = await collect(client.listRepositoryNames());
    assert.ok(names.includes(repository), names.join(', '));

    const repo = client.getRepository(repository);
    const properties = await repo.getProperties();
    assert.equal(properties.name, repository);
    assert.equal(properties.registryLoginServer, defaultLoginServer(w.port));
    assert.equal(properties.manifestCount, 1);
    assert.equal(properties.tagCount, 1);
    assert.equal(properties.canWrite, true);
    assert.ok(properties.createdOn instanceof Date && properties.lastUpdatedOn >= properties.createdOn);

    const manifests = await collect(repo.listManifestProperties());
    assert.equal(manifests.length, 1);
    assert.equal(manifests[0]!.digest, pushed.digest);
    assert.equal(manifests[0]!.architecture, 'arm64');
    assert.equal(manifests[0]!.operatingSystem, 'linux');
    assert.deepEqual(manifests[0]!.tags, ['v1']);

    const artifact = client.getArtifact(repository, 'v1');
    const manifest = await artifact.getManifestProperties();
    assert.equal(manifest.digest, pushed.digest);
    const stored = await pushed.content.getManifest(pushed.digest);
    assert.equal(manifest.sizeInBytes, stored.content.length + pushed.config.length + pushed.layer.length);
    const tag = await artifact.getTagProperties('v1');
    assert.equal(tag.digest, pushed.digest);
    assert.equal(tag.canDelete, true);
  });

  test('pages tags and manifests through the Link header, in the order asked for', async () => {
    const repository = uniqueRepo('sdk/paging');
    const digests: string[] = [];
    for (const tag of ['c', 'a', 'b']) {
      digests.push((await pushWithSdk(repository, tag)).digest);
      await new Promise((r) => setTimeout(r, 5));
    }
    // A second tag on an existing manifest: a new tag, no new manifest.
    const content = contentClient(repository);
    await content.setManifest((await content.getManifest('a')).content, { tag: 'a2', mediaType: MEDIA.ociManifest });
    // Every tag of the repository, newest first, one per page.
    const tagPages = await collect(client.getArtifact(repository, 'a').listTagProperties({ order: 'LastUpdatedOnDescending' }).byPage({ maxPageSize: 1 }));
    assert.deepEqual(
      tagPages.map((p) => p.map((t) => t.name)),
      [['a2'], ['b'], ['a'], ['c']],
    );
    const manifestPages = await collect(
      client.getRepository(repository).listManifestProperties({ order: 'LastUpdatedOnDescending' }).byPage({ maxPageSize: 1 }),
    );
    assert.deepEqual(
      manifestPages.map((p) => p.map((m) => m.digest)),
      [[digests[2]], [digests[1]], [digests[0]]],
    );
    const ascending = await collect(client.getRepository(repository).listManifestProperties({ order: 'LastUpdatedOnAscending' }));
    assert.deepEqual(
      ascending.map((m) => m.digest),
      digests,
    );
    const names = await collect(client.listRepositoryNames().byPage({ maxPageSize: 1 }));
    assert.ok(names.length > 1 && names.every((p) => p.length === 1));
    assert.ok(names.flat().includes(repository));
  });

  test('updates changeable attributes: a locked tag refuses setManifest, an unlisted repository is hidden', async () => {
    const repository = uniqueRepo('sdk/update');
    await pushWithSdk(repository, 'v1');
    const artifact = client.getArtifact(repository, 'v1');
    const locked = await artifact.updateTagProperties('v1', { canWrite: false, canDelete: false });
    assert.equal(locked.canWrite, false);
    assert.equal(locked.canDelete, false);
    await assert.rejects(pushWithSdk(repository, 'v1'), (e: Error) => statusOf(e) === 403 && /writeEnabled=false/.test(e.message));
    await assert.rejects(artifact.deleteTag('v1'), (e) => statusOf(e) === 403);
    await artifact.updateTagProperties('v1', { canWrite: true, canDelete: true });
    await pushWithSdk(repository, 'v1');

    const repo = client.getRepository(repository);
    const hidden = await repo.updateProperties({ canList: false });
    assert.equal(hidden.canList, false);
    assert.ok(!(await collect(client.listRepositoryNames())).includes(repository));
    await repo.updateProperties({ canList: true });
    assert.ok((await collect(client.listRepositoryNames())).includes(repository));

    const manifest = await artifact.updateManifestProperties({ canRead: false });
    assert.equal(manifest.canRead, false);
    await assert.rejects(contentClient(repository).getManifest('v1'), (e: Error) => statusOf(e) === 403 && /readEnabled=false/.test(e.message));
  });

  test('deletes a tag, a manifest and a repository', async () => {
    const repository = uniqueRepo('sdk/delete');
    const first = await pushWithSdk(repository, 'v1');
    await pushWithSdk(repository, 'v2');
    const artifact = client.getArtifact(repository, 'v2');
    await artifact.deleteTag('v2');
    await assert.rejects(artifact.getTagProperties('v2'), (e) => statusOf(e) === 404);
    await client.getArtifact(repository, first.digest).delete();
    assert.equal((await client.getRepository(repository).getProperties()).manifestCount, 1);
    await client.deleteRepository(repository);
    await assert.rejects(client.getRepository(repository).getProperties(), (e) => statusOf(e) === 404);
    assert.ok(!(await collect(client.listRepositoryNames())).includes(repository));
  });
});

describe('anonymous ContainerRegistryClient', () => {
  test('reads once anonymous pull is enabled, and may not change anything', async () => {
    const repository = uniqueRepo('sdk/anon');
    await pushWithSdk(repository, 'v1');
    const anonymous = new ContainerRegistryClient(w.baseUrl, { audience, ...sdkClientOptions(w) });
    await assert.rejects(anonymous.getRepository(repository).getProperties(), (e) => statusOf(e) === 401);
    await new WharfAdmin(w).updateRegistry({ anonymousPullEnabled: true });
    const properties = await anonymous.getRepository(repository).getProperties();
    assert.equal(properties.tagCount, 1);
    assert.ok((await collect(anonymous.listRepositoryNames())).includes(repository));
    assert.equal((await anonymous.getArtifact(repository, 'v1').getTagProperties('v1')).name, 'v1');
    await assert.rejects(anonymous.getRepository(repository).updateProperties({ canWrite: false }), (e) => statusOf(e) === 401);
  });
});
