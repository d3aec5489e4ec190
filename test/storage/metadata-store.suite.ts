/**
 * The metadata store test suite: every implementation (SQLite, PostgreSQL) must pass it.
 * `open` returns a fresh, empty, migrated store.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ManifestChild, MetadataStore, NewManifest, RepositoryRef } from '../../src/storage/metadata/store.js';

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
      assert.deepEqual({ ...reg2, createdAt: undefined }, { name: 'reg2', loginServer: 'localhost:8443', deletesEnabled: false, createdAt: undefined });
      await store.registries.upsert({ name: 'reg2', loginServer: null, deletesEnabled: true });
      const updated = await store.registries.get('reg2');
      assert.equal(updated?.loginServer, null);
      assert.equal(updated?.deletesEnabled, true);
      assert.equal(updated?.createdAt, reg2?.createdAt);
      assert.deepEqual((await store.registries.list()).map((r) => r.name), ['reg1', 'reg2']);
      assert.equal(await store.registries.get('nope'), undefined);
    });

    it('links blobs per repository and mounts across repositories', async () => {
      const digest = sha('layer-1');
      assert.equal(await store.blobs.stat(repo, digest), undefined);
      assert.equal(await store.blobs.link(repo, digest), false, 'cannot link content that was never committed');
      await store.blobs.commit(repo, digest, 5_000_000_000);
      assert.deepEqual(await store.blobs.stat(repo, digest), { size: 5_000_000_000 });
      assert.equal(await store.blobs.stat(other, digest), undefined, 'not visible in another repository');
      assert.equal(await store.blobs.findRepository('reg1', digest), 'team/app');
      assert.equal(await store.blobs.findRepository('reg2', digest), undefined);
      assert.equal(await store.blobs.link(other, digest), true);
      assert.deepEqual(await store.blobs.stat(other, digest), { size: 5_000_000_000 });
      await store.blobs.commit(repo, digest, 5_000_000_000); // idempotent
      assert.equal(await store.blobs.unlink(other, digest), true);
      assert.equal(await store.blobs.unlink(other, digest), false);
      assert.equal(await store.blobs.stat(other, digest), undefined);
      assert.deepEqual(await store.blobs.stat(repo, digest), { size: 5_000_000_000 });
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
      const index = manifest('idx', [{ digest: (await store.manifests.get(repo, 'latest'))!.digest, kind: 'manifest', size: (await store.manifests.get(repo, 'latest'))!.size }], {
        mediaType: 'application/vnd.oci.image.index.v1+json',
      });
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
        { digest: sig.digest, mediaType: sig.mediaType, size: sig.size, artifactType: 'application/vnd.example.signature', annotations: { 'org.example': 'yes' } },
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

    it('keeps upload sessions and finds idle ones', async () => {
      await store.uploads.create({ id: 'u-1', registry: 'reg1', repository: 'team/app' });
      assert.equal((await store.uploads.get('u-1'))?.size, 0);
      await store.uploads.setSize('u-1', 6_000_000_000);
      assert.equal((await store.uploads.get('u-1'))?.size, 6_000_000_000);
      assert.deepEqual((await store.uploads.idleSince(new Date(Date.now() + 60_000).toISOString(), 10)).map((u) => u.id), ['u-1']);
      assert.deepEqual(await store.uploads.idleSince(new Date(Date.now() - 60_000).toISOString(), 10), []);
      await store.uploads.delete('u-1');
      assert.equal(await store.uploads.get('u-1'), undefined);
      await store.uploads.create({ id: 'u-2', registry: 'reg1', repository: 'team/app' });
      await store.blobs.commit(repo, sha('from-upload'), 4, 'u-2');
      assert.equal(await store.uploads.get('u-2'), undefined, 'completing a blob ends its upload session');
      assert.deepEqual(await store.blobs.stat(repo, sha('from-upload')), { size: 4 });
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
  });
}
