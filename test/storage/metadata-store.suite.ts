/**
 * The metadata store test suite: every implementation (SQLite, PostgreSQL) must pass it.
 * `open` returns a fresh, empty, migrated store.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LoginEvent, ManifestChild, MetadataStore, NewManifest, RepositoryEvent, RepositoryRef } from '../../src/storage/metadata/store.js';
import {
  PrivateEndpointConflictError,
  defaultRegistryNetwork,
  type PrivateEndpointRecord,
  type ReplicationRecord,
  type SubnetRecord,
  type TrustedServiceRecord,
  type VirtualNetworkRecord,
} from '../../src/storage/metadata/network-records.js';

const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

function manifest(name: string, children: ManifestChild[], extra: Partial<NewManifest> = {}): NewManifest {
  const content = Buffer.from(JSON.stringify({ name, children }));
  return {
    digest: sha(content.toString()),
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    size: content.length,
    content,
    subject: null,
    artifactType: null,
    annotations: null,
    children,
    ...extra,
  };
}

export function metadataStoreSuite(label: string, open: () => Promise<MetadataStore>): void {
  describe(`metadata store: ${label}`, () => {
    let store: MetadataStore;
    const repo: RepositoryRef = { registry: 'reg1', repository: 'team/app' };
    const other: RepositoryRef = { registry: 'reg1', repository: 'team/other' };

    before(async () => {
      store = await open();
      await store.registries.upsert({ name: 'reg1', loginServer: null, deletesEnabled: true });
      await store.registries.upsert({ name: 'reg2', loginServer: 'localhost:8443', deletesEnabled: false });
    });
    after(async () => store.close());

    it('creates and updates registries', async () => {
      const reg2 = await store.registries.get('reg2');
      assert.ok(reg2);
      assert.equal(reg2.updatedAt, reg2.createdAt, 'never updated: reports the creation time');
      assert.deepEqual(
        { ...reg2, createdAt: undefined, updatedAt: undefined },
        {
          name: 'reg2',
          loginServer: 'localhost:8443',
          deletesEnabled: false,
          createdAt: undefined,
          updatedAt: undefined,
          // The migration's defaults: the scaffolding's subscription and resource group.
          subscriptionId: '00000000-0000-0000-0000-000000000001',
          resourceGroup: 'wharf',
          location: 'local',
          sku: 'Premium',
          tags: {},
          adminUserEnabled: false,
          anonymousPullEnabled: false,
        },
      );
      await store.registries.upsert({ name: 'reg2', loginServer: 'localhost:8443', deletesEnabled: false });
      assert.equal((await store.registries.get('reg2'))?.updatedAt, reg2.createdAt, 'an upsert that changes nothing is no update');
      await store.registries.upsert({ name: 'reg2', loginServer: null, deletesEnabled: true });
      const updated = await store.registries.get('reg2');
      assert.equal(updated?.loginServer, null);
      assert.equal(updated?.deletesEnabled, true);
      assert.equal(updated?.createdAt, reg2?.createdAt);
      assert.deepEqual(
        (await store.registries.list()).map((r) => r.name),
        ['reg1', 'reg2'],
      );
      assert.equal(await store.registries.get('nope'), undefined);
    });

    it('links blobs per repository and mounts across repositories', async () => {
      const digest = sha('layer-1');
      assert.equal(await store.blobs.stat(repo, digest), undefined);
      assert.equal(await store.blobs.link(repo, digest), false, 'cannot link content that was never committed');
      await store.blobs.commit(repo, digest, 5_000_000_000);
      assert.deepEqual(await store.blobs.stat(repo, digest), { size: 5_000_000_000, readEnabled: true });
      assert.equal(await store.blobs.stat(other, digest), undefined, 'not visible in another repository');
      assert.equal(await store.blobs.findRepository('reg1', digest), 'team/app');
      assert.equal(await store.blobs.findRepository('reg2', digest), undefined);
      assert.equal(await store.blobs.link(other, digest), true);
      assert.deepEqual(await store.blobs.stat(other, digest), { size: 5_000_000_000, readEnabled: true });
      await store.blobs.commit(repo, digest, 5_000_000_000); // idempotent
      assert.equal(await store.blobs.unlink(other, digest), true);
      assert.equal(await store.blobs.unlink(other, digest), false);
      assert.equal(await store.blobs.stat(other, digest), undefined);
      assert.deepEqual(await store.blobs.stat(repo, digest), { size: 5_000_000_000, readEnabled: true });
    });

    it("counts a registry's storage once per blob, plus its manifests", async () => {
      const ref = { registry: 'usage', repository: 'a' };
      await store.registries.upsert({ name: 'usage', loginServer: null, deletesEnabled: true });
      assert.equal(await store.repositories.storageBytes('usage'), 0);
      const shared = sha('usage-shared');
      await store.blobs.commit(ref, shared, 3_000_000_000);
      await store.blobs.commit({ registry: 'usage', repository: 'b' }, shared, 3_000_000_000);
      await store.blobs.commit(ref, sha('usage-own'), 7);
      const m = manifest('usage-m', [{ digest: shared, kind: 'blob', size: 3_000_000_000 }]);
      assert.deepEqual(await store.manifests.put(ref, m, 'v1'), { ok: true });
      assert.equal(await store.repositories.storageBytes('usage'), 3_000_000_007 + m.size);
      assert.equal(await store.repositories.storageBytes('nope'), 0);
    });

    it('refuses a manifest whose children are missing or of another size, storing nothing', async () => {
      const config = sha('config-a');
      const missing = manifest('m-missing', [{ digest: config, kind: 'blob', size: 10 }]);
      const result = await store.manifests.put(repo, missing, 'broken');
      assert.equal(result.ok, false);
      assert.ok(!result.ok && 'missing' in result && result.missing.digest === config);
      await store.blobs.commit(repo, config, 11);
      const wrongSize = await store.manifests.put(repo, missing, 'broken');
      assert.ok(!wrongSize.ok && 'sizeMismatch' in wrongSize && wrongSize.actual === 11);
      assert.equal(await store.manifests.get(repo, 'broken'), undefined);
      assert.equal(await store.manifests.get(repo, missing.digest), undefined);
    });

    it('stores manifests with tags, moves tags, and lists tags in byte order with paging', async () => {
      const config = sha('config-b');
      await store.blobs.commit(repo, config, 3);
      const m1 = manifest('m1', [{ digest: config, kind: 'blob', size: 3 }]);
      const m2 = manifest('m2', [{ digest: config, kind: 'blob', size: 3 }]);
      assert.deepEqual(await store.manifests.put(repo, m1, 'v1'), { ok: true });
      assert.deepEqual(await store.manifests.put(repo, m1, 'latest'), { ok: true });
      assert.deepEqual(await store.manifests.put(repo, m2, 'B'), { ok: true });
      assert.deepEqual(await store.manifests.put(repo, m2, 'a_tag'), { ok: true });
      const byTag = await store.manifests.get(repo, 'v1');
      assert.equal(byTag?.digest, m1.digest);
      assert.deepEqual(byTag?.content, m1.content);
      assert.equal((await store.manifests.get(repo, m2.digest))?.size, m2.size);
      assert.deepEqual(await store.manifests.tags(repo, {}), ['B', 'a_tag', 'latest', 'v1']);
      assert.deepEqual(await store.manifests.tags(repo, { n: 2 }), ['B', 'a_tag']);
      assert.deepEqual(await store.manifests.tags(repo, { n: 2, last: 'a_tag' }), ['latest', 'v1']);
      assert.deepEqual(await store.manifests.tags(repo, { n: 0 }), []);
      assert.equal(await store.manifests.tags({ registry: 'reg1', repository: 'nope' }, {}), undefined);
      assert.deepEqual(await store.manifests.put(repo, m2, 'v1'), { ok: true }, 'moving a tag');
      assert.equal((await store.manifests.get(repo, 'v1'))?.digest, m2.digest);
    });

    it('keeps manifests per repository and per registry', async () => {
      const config = sha('config-b');
      assert.equal(await store.manifests.get({ registry: 'reg2', repository: 'team/app' }, 'v1'), undefined);
      assert.equal(await store.manifests.get(other, 'v1'), undefined);
      const index = manifest(
        'idx',
        [{ digest: (await store.manifests.get(repo, 'latest'))!.digest, kind: 'manifest', size: (await store.manifests.get(repo, 'latest'))!.size }],
        {
          mediaType: 'application/vnd.oci.image.index.v1+json',
        },
      );
      const inOther = await store.manifests.put(other, index, 'multi');
      assert.ok(!inOther.ok && 'missing' in inOther, 'an index needs its manifests in the same repository');
      assert.deepEqual(await store.manifests.put(repo, index, 'multi'), { ok: true });
      void config;
    });

    it('untags and deletes manifests (deleting a manifest drops its tags)', async () => {
      const m1 = await store.manifests.get(repo, 'latest');
      assert.ok(m1);
      assert.equal(await store.manifests.untag(repo, 'latest'), true);
      assert.equal(await store.manifests.untag(repo, 'latest'), false);
      assert.equal(await store.manifests.get(repo, 'latest'), undefined);
      assert.ok(await store.manifests.get(repo, m1.digest), 'untag keeps the manifest');
      const m2 = (await store.manifests.get(repo, 'v1'))!;
      assert.equal(await store.manifests.delete(repo, m2.digest), true);
      assert.equal(await store.manifests.delete(repo, m2.digest), false);
      assert.equal(await store.manifests.get(repo, 'v1'), undefined);
      assert.equal(await store.manifests.get(repo, 'B'), undefined);
      assert.deepEqual(await store.manifests.tags(repo, {}), ['multi']);
    });

    it('answers referrers by subject with an artifactType filter', async () => {
      const config = sha('config-b');
      const subject = sha('some-subject');
      const sig = manifest('sig', [{ digest: config, kind: 'blob', size: 3 }], {
        subject,
        artifactType: 'application/vnd.example.signature',
        annotations: { 'org.example': 'yes' },
      });
      const sbom = manifest('sbom', [{ digest: config, kind: 'blob', size: 3 }], { subject, artifactType: 'application/spdx+json' });
      await store.manifests.put(repo, sig, null);
      await store.manifests.put(repo, sbom, null);
      const all = await store.manifests.referrers(repo, subject, null);
      assert.deepEqual(all.map((r) => r.digest).sort(), [sig.digest, sbom.digest].sort());
      const filtered = await store.manifests.referrers(repo, subject, 'application/vnd.example.signature');
      assert.deepEqual(filtered, [
        {
          digest: sig.digest,
          mediaType: sig.mediaType,
          size: sig.size,
          artifactType: 'application/vnd.example.signature',
          annotations: { 'org.example': 'yes' },
        },
      ]);
      assert.deepEqual(await store.manifests.referrers(other, subject, null), []);
    });

    it('lists the catalog in byte order with paging, only repositories with manifests', async () => {
      const config = sha('config-c');
      for (const name of ['zeta', 'Alpha'.toLowerCase(), 'team/other', 'mid/x']) {
        const ref = { registry: 'reg1', repository: name };
        await store.blobs.commit(ref, config, 1);
        if (name !== 'team/other') await store.manifests.put(ref, manifest(`c-${name}`, [{ digest: config, kind: 'blob', size: 1 }]), 'v1');
      }
      assert.deepEqual(await store.repositories.catalog('reg1', {}), ['alpha', 'mid/x', 'team/app', 'zeta']);
      assert.deepEqual(await store.repositories.catalog('reg1', { n: 2, last: 'alpha' }), ['mid/x', 'team/app']);
      assert.deepEqual(await store.repositories.catalog('reg2', {}), []);
    });

    it('pages idle upload sessions in id order and says which ids have a session', async () => {
      const ids = ['p-3', 'p-1', 'p-2'];
      for (const id of ids) await store.uploads.create({ id, registry: 'reg1', repository: 'team/app' });
      const later = new Date(Date.now() + 60_000).toISOString();
      const first = await store.uploads.idleSince(later, 2);
      const pagedIds = first.map((u) => u.id).filter((id) => id.startsWith('p-'));
      const rest = await store.uploads.idleSince(later, 10, first[first.length - 1]!.id);
      pagedIds.push(...rest.map((u) => u.id).filter((id) => id.startsWith('p-')));
      assert.deepEqual(pagedIds, ['p-1', 'p-2', 'p-3']);
      assert.ok(first[0]!.updatedAt >= first[0]!.createdAt);
      assert.deepEqual([...(await store.uploads.existing(['p-2', 'nope', 'p-3']))].sort(), ['p-2', 'p-3']);
      assert.equal((await store.uploads.existing([])).size, 0);
      for (const id of ids) await store.uploads.delete(id);
      assert.equal((await store.uploads.existing(ids)).size, 0);
    });

    it('says which digests have a blob row, and lists the blobs a registry links in digest order', async () => {
      const a = sha('recorded-a');
      const b = sha('recorded-b');
      await store.blobs.commit({ registry: 'reg2', repository: 'scrub/app' }, a, 10);
      await store.blobs.commit({ registry: 'reg2', repository: 'scrub/other' }, a, 10);
      await store.blobs.commit({ registry: 'reg2', repository: 'scrub/app' }, b, 20);
      const many = Array.from({ length: 1200 }, (_, i) => sha(`not-recorded-${i}`));
      assert.deepEqual([...(await store.gc.recordedBlobs([...many, b, a]))].sort(), [a, b].sort());
      const listed = await store.gc.registryBlobs('reg2', 10);
      assert.deepEqual(
        listed,
        [a, b].sort().map((digest) => ({ digest, size: digest === a ? 10 : 20 })),
        'each blob once',
      );
      assert.deepEqual(await store.gc.registryBlobs('reg2', 10, listed[0]!.digest), [listed[1]]);
    });

    it('keeps upload sessions and finds idle ones', async () => {
      await store.uploads.create({ id: 'u-1', registry: 'reg1', repository: 'team/app' });
      assert.equal((await store.uploads.get('u-1'))?.size, 0);
      await store.uploads.setSize('u-1', 6_000_000_000);
      assert.equal((await store.uploads.get('u-1'))?.size, 6_000_000_000);
      assert.deepEqual(
        (await store.uploads.idleSince(new Date(Date.now() + 60_000).toISOString(), 10)).map((u) => u.id),
        ['u-1'],
      );
      assert.deepEqual(await store.uploads.idleSince(new Date(Date.now() - 60_000).toISOString(), 10), []);
      await store.uploads.delete('u-1');
      assert.equal(await store.uploads.get('u-1'), undefined);
      await store.uploads.create({ id: 'u-2', registry: 'reg1', repository: 'team/app' });
      await store.blobs.commit(repo, sha('from-upload'), 4, 'u-2');
      assert.equal(await store.uploads.get('u-2'), undefined, 'completing a blob ends its upload session');
      assert.deepEqual(await store.blobs.stat(repo, sha('from-upload')), { size: 4, readEnabled: true });
    });

    it('serializes concurrent manifest puts for one tag without losing a write', async () => {
      const config = sha('config-d');
      await store.blobs.commit(repo, config, 2);
      const manifests = Array.from({ length: 20 }, (_, i) => manifest(`race-${i}`, [{ digest: config, kind: 'blob', size: 2 }]));
      const results = await Promise.all(manifests.map((m) => store.manifests.put(repo, m, 'race')));
      assert.ok(results.every((r) => r.ok));
      const winner = await store.manifests.get(repo, 'race');
      assert.ok(manifests.some((m) => m.digest === winner?.digest));
      for (const m of manifests) assert.ok(await store.manifests.get(repo, m.digest));
    });

    // ------------------------------------------------------------ identity & access indexes

    const armRegistry = (registry: string) => `/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.ContainerRegistry/registries/${registry}`;

    it('creates a registry with its ARM placement and keeps it on later upserts; updates settings', async () => {
      const placement = { subscriptionId: 'sub-1', resourceGroup: 'rg-1', location: 'westeurope', sku: 'Basic' as const };
      const created = await store.registries.upsert({ name: 'armreg', loginServer: 'armreg.localhost', deletesEnabled: true, placement });
      assert.equal(created.subscriptionId, 'sub-1');
      assert.equal(created.resourceGroup, 'rg-1');
      assert.equal(created.location, 'westeurope');
      assert.equal(created.sku, 'Basic');
      const again = await store.registries.upsert({
        name: 'armreg',
        loginServer: 'armreg2.localhost',
        deletesEnabled: false,
        placement: { subscriptionId: 'other', resourceGroup: 'other', location: 'other', sku: 'Premium' },
      });
      assert.deepEqual(
        [again.subscriptionId, again.resourceGroup, again.location, again.sku],
        ['sub-1', 'rg-1', 'westeurope', 'Basic'],
        'an existing registry keeps its placement and sku',
      );
      assert.equal(again.loginServer, 'armreg2.localhost');
      assert.equal(again.deletesEnabled, false);

      const updated = await store.registries.update('armreg', {
        sku: 'Standard',
        tags: { env: 'test', 'cost-center': '42' },
        adminUserEnabled: true,
        anonymousPullEnabled: true,
        deletesEnabled: true,
      });
      assert.ok(updated);
      assert.equal(updated.sku, 'Standard');
      assert.deepEqual(updated.tags, { env: 'test', 'cost-center': '42' });
      assert.equal(updated.adminUserEnabled, true);
      assert.equal(updated.anonymousPullEnabled, true);
      assert.equal(updated.deletesEnabled, true);
      assert.equal(updated.createdAt, created.createdAt);
      assert.ok(updated.updatedAt >= created.createdAt);
      const partial = await store.registries.update('armreg', { adminUserEnabled: false });
      assert.equal(partial?.adminUserEnabled, false);
      assert.equal(partial?.anonymousPullEnabled, true, 'fields not in the change stay');
      assert.deepEqual(partial?.tags, { env: 'test', 'cost-center': '42' });
      const kept = await store.registries.upsert({ name: 'armreg', loginServer: 'armreg2.localhost', deletesEnabled: true });
      assert.equal(kept.sku, 'Standard', 'an upsert from configuration keeps what ARM changed');
      assert.equal(kept.anonymousPullEnabled, true);
      assert.equal(await store.registries.update('nope', { sku: 'Basic' }), undefined);
    });

    it('saves a management change of a registry in one transaction: row, network settings, admin passwords', async () => {
      const network = {
        publicNetworkAccess: 'Enabled' as const,
        defaultAction: 'Allow' as const,
        ipRules: ['203.0.113.7'],
        virtualNetworkRules: [],
        bypass: 'AzureServices' as const,
        dataEndpointEnabled: false,
      };
      const password = (name: 'password' | 'password2', hash: string) => ({
        registry: 'saved',
        name,
        hash,
        sealedValue: `sealed-${hash}`,
        createdAt: '2024-01-01T00:00:00.000Z',
      });
      const created = await store.registries.save({
        name: 'saved',
        create: { subscriptionId: 'sub-1', resourceGroup: 'rg-1', location: 'westeurope', sku: 'Premium' },
        settings: { tags: { a: 'b' }, adminUserEnabled: true },
        network,
        adminPasswords: [password('password', 'h1'), password('password2', 'h2')],
      });
      assert.ok(created);
      assert.deepEqual(
        [created.registry.sku, created.registry.location, created.registry.loginServer, created.registry.deletesEnabled],
        ['Premium', 'westeurope', null, true],
      );
      assert.deepEqual(created.registry.tags, { a: 'b' });
      assert.deepEqual(created.network.ipRules, ['203.0.113.7']);
      assert.deepEqual((await store.network.registrySettings('saved')).ipRules, ['203.0.113.7']);
      // A password the registry has is never replaced by a save.
      await store.registries.save({ name: 'saved', settings: {}, adminPasswords: [password('password', 'other')] });
      assert.deepEqual(
        (await store.adminPasswords.list('saved')).map((p) => p.hash),
        ['h1', 'h2'],
      );
      // A failure part-way leaves everything as it was: the row and the rules roll back together.
      await assert.rejects(
        store.registries.save({
          name: 'saved',
          settings: { sku: 'Basic' },
          network: { ...network, ipRules: [] },
          adminPasswords: [{ ...password('password', 'x'), name: 'password3' as 'password', hash: null as unknown as string }],
        }),
      );
      assert.equal((await store.registries.get('saved'))?.sku, 'Premium');
      assert.deepEqual((await store.network.registrySettings('saved')).ipRules, ['203.0.113.7']);
      assert.equal(await store.registries.save({ name: 'nosuch', settings: { sku: 'Basic' }, network }), undefined);
      assert.equal(await store.registries.get('nosuch'), undefined);
      assert.deepEqual((await store.network.registrySettings('nosuch')).ipRules, [], 'nothing saved for a registry that is not there');
    });

    it('saves a token with the passwords it keeps, and several passwords at once', async () => {
      const at = '2024-01-01T00:00:00.000Z';
      const token = { registry: 'reg1', name: 'kept-tok', scopeMap: 'readers', status: 'enabled' as const, createdAt: at, updatedAt: at };
      await store.tokens.save(token);
      await store.tokens.putPasswords([
        { registry: 'reg1', token: 'kept-tok', name: 'password1', hash: 'h1', createdAt: at, expiresAt: null },
        { registry: 'reg1', token: 'kept-tok', name: 'password2', hash: 'h2', createdAt: at, expiresAt: '2030-01-01T00:00:00.000Z' },
      ]);
      assert.deepEqual(
        (await store.tokens.passwords('reg1', 'kept-tok')).map((p) => p.name),
        ['password1', 'password2'],
      );
      await store.tokens.save({ ...token, status: 'disabled' });
      assert.equal((await store.tokens.passwords('reg1', 'kept-tok')).length, 2, 'no list of passwords to keep: all stay');
      await store.tokens.save({ ...token, status: 'disabled' }, ['password2']);
      assert.deepEqual(
        (await store.tokens.passwords('reg1', 'kept-tok')).map((p) => p.name),
        ['password2'],
      );
      assert.equal((await store.tokens.get('reg1', 'kept-tok'))?.status, 'disabled');
      await store.tokens.save(token, []);
      assert.deepEqual(await store.tokens.passwords('reg1', 'kept-tok'), []);
      assert.equal(await store.tokens.delete('reg1', 'kept-tok'), true);
    });

    it('deletes a registry with all its metadata in one go, leaving other registries and role assignments', async () => {
      await store.registries.upsert({ name: 'doomed', loginServer: null, deletesEnabled: true });
      const ref = { registry: 'doomed', repository: 'app' };
      const keep = { registry: 'reg2', repository: 'app' };
      const config = sha('doomed-config');
      const m = manifest('doomed-m', [{ digest: config, kind: 'blob', size: 7 }]);
      for (const target of [ref, keep]) {
        await store.blobs.commit(target, config, 7);
        assert.deepEqual(await store.manifests.put(target, m, 'v1'), { ok: true });
      }
      assert.ok(await store.manifests.get(ref, 'v1'), 'read once so a cache in front of the store holds it');
      await store.uploads.create({ id: 'doomed-upload', registry: 'doomed', repository: 'app' });
      await store.adminPasswords.put({ registry: 'doomed', name: 'password', hash: 'h', sealedValue: 's', createdAt: new Date().toISOString() });
      const at = new Date().toISOString();
      await store.scopeMaps.put({ registry: 'doomed', name: 'map', description: '', actions: ['repositories/app/content/read'], createdAt: at, updatedAt: at });
      await store.tokens.put({ registry: 'doomed', name: 'tok', scopeMap: 'map', status: 'enabled', createdAt: at, updatedAt: at });
      await store.tokens.putPassword({ registry: 'doomed', token: 'tok', name: 'password1', hash: 'h', createdAt: at, expiresAt: null });
      await store.roleAssignments.create({
        id: 'ra-doomed',
        scope: armRegistry('doomed'),
        roleName: 'AcrPull',
        principalId: 'p-doomed',
        principalType: 'User',
        createdAt: at,
      });

      assert.equal(await store.registries.delete('doomed'), true);
      assert.equal(await store.registries.delete('doomed'), false);
      assert.equal(await store.registries.get('doomed'), undefined);
      assert.equal(await store.manifests.get(ref, 'v1'), undefined);
      assert.equal(await store.manifests.get(ref, m.digest), undefined);
      assert.equal(await store.manifests.tags(ref, {}), undefined);
      assert.equal(await store.blobs.stat(ref, config), undefined);
      assert.equal(await store.blobs.findRepository('doomed', config), undefined);
      assert.deepEqual(await store.repositories.catalog('doomed', {}), []);
      assert.equal(await store.uploads.get('doomed-upload'), undefined);
      assert.deepEqual(await store.adminPasswords.list('doomed'), []);
      assert.deepEqual(await store.scopeMaps.list('doomed'), []);
      assert.deepEqual(await store.tokens.list('doomed'), []);
      assert.deepEqual(await store.tokens.passwords('doomed', 'tok'), []);
      assert.ok(await store.roleAssignments.get('ra-doomed'), 'role assignments are keyed by ARM scope and stay');
      assert.equal((await store.manifests.get(keep, 'v1'))?.digest, m.digest, 'other registries are untouched');
      assert.deepEqual(await store.blobs.stat(keep, config), { size: 7, readEnabled: true });

      // A registry created again under the name starts empty.
      await store.registries.upsert({ name: 'doomed', loginServer: null, deletesEnabled: true });
      assert.equal(await store.manifests.get(ref, 'v1'), undefined);
      assert.equal(await store.registries.delete('doomed'), true);
    });

    it('removes registries with the grants under a scope and their resource group in one call', async () => {
      const at = new Date().toISOString();
      const placement = (resourceGroup: string) => ({ subscriptionId: 'sub-rm', resourceGroup, location: 'local' });
      await store.scaffold.ensureResourceGroup({ subscriptionId: 'sub-rm', name: 'rg-rm', location: 'local' });
      await store.scaffold.ensureResourceGroup({ subscriptionId: 'sub-rm', name: 'rg-rm2', location: 'local' });
      for (const name of ['rm1', 'rm2']) {
        await store.registries.upsert({ name, loginServer: null, deletesEnabled: true, placement: placement('rg-rm') });
        await store.network.saveReplication({ registry: name, name: 'eastus', location: 'eastus', regionEndpointEnabled: true, createdAt: at }, { a: name });
      }
      const group = '/subscriptions/sub-rm/resourceGroups/rg-rm';
      const assignment = (id: string, scope: string) => ({
        id,
        scope,
        roleName: 'AcrPull' as const,
        principalId: 'p-rm',
        principalType: 'User' as const,
        createdAt: at,
      });
      await store.roleAssignments.create(assignment('ra-rm1', `${group}/providers/Microsoft.ContainerRegistry/registries/rm1`));
      await store.roleAssignments.create(
        assignment('ra-rm1-repo', `${group.toUpperCase()}/providers/Microsoft.ContainerRegistry/registries/RM1/repositories/a_%`),
      );
      await store.roleAssignments.create(assignment('ra-rm2', `${group}/providers/Microsoft.ContainerRegistry/registries/rm2`));
      await store.roleAssignments.create(assignment('ra-group', group));
      await store.roleAssignments.create(assignment('ra-neighbour', `${group}2`));
      assert.deepEqual((await store.network.replicationTags('rm1')).get('eastus'), { a: 'rm1' }, 'a replication saves with its tags');

      // One registry: its row and the grants at or under its id, case ignored; the others stay.
      assert.deepEqual(await store.registries.remove({ registries: ['rm1'], scope: `${group}/providers/Microsoft.ContainerRegistry/registries/rm1` }), ['rm1']);
      assert.equal(await store.registries.get('rm1'), undefined);
      assert.deepEqual(await store.network.replications('rm1'), []);
      const ids = async () => (await store.roleAssignments.list('/subscriptions/sub-rm')).map((a) => a.id).sort();
      assert.deepEqual(await ids(), ['ra-group', 'ra-neighbour', 'ra-rm2']);
      // A group: its registries, every grant under it and its row; a group whose name begins the same keeps its own.
      assert.deepEqual(
        await store.registries.remove({ registries: ['rm2', 'rm1'], scope: group, resourceGroup: { subscriptionId: 'sub-rm', name: 'rg-rm' } }),
        ['rm2'],
      );
      assert.equal(await store.registries.get('rm2'), undefined);
      assert.equal((await store.network.replicationTags('rm2')).size, 0);
      assert.deepEqual(await ids(), ['ra-neighbour']);
      assert.deepEqual(
        (await store.scaffold.resourceGroups('sub-rm')).map((g) => g.name),
        ['rg-rm2'],
      );
      // Leaves the store as it found it for the tests that list every assignment and group.
      await store.roleAssignments.delete('ra-neighbour');
      await store.scaffold.deleteResourceGroup('sub-rm', 'rg-rm2');
    });

    it('ensures the ARM scaffolding idempotently', async () => {
      const tenant = await store.scaffold.ensureTenant({ id: 'tenant-1', displayName: 'Tenant' });
      assert.deepEqual(await store.scaffold.ensureTenant({ id: 'tenant-1', displayName: 'Renamed' }), tenant, 'the first record stays');
      assert.deepEqual(await store.scaffold.tenants(), [tenant]);
      const subscription = await store.scaffold.ensureSubscription({ id: 'sub-1', tenantId: 'tenant-1', displayName: 'Sub' });
      assert.deepEqual(await store.scaffold.ensureSubscription({ id: 'sub-1', tenantId: 'tenant-1', displayName: 'Sub' }), subscription);
      assert.deepEqual(await store.scaffold.subscriptions(), [subscription]);
      assert.equal(subscription.tenantId, 'tenant-1');
      // A new subscription takes its owner's assignment with it; an existing one takes none.
      const owner = (id: string) => ({
        id,
        scope: '/subscriptions/sub-owned',
        roleName: 'Owner' as const,
        principalId: 'p-owner',
        principalType: 'User' as const,
        createdAt: new Date().toISOString(),
      });
      await store.scaffold.ensureSubscription({ id: 'sub-owned', tenantId: 'tenant-1', displayName: 'Owned' }, owner('ra-owner-1'));
      await store.scaffold.ensureSubscription({ id: 'sub-owned', tenantId: 'tenant-1', displayName: 'Owned' }, owner('ra-owner-2'));
      assert.deepEqual(
        (await store.roleAssignments.list('/subscriptions/sub-owned')).map((a) => a.id),
        ['ra-owner-1'],
      );
      await store.roleAssignments.delete('ra-owner-1');
      const rg = await store.scaffold.ensureResourceGroup({ subscriptionId: 'sub-1', name: 'rg-1', location: 'local' });
      assert.deepEqual(await store.scaffold.ensureResourceGroup({ subscriptionId: 'sub-1', name: 'rg-1', location: 'elsewhere' }), rg);
      await store.scaffold.ensureResourceGroup({ subscriptionId: 'sub-1', name: 'a-rg', location: 'local' });
      await store.scaffold.ensureResourceGroup({ subscriptionId: 'sub-2', name: 'rg-other', location: 'local' });
      assert.deepEqual(
        (await store.scaffold.resourceGroups('sub-1')).map((g) => g.name),
        ['a-rg', 'rg-1'],
      );
      assert.equal(await store.scaffold.deleteResourceGroup('sub-1', 'a-rg'), true);
      assert.equal(await store.scaffold.deleteResourceGroup('sub-1', 'a-rg'), false);
      assert.deepEqual(
        (await store.scaffold.resourceGroups('sub-1')).map((g) => g.name),
        ['rg-1'],
      );
      assert.deepEqual(
        (await store.scaffold.resourceGroups('sub-2')).map((g) => g.name),
        ['rg-other'],
      );
      assert.deepEqual(rg.tags, {}, 'a new group has no tags');
      assert.equal(await store.scaffold.setResourceGroupTags('sub-1', 'rg-1', { team: 'a' }), true);
      assert.equal(await store.scaffold.setResourceGroupTags('sub-1', 'no-such-rg', { team: 'a' }), false);
      assert.deepEqual((await store.scaffold.resourceGroups('sub-1'))[0]!.tags, { team: 'a' });
      assert.deepEqual((await store.scaffold.ensureResourceGroup({ subscriptionId: 'sub-1', name: 'rg-1', location: 'local' })).tags, { team: 'a' });
      assert.deepEqual((await store.scaffold.resourceGroups('sub-2'))[0]!.tags, {});
    });

    it('keeps identities, finds them by app id and user name, and keeps their secrets', async () => {
      const at = new Date().toISOString();
      await store.identities.create({
        objectId: 'obj-user',
        tenantId: 'tenant-1',
        type: 'User',
        appId: null,
        displayName: 'Ada',
        userName: 'ada@tenant.example',
        passwordHash: 'scrypt$old',
        createdAt: at,
      });
      await store.identities.create({
        objectId: 'obj-sp',
        tenantId: 'tenant-1',
        type: 'ServicePrincipal',
        appId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
        displayName: 'ci',
        userName: null,
        passwordHash: null,
        createdAt: at,
      });
      await store.identities.create({
        objectId: 'obj-mi',
        tenantId: 'tenant-2',
        type: 'ManagedIdentity',
        appId: 'app-mi',
        displayName: 'mi',
        userName: null,
        passwordHash: null,
        createdAt: at,
      });
      await assert.rejects(
        store.identities.create({
          objectId: 'obj-dup',
          tenantId: 't',
          type: 'ServicePrincipal',
          appId: 'app-mi',
          displayName: 'x',
          userName: null,
          passwordHash: null,
          createdAt: at,
        }),
        'an app id belongs to one identity',
      );
      assert.equal((await store.identities.get('obj-user'))?.userName, 'ada@tenant.example');
      assert.equal((await store.identities.getByUserName('ADA@Tenant.Example'))?.objectId, 'obj-user', 'sign-in names ignore case');
      assert.equal((await store.identities.getByAppId('3F2504E0-4F89-11D3-9A0C-0305E82C3301'))?.objectId, 'obj-sp', 'client ids ignore case');
      assert.equal(await store.identities.getByAppId('unknown'), undefined);
      assert.equal(await store.identities.getByUserName('nobody@tenant.example'), undefined);
      assert.deepEqual((await store.identities.list()).map((i) => i.objectId).sort(), ['obj-mi', 'obj-sp', 'obj-user']);
      assert.deepEqual((await store.identities.list({ tenantId: 'tenant-1' })).map((i) => i.objectId).sort(), ['obj-sp', 'obj-user']);
      assert.deepEqual(
        (await store.identities.list({ type: 'ManagedIdentity' })).map((i) => i.objectId),
        ['obj-mi'],
      );
      assert.deepEqual(await store.identities.list({ tenantId: 'tenant-2', type: 'User' }), []);
      await store.identities.setPasswordHash('obj-user', 'scrypt$new');
      assert.equal((await store.identities.get('obj-user'))?.passwordHash, 'scrypt$new');

      const secret = (keyId: string, createdAt: string) => ({
        keyId,
        objectId: 'obj-sp',
        displayName: `secret ${keyId}`,
        hint: 'abc',
        hash: `scrypt$${keyId}`,
        startAt: createdAt,
        endAt: '2099-01-01T00:00:00.000Z',
        createdAt,
      });
      await store.identities.addSecret(secret('key-1', '2024-01-01T00:00:00.000Z'));
      await store.identities.addSecret(secret('key-2', '2024-02-01T00:00:00.000Z'));
      assert.deepEqual(await store.identities.secrets('obj-sp'), [secret('key-1', '2024-01-01T00:00:00.000Z'), secret('key-2', '2024-02-01T00:00:00.000Z')]);
      assert.deepEqual(await store.identities.secrets('obj-user'), []);
      assert.equal(await store.identities.removeSecret('obj-user', 'key-1'), false, 'a secret is removed only through its owner');
      assert.equal(await store.identities.removeSecret('obj-sp', 'key-1'), true);
      assert.deepEqual(
        (await store.identities.secrets('obj-sp')).map((s) => s.keyId),
        ['key-2'],
      );
    });

    it('lists role assignments by principal and by ARM scope prefix, ignoring case', async () => {
      const at = new Date().toISOString();
      const assign = (id: string, scope: string, principalId: string, roleName: 'AcrPull' | 'AcrPush' | 'Owner' = 'AcrPull') =>
        store.roleAssignments.create({ id, scope, roleName, principalId, principalType: 'ServicePrincipal', createdAt: at });
      await assign('ra-sub', '/subscriptions/sub-1', 'obj-sp', 'Owner');
      await assign('ra-rg', '/subscriptions/sub-1/resourceGroups/rg-1', 'obj-sp');
      await assign('ra-reg', armRegistry('my_reg'), 'obj-sp', 'AcrPush');
      await assign('ra-repo', `${armRegistry('my_reg')}/repositories/team/*`, 'obj-mi');
      await assign('ra-sibling', armRegistry('my_reg2'), 'obj-mi');
      await assign('ra-like', armRegistry('myXreg'), 'obj-mi');
      await assign('ra-other-rg', '/subscriptions/sub-1/resourceGroups/rg-10', 'obj-mi');
      await assert.rejects(assign('ra-sub', '/subscriptions/sub-1', 'obj-mi'), 'assignment ids are unique');

      const ids = (list: { id: string }[]) => list.map((a) => a.id).sort();
      assert.deepEqual(ids(await store.roleAssignments.list(armRegistry('my_reg'))), ['ra-reg', 'ra-repo'], 'not a sibling with a longer name, `_` is literal');
      assert.deepEqual(ids(await store.roleAssignments.list(armRegistry('MY_REG').toLowerCase())), ['ra-reg', 'ra-repo']);
      assert.deepEqual(
        ids(await store.roleAssignments.list(`${armRegistry('my_reg').toUpperCase()}/`)),
        ['ra-reg', 'ra-repo'],
        'a trailing slash changes nothing',
      );
      assert.deepEqual(ids(await store.roleAssignments.list('/subscriptions/sub-1/resourcegroups/rg-1')), [
        'ra-doomed',
        'ra-like',
        'ra-reg',
        'ra-repo',
        'ra-rg',
        'ra-sibling',
      ]);
      const everything = ['ra-doomed', 'ra-like', 'ra-other-rg', 'ra-reg', 'ra-repo', 'ra-rg', 'ra-sibling', 'ra-sub'];
      assert.deepEqual(ids(await store.roleAssignments.list('/SUBSCRIPTIONS/sub-1')), everything, 'the scope itself and everything below');
      assert.deepEqual(ids(await store.roleAssignments.list()), everything, 'all when no prefix');
      assert.deepEqual(ids(await store.roleAssignments.list('/')), everything);
      assert.deepEqual(await store.roleAssignments.list('/subscriptions/sub-9'), []);
      assert.deepEqual(ids(await store.roleAssignments.forPrincipal('obj-sp')), ['ra-reg', 'ra-rg', 'ra-sub']);
      const repoAssignment = await store.roleAssignments.get('ra-repo');
      assert.deepEqual(repoAssignment, {
        id: 'ra-repo',
        scope: `${armRegistry('my_reg')}/repositories/team/*`,
        roleName: 'AcrPull',
        principalId: 'obj-mi',
        principalType: 'ServicePrincipal',
        createdAt: at,
      });
      assert.equal(await store.roleAssignments.delete('ra-like'), true);
      assert.equal(await store.roleAssignments.delete('ra-like'), false);
      assert.equal(await store.roleAssignments.get('ra-like'), undefined);
    });

    it('commits a directory change whole, or nothing of it when its work throws', async () => {
      const at = new Date().toISOString();
      const application = (objectId: string) => ({
        objectId,
        tenantId: 'tenant-1',
        type: 'ServicePrincipal' as const,
        appId: `app-${objectId}`,
        displayName: objectId,
        userName: null,
        passwordHash: null,
        createdAt: at,
      });
      await store.identities.transaction(async (identities) => {
        await identities.create(application('obj-tx-kept'));
        await identities.addOwner('obj-tx-kept', 'obj-user');
        // Reads inside the work see its own writes.
        assert.equal((await identities.get('obj-tx-kept'))?.displayName, 'obj-tx-kept');
      });
      assert.deepEqual(await store.identities.owners('obj-tx-kept'), ['obj-user']);
      await assert.rejects(
        store.identities.transaction(async (identities) => {
          await identities.create(application('obj-tx-lost'));
          // A delete (a transaction of its own outside) joins the work's.
          assert.equal(await identities.delete('obj-tx-kept'), true);
          throw new Error('the second write failed');
        }),
        /the second write failed/,
      );
      assert.equal(await store.identities.get('obj-tx-lost'), undefined, 'the first write is rolled back');
      assert.equal((await store.identities.get('obj-tx-kept'))?.objectId, 'obj-tx-kept', 'the delete is rolled back');
      assert.deepEqual(await store.identities.owners('obj-tx-kept'), ['obj-user']);
      assert.equal(await store.identities.delete('obj-tx-kept'), true);
    });

    it('deletes an identity with its secrets and role assignments', async () => {
      assert.equal(await store.identities.delete('obj-sp'), true);
      assert.equal(await store.identities.delete('obj-sp'), false);
      assert.equal(await store.identities.get('obj-sp'), undefined);
      assert.deepEqual(await store.identities.secrets('obj-sp'), []);
      assert.deepEqual(await store.roleAssignments.forPrincipal('obj-sp'), []);
      assert.equal((await store.roleAssignments.forPrincipal('obj-mi')).length, 3, 'other principals keep theirs');
    });

    it('creates and replaces admin passwords per registry', async () => {
      const put = (registry: string, name: 'password' | 'password2', value: string) =>
        store.adminPasswords.put({
          registry,
          name,
          hash: `hash-${value}`,
          sealedValue: `sealed-${value}`,
          createdAt: `2024-01-0${value.length}T00:00:00.000Z`,
        });
      await put('reg1', 'password2', 'b');
      await put('reg1', 'password', 'a');
      await put('reg2', 'password', 'x');
      await put('reg1', 'password', 'aaa');
      assert.deepEqual(await store.adminPasswords.list('reg1'), [
        { registry: 'reg1', name: 'password', hash: 'hash-aaa', sealedValue: 'sealed-aaa', createdAt: '2024-01-03T00:00:00.000Z' },
        { registry: 'reg1', name: 'password2', hash: 'hash-b', sealedValue: 'sealed-b', createdAt: '2024-01-01T00:00:00.000Z' },
      ]);
      assert.deepEqual(
        (await store.adminPasswords.list('reg2')).map((p) => p.hash),
        ['hash-x'],
      );
      assert.deepEqual(await store.adminPasswords.list('armreg'), []);
    });

    it('keeps scope maps, replaces them keeping the creation time, and says which tokens use one', async () => {
      const map = {
        registry: 'reg1',
        name: 'readers',
        description: 'read team',
        actions: ['repositories/team/*/content/read'],
        createdAt: '2024-01-01T00:00:00.000Z',
        updatedAt: '2024-01-01T00:00:00.000Z',
      };
      await store.scopeMaps.put(map);
      await store.scopeMaps.put({ ...map, name: 'Writers', actions: ['repositories/app/content/write', 'repositories/app/content/read'] });
      await store.scopeMaps.put({ ...map, registry: 'reg2' });
      assert.deepEqual(await store.scopeMaps.get('reg1', 'readers'), map);
      await store.scopeMaps.put({
        ...map,
        description: 'changed',
        actions: ['repositories/*/content/read'],
        createdAt: '2030-01-01T00:00:00.000Z',
        updatedAt: '2024-03-01T00:00:00.000Z',
      });
      assert.deepEqual(await store.scopeMaps.get('reg1', 'readers'), {
        ...map,
        description: 'changed',
        actions: ['repositories/*/content/read'],
        updatedAt: '2024-03-01T00:00:00.000Z',
      });
      assert.deepEqual(
        (await store.scopeMaps.list('reg1')).map((m) => m.name),
        ['Writers', 'readers'],
        'byte order',
      );
      assert.equal(await store.scopeMaps.get('reg1', 'nope'), undefined);
      assert.deepEqual(await store.scopeMaps.usedBy('reg1', 'readers'), []);
      const at = '2024-01-01T00:00:00.000Z';
      await store.tokens.put({ registry: 'reg1', name: 'tok-b', scopeMap: 'readers', status: 'enabled', createdAt: at, updatedAt: at });
      await store.tokens.put({ registry: 'reg1', name: 'tok-a', scopeMap: 'readers', status: 'disabled', createdAt: at, updatedAt: at });
      await store.tokens.put({ registry: 'reg2', name: 'tok-c', scopeMap: 'readers', status: 'enabled', createdAt: at, updatedAt: at });
      assert.deepEqual(await store.scopeMaps.usedBy('reg1', 'readers'), ['tok-a', 'tok-b']);
      assert.deepEqual(await store.scopeMaps.usedBy('reg1', 'Writers'), []);
      assert.equal(await store.scopeMaps.delete('reg1', 'Writers'), true);
      assert.equal(await store.scopeMaps.delete('reg1', 'Writers'), false);
      assert.deepEqual(
        (await store.scopeMaps.list('reg2')).map((m) => m.name),
        ['readers'],
      );
    });

    it('keeps repository tokens and their two passwords: put, replace, remove, delete with the token', async () => {
      const token = await store.tokens.get('reg1', 'tok-b');
      assert.deepEqual(token, {
        registry: 'reg1',
        name: 'tok-b',
        scopeMap: 'readers',
        status: 'enabled',
        createdAt: '2024-01-01T00:00:00.000Z',
        updatedAt: '2024-01-01T00:00:00.000Z',
      });
      await store.tokens.put({ ...token!, status: 'disabled', createdAt: '2030-01-01T00:00:00.000Z', updatedAt: '2024-05-01T00:00:00.000Z' });
      assert.deepEqual(await store.tokens.get('reg1', 'tok-b'), { ...token, status: 'disabled', updatedAt: '2024-05-01T00:00:00.000Z' });
      assert.deepEqual(
        (await store.tokens.list('reg1')).map((t) => t.name),
        ['tok-a', 'tok-b'],
      );
      assert.equal(await store.tokens.get('reg2', 'tok-b'), undefined);

      const password = (name: 'password1' | 'password2', hash: string, expiresAt: string | null) => ({
        registry: 'reg1',
        token: 'tok-b',
        name,
        hash,
        createdAt: '2024-01-01T00:00:00.000Z',
        expiresAt,
      });
      await store.tokens.putPassword(password('password2', 'h2', '2025-01-01T00:00:00.000Z'));
      await store.tokens.putPassword(password('password1', 'h1', null));
      await store.tokens.putPassword({ ...password('password1', 'h1', null), token: 'tok-a' });
      assert.deepEqual(await store.tokens.passwords('reg1', 'tok-b'), [
        password('password1', 'h1', null),
        password('password2', 'h2', '2025-01-01T00:00:00.000Z'),
      ]);
      await store.tokens.putPassword(password('password1', 'h1-new', '2026-01-01T00:00:00.000Z'));
      assert.deepEqual(
        await store.tokens.passwords('reg1', 'tok-b'),
        [password('password1', 'h1-new', '2026-01-01T00:00:00.000Z'), password('password2', 'h2', '2025-01-01T00:00:00.000Z')],
        'regenerating replaces the password',
      );
      assert.equal(await store.tokens.removePassword('reg1', 'tok-b', 'password2'), true);
      assert.equal(await store.tokens.removePassword('reg1', 'tok-b', 'password2'), false);
      assert.deepEqual(
        (await store.tokens.passwords('reg1', 'tok-b')).map((p) => p.name),
        ['password1'],
      );

      assert.equal(await store.tokens.delete('reg1', 'tok-b'), true);
      assert.equal(await store.tokens.delete('reg1', 'tok-b'), false);
      assert.equal(await store.tokens.get('reg1', 'tok-b'), undefined);
      assert.deepEqual(await store.tokens.passwords('reg1', 'tok-b'), [], 'its passwords go with it');
      assert.deepEqual(
        (await store.tokens.passwords('reg1', 'tok-a')).map((p) => p.hash),
        ['h1'],
        'other tokens keep theirs',
      );
    });

    it('keeps signing keys newest first and retires a key once', async () => {
      const jwk = { kty: 'RSA', n: 'sXch', e: 'AQAB', kid: 'k1', use: 'sig', alg: 'RS256' } as JsonWebKey;
      const key = (kid: string, createdAt: string) => ({
        kid,
        algorithm: 'RS256' as const,
        publicJwk: { ...jwk, kid } as JsonWebKey,
        sealedPrivateKey: `sealed-${kid}`,
        createdAt,
        retiredAt: null,
      });
      await store.signingKeys.add(key('k1', '2024-01-01T00:00:00.000Z'));
      await store.signingKeys.add(key('k3', '2024-03-01T00:00:00.000Z'));
      await store.signingKeys.add(key('k2', '2024-02-01T00:00:00.000Z'));
      const listed = await store.signingKeys.list();
      assert.deepEqual(
        listed.map((k) => k.kid),
        ['k3', 'k2', 'k1'],
      );
      assert.deepEqual(listed[2], key('k1', '2024-01-01T00:00:00.000Z'), 'the public JWK comes back as an object');
      assert.equal(await store.signingKeys.retire('k1', '2024-03-01T00:00:00.000Z'), true);
      assert.equal(await store.signingKeys.retire('k1', '2024-04-01T00:00:00.000Z'), false, 'already retired');
      assert.equal(await store.signingKeys.retire('nope', '2024-04-01T00:00:00.000Z'), false);
      const retired = (await store.signingKeys.list()).find((k) => k.kid === 'k1');
      assert.equal(retired?.retiredAt, '2024-03-01T00:00:00.000Z');
      assert.equal((await store.signingKeys.list()).filter((k) => k.retiredAt === null).length, 2);
    });

    it('appends audit events in bulk, filters them newest first, and purges old ones', async () => {
      const base = Date.parse('2024-05-01T00:00:00.000Z');
      const time = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
      const login = (i: number, extra: Partial<LoginEvent> = {}): LoginEvent => ({
        timeGenerated: time(i),
        registry: 'reg1',
        loginServer: 'reg1.localhost',
        callerIpAddress: '127.0.0.1',
        correlationId: `corr-login-${i}`,
        durationMs: 12,
        identity: 'ada@tenant.example',
        identityType: 'User',
        jwtId: null,
        operationName: 'Login',
        resultType: 'Succeeded',
        resultDescription: '200',
        reason: '',
        userAgent: 'docker/27',
        tenantId: 'tenant-1',
        region: 'local',
        ...extra,
      });
      const event = (i: number, extra: Partial<RepositoryEvent> = {}): RepositoryEvent => ({
        timeGenerated: time(i),
        registry: 'reg1',
        loginServer: 'reg1.localhost',
        callerIpAddress: '127.0.0.1',
        correlationId: `corr-repo-${i}`,
        durationMs: 3,
        identity: 'ci',
        identityType: 'ServicePrincipal',
        operationName: 'Pull',
        repository: 'team/app',
        tag: 'v1',
        digest: sha(`audit-${i}`),
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactType: null,
        size: 5_000_000_000,
        resultType: 'Succeeded',
        resultDescription: '200',
        reason: '',
        userAgent: 'skopeo',
        userTenantId: null,
        region: 'local',
        ...extra,
      });

      // More rows than SQLite binds in one statement: the index must chunk them.
      const bulk = Array.from({ length: 1200 }, (_, i) => event(i));
      await store.audit.append({ logins: [], repository: bulk });
      await store.audit.append({ logins: [], repository: [] });
      await store.audit.append({
        logins: [
          login(1),
          login(2, { resultType: 'Failed', resultDescription: '401', reason: 'bad password', identity: 'mallory', callerIpAddress: '127.0.0.2' }),
          login(3, { registry: 'reg2', operationName: 'Token', jwtId: 'jti-1' }),
        ],
        repository: [
          event(2000, {
            operationName: 'Push',
            repository: 'team/other',
            tag: null,
            size: null,
            resultType: 'Failed',
            resultDescription: '403',
            correlationId: 'corr-x',
          }),
          event(2001, { operationName: 'Untag', registry: 'reg2', correlationId: 'corr-x' }),
        ],
      });

      const all = await store.audit.repositoryEvents({ limit: 10_000 });
      assert.equal(all.length, 1202, 'every row of the big batch was written');
      assert.equal((await store.audit.repositoryEvents({})).length, 100, 'default limit');
      assert.equal((await store.audit.repositoryEvents({ limit: 5 })).length, 5);
      assert.equal((await store.audit.repositoryEvents({ limit: 50_000 })).length, 1202, 'at most 10000 asked, all here');
      assert.deepEqual(
        all.slice(0, 3).map((e) => e.timeGenerated),
        [time(2001), time(2000), time(1199)],
        'newest first',
      );
      assert.deepEqual(
        all.find((e) => e.timeGenerated === time(7)),
        event(7),
        'round trip, big sizes included',
      );

      const logins = await store.audit.logins({});
      assert.deepEqual(
        logins.map((l) => l.correlationId),
        ['corr-login-3', 'corr-login-2', 'corr-login-1'],
      );
      assert.deepEqual(logins[0], login(3, { registry: 'reg2', operationName: 'Token', jwtId: 'jti-1' }));
      assert.deepEqual(
        (await store.audit.logins({ registry: 'reg1' })).map((l) => l.correlationId),
        ['corr-login-2', 'corr-login-1'],
      );
      assert.deepEqual(
        (await store.audit.logins({ failuresOnly: true })).map((l) => l.reason),
        ['bad password'],
      );
      assert.deepEqual(
        (await store.audit.logins({ identity: 'mallory' })).map((l) => l.correlationId),
        ['corr-login-2'],
      );
      assert.deepEqual(
        (await store.audit.logins({ callerIpAddress: '127.0.0.2' })).map((l) => l.correlationId),
        ['corr-login-2'],
      );
      assert.deepEqual(
        (await store.audit.logins({ operationName: 'tok' })).map((l) => l.correlationId),
        ['corr-login-3'],
        'contains, ignoring case',
      );
      assert.deepEqual(
        (await store.audit.logins({ operationName: 'o_' })).map((l) => l.correlationId),
        [],
        '`_` is no wildcard',
      );
      assert.deepEqual(
        (await store.audit.logins({ operationName: '%' })).map((l) => l.correlationId),
        [],
        '`%` is no wildcard',
      );
      assert.deepEqual(
        (await store.audit.logins({ from: time(2), to: time(3) })).map((l) => l.correlationId),
        ['corr-login-2'],
        'from inclusive, to exclusive',
      );

      assert.deepEqual(
        (await store.audit.repositoryEvents({ correlationId: 'corr-x' })).map((e) => e.operationName),
        ['Untag', 'Push'],
      );
      assert.deepEqual(
        (await store.audit.repositoryEvents({ repository: 'team/other' })).map((e) => e.operationName),
        ['Push'],
      );
      const failed = await store.audit.repositoryEvents({ failuresOnly: true, registry: 'reg1' });
      assert.deepEqual(
        failed.map((e) => [e.operationName, e.resultDescription, e.tag, e.size]),
        [['Push', '403', null, null]],
      );
      assert.deepEqual(
        (await store.audit.repositoryEvents({ operationName: 'PUS' })).map((e) => e.correlationId),
        ['corr-x'],
      );
      assert.equal((await store.audit.repositoryEvents({ operationName: 'pull', registry: 'reg1', limit: 10_000 })).length, 1200);
      assert.equal((await store.audit.repositoryEvents({ registry: 'reg1', from: time(100), to: time(200), limit: 1000 })).length, 100);
      assert.deepEqual(await store.audit.repositoryEvents({ registry: 'nope' }), []);

      assert.equal(await store.audit.purgeBefore(time(2)), 1 + 2, 'one login and two repository events were older');
      assert.deepEqual(
        (await store.audit.logins({})).map((l) => l.correlationId),
        ['corr-login-3', 'corr-login-2'],
      );
      assert.equal((await store.audit.repositoryEvents({ limit: 10_000 })).length, 1200);
      assert.equal(await store.audit.purgeBefore(time(2)), 0);
      assert.equal(await store.audit.purgeBefore(time(10_000)), 2 + 1200);
      assert.deepEqual(await store.audit.logins({}), []);
      assert.deepEqual(await store.audit.repositoryEvents({}), []);
    });

    it('keeps a reason key and its values beside the English text (0009); rows without one read back without', async () => {
      const row = (correlationId: string, extra: Partial<LoginEvent> = {}): LoginEvent => ({
        timeGenerated: '2024-06-01T00:00:00.000Z',
        registry: 'reg1',
        loginServer: 'reg1.localhost',
        callerIpAddress: '127.0.0.1',
        correlationId,
        durationMs: 1,
        identity: 'reg1',
        identityType: 'anonymous',
        jwtId: null,
        operationName: 'Login',
        resultType: 'Failed',
        resultDescription: '401',
        reason: "wrong password for the admin user 'reg1' (neither password nor password2 matches)",
        userAgent: 'docker/27',
        tenantId: null,
        region: 'local',
        ...extra,
      });
      const values = JSON.stringify({ name: 'reg1' });
      await store.audit.append({
        logins: [row('keyed', { reasonKey: 'adminWrongPassword', reasonValues: values }), row('plain')],
        repository: [
          {
            ...row('keyed-repo', { reasonKey: 'noCredentials', reasonValues: '{}' }),
            operationName: 'Pull',
            repository: 'team/app',
            tag: 'v1',
            digest: null,
            mediaType: null,
            artifactType: null,
            size: null,
            userTenantId: null,
          },
        ],
      });
      const [keyed] = await store.audit.logins({ correlationId: 'keyed' });
      assert.equal(keyed?.reasonKey, 'adminWrongPassword');
      assert.equal(keyed?.reasonValues, values);
      assert.equal(keyed?.reason, "wrong password for the admin user 'reg1' (neither password nor password2 matches)", 'the English text stays');
      const [plain] = await store.audit.logins({ correlationId: 'plain' });
      assert.equal(plain?.reasonKey, undefined);
      assert.equal(plain?.reasonValues, undefined);
      const [repo] = await store.audit.repositoryEvents({ correlationId: 'keyed-repo' });
      assert.deepEqual([repo?.reasonKey, repo?.reasonValues], ['noCredentials', '{}']);
      // A coalesced row's count update keeps its key.
      await store.audit.append({
        logins: [],
        repository: [],
        counts: [{ category: 'login', correlationId: 'keyed', count: 5, reason: `${keyed!.reason} [5 similar failures]` }],
      });
      const [counted] = await store.audit.logins({ correlationId: 'keyed' });
      assert.deepEqual([counted?.count, counted?.reasonKey], [5, 'adminWrongPassword']);
    });

    // ---------------------------------------------------------------- network (issue 4)

    const sub = 'AAAAAAAA-0000-0000-0000-00000000000A';
    const vnetId = (rg: string, name: string) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/virtualNetworks/${name}`;
    const peId = (rg: string, name: string) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/privateEndpoints/${name}`;
    const vnetRecord = (rg: string, name: string, extra: Partial<VirtualNetworkRecord> = {}): VirtualNetworkRecord => ({
      id: vnetId(rg, name).toLowerCase(),
      subscriptionId: sub.toLowerCase(),
      resourceGroup: rg,
      name,
      location: 'local',
      addressPrefixes: ['10.1.0.0/16'],
      tags: {},
      createdAt: '2024-01-01T00:00:00.000Z',
      ...extra,
    });
    const subnetRecord = (vnet: string, name: string, prefixes: string[], endpoints: string[] = []): SubnetRecord => ({
      id: `${vnet}/subnets/${name}`.toLowerCase(),
      vnetId: vnet.toLowerCase(),
      name,
      addressPrefixes: prefixes,
      serviceEndpoints: endpoints,
    });
    const endpoint = (name: string, extra: Partial<PrivateEndpointRecord> = {}): PrivateEndpointRecord => ({
      id: peId('Net-RG', name).toLowerCase(),
      subscriptionId: sub.toLowerCase(),
      resourceGroup: 'Net-RG',
      name,
      location: 'local',
      subnetId: `${vnetId('Net-RG', 'hub')}/subnets/endpoints`.toLowerCase(),
      address: '127.0.10.4',
      port: 8443,
      registry: 'net1',
      connectionName: `${name}.conn`,
      manual: false,
      requestMessage: '',
      status: 'Approved',
      statusDescription: 'Auto-Approved',
      createdAt: '2024-01-01T00:00:00.000Z',
      ...extra,
    });

    it('reports default network settings for a registry that saved none', async () => {
      assert.deepEqual(await store.network.registrySettings('net1'), defaultRegistryNetwork());
      assert.deepEqual(await store.network.registrySettings('no-such-registry'), defaultRegistryNetwork());
      assert.equal((await store.network.registrySettings('net1')).updatedAt, '');
    });

    it('saves and replaces registry network settings whole, keeping rule order and stamping a later time each save', async () => {
      const subnetA = `${vnetId('Net-RG', 'Hub')}/subnets/Apps`;
      const first = {
        publicNetworkAccess: 'Enabled' as const,
        defaultAction: 'Deny' as const,
        ipRules: ['192.168.0.0/24', '10.0.0.1', '127.0.0.1', '1.2.3.0/24'],
        virtualNetworkRules: [subnetA, `${vnetId('net-rg', 'hub')}/subnets/b`],
        bypass: 'None' as const,
        dataEndpointEnabled: true,
      };
      const saved = await store.network.saveRegistrySettings('net1', first);
      assert.ok(saved.updatedAt !== '' && !Number.isNaN(Date.parse(saved.updatedAt)));
      const expected = { ...first, virtualNetworkRules: first.virtualNetworkRules.map((id) => id.toLowerCase()), updatedAt: saved.updatedAt };
      assert.deepEqual(saved, expected, 'subnet ids are kept in lower case, IP rules in the order given');
      assert.deepEqual(await store.network.registrySettings('net1'), expected);
      assert.deepEqual(await store.network.registrySettings('net2'), defaultRegistryNetwork(), 'per registry');

      const second = await store.network.saveRegistrySettings('net1', {
        publicNetworkAccess: 'Disabled',
        defaultAction: 'Allow',
        ipRules: ['8.8.8.8'],
        virtualNetworkRules: [],
        bypass: 'AzureServices',
        dataEndpointEnabled: false,
      });
      assert.ok(second.updatedAt > saved.updatedAt, 'a later stamp each save');
      // Saves in quick succession (several per millisecond on SQLite) still get distinct, rising stamps.
      const stamps: string[] = [];
      for (let i = 0; i < 20; i++) stamps.push((await store.network.saveRegistrySettings('net-stamps', defaultRegistryNetwork())).updatedAt);
      for (let i = 1; i < stamps.length; i++) assert.ok(stamps[i]! > stamps[i - 1]!, `stamp ${i} is later than the one before`);
      assert.deepEqual(
        await store.network.registrySettings('net1'),
        {
          publicNetworkAccess: 'Disabled',
          defaultAction: 'Allow',
          ipRules: ['8.8.8.8'],
          virtualNetworkRules: [],
          bypass: 'AzureServices',
          dataEndpointEnabled: false,
          updatedAt: second.updatedAt,
        },
        'a save replaces every rule',
      );

      const many = Array.from({ length: 200 }, (_, i) => `10.${Math.floor(i / 250)}.${i % 250}.0/24`).reverse();
      const third = await store.network.saveRegistrySettings('net1', { ...first, ipRules: many });
      assert.deepEqual(third.ipRules, many, '200 rules, order kept');
      assert.ok(third.updatedAt > second.updatedAt);
    });

    it('creates, replaces and deletes virtual networks; subnets given with the network replace its subnets', async () => {
      const hub = vnetId('Net-RG', 'Hub');
      const spoke = vnetId('Other-RG', 'spoke');
      await store.network.saveVirtualNetwork(vnetRecord('Net-RG', 'Hub', { tags: { env: 'test' } }), [
        subnetRecord(hub, 'apps', ['10.1.1.0/24'], ['Microsoft.ContainerRegistry']),
        subnetRecord(hub, 'endpoints', ['10.1.2.0/24', '10.1.3.0/24']),
      ]);
      await store.network.saveVirtualNetwork(vnetRecord('Other-RG', 'spoke', { addressPrefixes: ['10.2.0.0/16', '10.3.0.0/16'] }));
      assert.deepEqual(await store.network.virtualNetwork(hub), vnetRecord('Net-RG', 'Hub', { tags: { env: 'test' } }), 'lookup ignores case');
      assert.deepEqual((await store.network.virtualNetwork(spoke))?.addressPrefixes, ['10.2.0.0/16', '10.3.0.0/16']);
      assert.equal(await store.network.virtualNetwork(vnetId('Net-RG', 'nope')), undefined);
      assert.deepEqual(
        (await store.network.virtualNetworks({})).map((v) => v.name),
        ['Hub', 'spoke'],
        'by id (net-rg before other-rg)',
      );
      assert.deepEqual((await store.network.virtualNetworks({ subscriptionId: sub })).length, 2, 'subscription ids compared ignoring case');
      assert.deepEqual(
        (await store.network.virtualNetworks({ subscriptionId: sub, resourceGroup: 'net-rg' })).map((v) => v.name),
        ['Hub'],
      );
      assert.deepEqual(await store.network.virtualNetworks({ subscriptionId: '00000000-0000-0000-0000-0000000000ff' }), []);
      assert.deepEqual(
        (await store.network.subnets(hub)).map((s) => s.name),
        ['apps', 'endpoints'],
      );
      assert.deepEqual(await store.network.subnets(spoke), []);

      // Replacing the network without subnets keeps them; its creation time stays.
      await store.network.saveVirtualNetwork(vnetRecord('Net-RG', 'Hub', { location: 'west', createdAt: '2030-01-01T00:00:00.000Z' }));
      const replaced = await store.network.virtualNetwork(hub);
      assert.equal(replaced?.location, 'west');
      assert.deepEqual(replaced?.tags, {});
      assert.equal(replaced?.createdAt, '2024-01-01T00:00:00.000Z');
      assert.equal((await store.network.subnets(hub)).length, 2);

      // With subnets: exactly those afterwards.
      await store.network.saveVirtualNetwork(vnetRecord('Net-RG', 'Hub'), [
        subnetRecord(hub, 'endpoints', ['127.0.10.0/24']),
        subnetRecord(hub, 'Apps', ['10.1.1.0/24'], ['Microsoft.ContainerRegistry', 'Microsoft.Storage']),
      ]);
      assert.deepEqual(await store.network.subnets(hub.toUpperCase()), [
        subnetRecord(hub, 'Apps', ['10.1.1.0/24'], ['Microsoft.ContainerRegistry', 'Microsoft.Storage']),
        subnetRecord(hub, 'endpoints', ['127.0.10.0/24']),
      ]);
      await store.network.saveVirtualNetwork(vnetRecord('Net-RG', 'Hub'), [subnetRecord(hub, 'endpoints', ['127.0.10.0/24'])]);
      assert.deepEqual(
        (await store.network.subnets(hub)).map((s) => s.name),
        ['endpoints'],
        'a subnet left out is deleted',
      );

      await store.network.saveVirtualNetwork(vnetRecord('Net-RG', 'gone'), [subnetRecord(vnetId('Net-RG', 'gone'), 'x', ['10.9.0.0/24'])]);
      assert.equal(await store.network.deleteVirtualNetwork(vnetId('NET-RG', 'GONE')), true);
      assert.equal(await store.network.deleteVirtualNetwork(vnetId('Net-RG', 'gone')), false);
      assert.equal(await store.network.subnet(`${vnetId('Net-RG', 'gone')}/subnets/x`), undefined, 'its subnets go with it');
    });

    it('saves, looks up, lists and deletes subnets', async () => {
      const hub = vnetId('Net-RG', 'Hub');
      const spoke = vnetId('Other-RG', 'spoke');
      await store.network.saveSubnet(subnetRecord(hub, 'Apps', ['10.1.1.0/24']));
      await store.network.saveSubnet(subnetRecord(spoke, 'default', ['10.2.0.0/24'], ['Microsoft.ContainerRegistry']));
      assert.deepEqual(await store.network.subnet(`${hub}/subnets/apps`), subnetRecord(hub, 'Apps', ['10.1.1.0/24']));
      assert.deepEqual(await store.network.subnet(`${hub}/SUBNETS/APPS`), subnetRecord(hub, 'Apps', ['10.1.1.0/24']), 'ids compared ignoring case');
      assert.equal(await store.network.subnet(`${hub}/subnets/nope`), undefined);
      // Replace: the service endpoint is added.
      await store.network.saveSubnet(subnetRecord(hub, 'Apps', ['10.1.1.0/24', '10.1.4.0/24'], ['Microsoft.ContainerRegistry']));
      assert.deepEqual((await store.network.subnet(`${hub}/subnets/apps`))?.serviceEndpoints, ['Microsoft.ContainerRegistry']);
      assert.deepEqual((await store.network.subnet(`${hub}/subnets/apps`))?.addressPrefixes, ['10.1.1.0/24', '10.1.4.0/24']);
      const all = await store.network.allSubnets();
      assert.deepEqual(
        all.map((s) => s.id),
        [`${hub}/subnets/apps`, `${hub}/subnets/endpoints`, `${spoke}/subnets/default`].map((id) => id.toLowerCase()),
      );
      assert.deepEqual(all[2], subnetRecord(spoke, 'default', ['10.2.0.0/24'], ['Microsoft.ContainerRegistry']));
      assert.equal(await store.network.deleteSubnet(`${spoke}/subnets/default`), true);
      assert.equal(await store.network.deleteSubnet(`${spoke}/subnets/default`), false);
      assert.equal((await store.network.allSubnets()).length, 2);
    });

    it('saves private endpoints, filters them, and sets their connection state by registry and connection name', async () => {
      await store.network.savePrivateEndpoint(endpoint('pe1'));
      await store.network.savePrivateEndpoint(
        endpoint('pe2', { address: '127.0.10.5', registry: 'net2', manual: true, status: 'Pending', statusDescription: '', requestMessage: 'please' }),
      );
      await store.network.savePrivateEndpoint(
        endpoint('pe3', {
          id: `/subscriptions/${sub}/resourceGroups/Other-RG/providers/Microsoft.Network/privateEndpoints/pe3`.toLowerCase(),
          resourceGroup: 'Other-RG',
          address: '127.0.10.4',
          port: 9443,
          subnetId: `${vnetId('Other-RG', 'spoke')}/subnets/default`.toLowerCase(),
        }),
      );
      assert.deepEqual(await store.network.privateEndpoint(peId('Net-RG', 'pe1')), endpoint('pe1'), 'lookup ignores case');
      assert.equal(await store.network.privateEndpoint(peId('Net-RG', 'nope')), undefined);
      const names = (list: PrivateEndpointRecord[]) => list.map((e) => e.name).sort();
      assert.deepEqual(names(await store.network.privateEndpoints({})), ['pe1', 'pe2', 'pe3']);
      assert.deepEqual(names(await store.network.privateEndpoints({ registry: 'net1' })), ['pe1', 'pe3']);
      assert.deepEqual(names(await store.network.privateEndpoints({ subscriptionId: sub, resourceGroup: 'NET-rg' })), ['pe1', 'pe2']);
      assert.deepEqual(names(await store.network.privateEndpoints({ subnetId: `${vnetId('Net-RG', 'hub')}/subnets/ENDPOINTS` })), ['pe1', 'pe2']);
      assert.deepEqual(names(await store.network.privateEndpoints({ registry: 'net1', resourceGroup: 'other-rg' })), ['pe3']);
      assert.deepEqual(await store.network.privateEndpoints({ subscriptionId: '00000000-0000-0000-0000-0000000000ff' }), []);
      const pe2 = await store.network.privateEndpoint(peId('Net-RG', 'pe2'));
      assert.deepEqual([pe2?.manual, pe2?.status, pe2?.requestMessage, pe2?.port], [true, 'Pending', 'please', 8443]);

      assert.equal(
        await store.network.setConnectionState('net2', 'PE2.CONN', 'Approved', 'approved by admin'),
        true,
        'connection names compared ignoring case',
      );
      assert.deepEqual(
        [(await store.network.privateEndpoint(peId('Net-RG', 'pe2')))?.status, (await store.network.privateEndpoint(peId('Net-RG', 'pe2')))?.statusDescription],
        ['Approved', 'approved by admin'],
      );
      assert.equal(await store.network.setConnectionState('net1', 'pe2.conn', 'Rejected', 'x'), false, 'the connection belongs to another registry');
      assert.equal(await store.network.setConnectionState('net2', 'nope', 'Rejected', 'x'), false);

      // Replacing keeps the creation time and may move the listener.
      await store.network.savePrivateEndpoint(endpoint('pe1', { address: '127.0.10.6', createdAt: '2030-01-01T00:00:00.000Z' }));
      const moved = await store.network.privateEndpoint(peId('Net-RG', 'pe1'));
      assert.deepEqual([moved?.address, moved?.createdAt], ['127.0.10.6', '2024-01-01T00:00:00.000Z']);
      assert.equal(await store.network.deletePrivateEndpoint(peId('OTHER-RG', 'PE3')), true);
      assert.equal(await store.network.deletePrivateEndpoint(peId('Other-RG', 'pe3')), false);
      assert.equal(await store.network.privateEndpoint(peId('Other-RG', 'pe3')), undefined);
    });

    it('refuses a private endpoint on an address and port already in use, or a connection name the registry already has', async () => {
      const taken = endpoint('pe-clash', { address: '127.0.10.6', port: 8443 });
      await assert.rejects(store.network.savePrivateEndpoint(taken), (error: unknown) => {
        assert.ok(error instanceof PrivateEndpointConflictError);
        assert.equal(error.field, 'address');
        assert.equal(error.holder, peId('Net-RG', 'pe1').toLowerCase());
        assert.match(error.message, /127\.0\.10\.6:8443/);
        return true;
      });
      assert.equal(await store.network.privateEndpoint(peId('Net-RG', 'pe-clash')), undefined, 'nothing was stored');
      await assert.rejects(
        store.network.savePrivateEndpoint(endpoint('pe-clash', { address: '127.0.10.7', connectionName: 'PE1.conn' })),
        (error: unknown) => error instanceof PrivateEndpointConflictError && error.field === 'connectionName',
      );
      // The same address on another port, and the same connection name on another registry, are fine.
      await store.network.savePrivateEndpoint(endpoint('pe-clash', { address: '127.0.10.6', port: 9444, connectionName: 'pe1.conn', registry: 'net2' }));
      assert.equal((await store.network.privateEndpoint(peId('Net-RG', 'pe-clash')))?.port, 9444);
      // A freed address can be taken again.
      assert.equal(await store.network.deletePrivateEndpoint(peId('Net-RG', 'pe-clash')), true);
      await store.network.savePrivateEndpoint(endpoint('pe-clash', { address: '127.0.10.7', port: 8443, registry: 'net2', connectionName: 'other' }));
      assert.equal(await store.network.deletePrivateEndpoint(peId('Net-RG', 'pe-clash')), true);
    });

    it('keeps replications per registry, names compared ignoring case', async () => {
      const replication = (registry: string, name: string, location: string, createdAt: string): ReplicationRecord => ({
        registry,
        name,
        location,
        regionEndpointEnabled: true,
        createdAt,
      });
      await store.network.saveReplication(replication('net1', 'westeurope', 'westeurope', '2024-01-02T00:00:00.000Z'));
      await store.network.saveReplication(replication('net1', 'EastUs', 'eastus', '2024-01-01T00:00:00.000Z'));
      await store.network.saveReplication(replication('net2', 'eastus', 'eastus', '2024-01-01T00:00:00.000Z'));
      assert.deepEqual(
        await store.network.replications('net1'),
        [replication('net1', 'EastUs', 'eastus', '2024-01-01T00:00:00.000Z'), replication('net1', 'westeurope', 'westeurope', '2024-01-02T00:00:00.000Z')],
        'oldest first',
      );
      await store.network.saveReplication({ ...replication('net1', 'eastus', 'eastus', '2030-01-01T00:00:00.000Z'), regionEndpointEnabled: false });
      assert.deepEqual(
        await store.network.replications('net1'),
        [
          { ...replication('net1', 'eastus', 'eastus', '2024-01-01T00:00:00.000Z'), regionEndpointEnabled: false },
          replication('net1', 'westeurope', 'westeurope', '2024-01-02T00:00:00.000Z'),
        ],
        'replaced in place, creation time kept',
      );
      assert.equal(await store.network.deleteReplication('net1', 'WestEurope'), true);
      assert.equal(await store.network.deleteReplication('net1', 'westeurope'), false);
      assert.deepEqual(
        (await store.network.replications('net1')).map((r) => r.name),
        ['eastus'],
      );
      assert.deepEqual(
        (await store.network.replications('net2')).map((r) => r.name),
        ['eastus'],
      );
      assert.deepEqual(await store.network.replications('nope'), []);
    });

    it('keeps replication tags per registry and name (ignoring case), the home replication included, until the replication goes', async () => {
      await store.network.saveReplication({
        registry: 'tagged',
        name: 'EastUs',
        location: 'eastus',
        regionEndpointEnabled: true,
        createdAt: '2024-01-01T00:00:00.000Z',
      });
      await store.network.saveReplicationTags('tagged', 'EastUs', { team: 'a', cost: 'x' });
      await store.network.saveReplicationTags('tagged', 'westeurope', { home: 'yes' });
      await store.network.saveReplicationTags('other', 'eastus', { other: 'registry' });
      assert.deepEqual(Object.fromEntries(await store.network.replicationTags('tagged')), { eastus: { team: 'a', cost: 'x' }, westeurope: { home: 'yes' } });
      await store.network.saveReplicationTags('tagged', 'EASTUS', {});
      assert.deepEqual((await store.network.replicationTags('tagged')).get('eastus'), {}, 'replaced, not merged');
      await store.network.saveReplicationTags('tagged', 'eastus', { again: '1' });
      assert.equal(await store.network.deleteReplication('tagged', 'eastus'), true);
      assert.deepEqual([...(await store.network.replicationTags('tagged')).keys()], ['westeurope'], 'a deleted replication takes its tags');
      await store.network.forgetRegistry('tagged');
      assert.equal((await store.network.replicationTags('tagged')).size, 0, 'a deleted registry takes them all');
      assert.deepEqual((await store.network.replicationTags('other')).get('eastus'), { other: 'registry' });
    });

    it('keeps resource provider registration state per subscription and namespace', async () => {
      assert.equal(await store.network.providerState(sub, 'Microsoft.ContainerRegistry'), undefined);
      await store.network.setProviderState(sub, 'Microsoft.ContainerRegistry', 'Registering');
      await store.network.setProviderState(sub, 'Microsoft.ContainerRegistry', 'Registered');
      await store.network.setProviderState(sub, 'Microsoft.Network', 'NotRegistered');
      assert.equal(await store.network.providerState(sub.toLowerCase(), 'microsoft.containerregistry'), 'Registered', 'ignoring case');
      assert.equal(await store.network.providerState(sub, 'Microsoft.Network'), 'NotRegistered');
      assert.equal(await store.network.providerState('00000000-0000-0000-0000-0000000000ff', 'Microsoft.ContainerRegistry'), undefined);
    });

    it('keeps trusted services per subscription, by name ignoring case', async () => {
      const other = '00000000-0000-0000-0000-0000000000fe';
      // Subscription ids come back in lower case (ARM ids are kept so).
      const service = (name: string, principalId: string, serviceType: string, subscriptionId = sub.toLowerCase()): TrustedServiceRecord => ({
        subscriptionId,
        name,
        principalId,
        serviceType,
        createdAt: '2024-01-01T00:00:00.000Z',
      });
      assert.deepEqual(await store.network.trustedServices(), []);
      assert.deepEqual(await store.network.trustedServices(sub), []);
      await store.network.saveTrustedService({ ...service('scanner', 'obj-scan', 'Scanner'), subscriptionId: sub });
      await store.network.saveTrustedService(service('Builds', 'obj-tasks', 'Tasks'));
      assert.deepEqual(await store.network.trustedServices(sub), [service('Builds', 'obj-tasks', 'Tasks'), service('scanner', 'obj-scan', 'Scanner')]);
      await store.network.saveTrustedService({ ...service('BUILDS', 'obj-tasks-2', 'Import'), createdAt: '2030-01-01T00:00:00.000Z' });
      assert.deepEqual(await store.network.trustedServices(sub.toLowerCase()), [
        service('BUILDS', 'obj-tasks-2', 'Import'),
        service('scanner', 'obj-scan', 'Scanner'),
      ]);
      // The same name in another subscription is another service.
      await store.network.saveTrustedService(service('scanner', 'obj-scan-b', 'Scanner', other));
      assert.deepEqual(await store.network.trustedServices(other), [service('scanner', 'obj-scan-b', 'Scanner', other)]);
      assert.deepEqual(
        (await store.network.trustedServices()).map((s) => [s.subscriptionId, s.name]),
        [
          ['00000000-0000-0000-0000-0000000000fe', 'scanner'],
          ['aaaaaaaa-0000-0000-0000-00000000000a', 'BUILDS'],
          ['aaaaaaaa-0000-0000-0000-00000000000a', 'scanner'],
        ],
        'every subscription when none is named',
      );
      assert.equal(await store.network.deleteTrustedService(sub, 'Scanner'), true);
      assert.equal(await store.network.deleteTrustedService(sub.toLowerCase(), 'scanner'), false);
      assert.deepEqual(
        (await store.network.trustedServices(sub)).map((s) => s.principalId),
        ['obj-tasks-2'],
      );
      assert.deepEqual(
        (await store.network.trustedServices(other)).map((s) => s.principalId),
        ['obj-scan-b'],
        "another subscription's service stays",
      );
      assert.equal(await store.network.deleteTrustedService(other, 'SCANNER'), true);
      assert.deepEqual(
        (await store.network.trustedServices()).map((s) => s.principalId),
        ['obj-tasks-2'],
      );
    });

    it('forgets a registry: settings and replications go, its private endpoints become Disconnected', async () => {
      const rules = {
        publicNetworkAccess: 'Enabled' as const,
        defaultAction: 'Deny' as const,
        ipRules: ['10.0.0.0/8'],
        virtualNetworkRules: [],
        bypass: 'None' as const,
        dataEndpointEnabled: true,
      };
      await store.network.saveRegistrySettings('net2', rules);
      await store.network.forgetRegistry('net1');
      assert.deepEqual(await store.network.registrySettings('net1'), defaultRegistryNetwork());
      assert.deepEqual(await store.network.replications('net1'), []);
      const pe1 = await store.network.privateEndpoint(peId('Net-RG', 'pe1'));
      assert.deepEqual([pe1?.registry, pe1?.status, pe1?.statusDescription], ['net1', 'Disconnected', 'The registry was deleted.']);
      assert.equal((await store.network.privateEndpoint(peId('Net-RG', 'pe2')))?.status, 'Approved', 'other registries keep theirs');
      assert.deepEqual((await store.network.registrySettings('net2')).ipRules, ['10.0.0.0/8']);
      assert.deepEqual(
        (await store.network.replications('net2')).map((r) => r.name),
        ['eastus'],
      );

      // Deleting the registry row does the same, in its own transaction.
      await store.registries.upsert({ name: 'net2', loginServer: null, deletesEnabled: true });
      assert.equal(await store.registries.delete('net2'), true);
      assert.deepEqual(await store.network.registrySettings('net2'), defaultRegistryNetwork());
      assert.deepEqual(await store.network.replications('net2'), []);
      const pe2 = await store.network.privateEndpoint(peId('Net-RG', 'pe2'));
      assert.deepEqual([pe2?.status, pe2?.statusDescription], ['Disconnected', 'The registry was deleted.']);
      assert.ok(await store.network.virtualNetwork(vnetId('Net-RG', 'Hub')), "networks are not the registry's");
    });
  });
}
