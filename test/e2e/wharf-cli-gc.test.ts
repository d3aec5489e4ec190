/**
 * `wharf gc` (POST …/garbageCollect) through the wire: a blob orphaned by a manifest delete is
 * deleted (its file too) while blobs other manifests use stay, a fresh upload in progress
 * completes afterwards, the grace period keeps recent content, --dry-run deletes nothing,
 * --delete-untagged deletes an untagged manifest but keeps a referrer of a tagged image, and
 * skopeo still pulls what is left.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClientSandbox, ok as clientOk, skopeoTls } from '../helpers/clients.js';
import { MEDIA } from '../helpers/contract.js';
import { sha256 } from '../helpers/http.js';
import { imageManifest, locationPath, pushBlob, putManifest, startUpload, v2, withQuery } from '../helpers/registry-api.js';
import { tempDir } from '../helpers/tmp.js';
import { WharfAdmin } from '../helpers/wharf-admin.js';
import { runWharfCli, type CliResult } from '../helpers/wharf-cli.js';
import { restartWharf, startWharf, type WharfServer } from '../helpers/wharf-server.js';

interface GcSummary {
  dryRun: boolean;
  manifestsDeleted: number;
  blobLinksRemoved: number;
  blobsDeleted: number;
  bytesFreed: number;
  blobDigests: string[];
  manifestDigests: string[];
}

function describeRun(args: string[], result: CliResult): string {
  return `wharf ${args.join(' ')} → exit ${result.code}\n--- stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}`;
}

interface Blob {
  data: Buffer;
  digest: string;
}

function blob(data: Buffer): Blob {
  return { data, digest: sha256(data) };
}

function config(name: string): Blob {
  return blob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', name, nonce: randomBytes(8).toString('hex') })));
}

describe('garbage collection', () => {
  let server: WharfServer;
  let home: string;
  const clients = new ClientSandbox();
  const repo = 'gc/app';
  const shared = blob(randomBytes(3000));
  const onlyA = blob(randomBytes(5000));
  const configA = config('a');
  const configB = config('b');
  let manifestB: Buffer;

  async function ok(args: string[]): Promise<CliResult> {
    const result = await runWharfCli(home, args, { timeoutMs: 120_000 });
    assert.equal(result.code, 0, describeRun(args, result));
    return result;
  }

  async function gc(args: string[]): Promise<GcSummary> {
    return JSON.parse((await ok(['gc', ...args, '-o', 'json'])).stdout) as GcSummary;
  }

  async function blobStatus(repository: string, digest: string): Promise<number> {
    return (await server.request(v2(repository, `blobs/${digest}`))).status;
  }

  function blobFile(digest: string): string {
    const hex = digest.slice('sha256:'.length);
    return join(server.dataDir, 'blobs', 'sha256', hex.slice(0, 2), hex);
  }

  async function push(repository: string, ...blobs: Blob[]): Promise<void> {
    for (const b of blobs) assert.equal((await pushBlob(server, repository, b.data, b.digest)).status, 201);
  }

  function manifestOf(cfg: Blob, layers: Blob[], extra: Record<string, unknown> = {}): Buffer {
    return imageManifest(
      { digest: cfg.digest, size: cfg.data.length },
      layers.map((l) => ({ digest: l.digest, size: l.data.length })),
      extra,
    );
  }

  before(async () => {
    server = await startWharf();
    home = tempDir('wharf-home-gc');
    await ok(['login', '--data', server.dataDir, '--server', server.baseUrl]);
    // Image A (onlyA + shared) and image B (shared), then A is deleted: onlyA and configA are orphans.
    await push(repo, shared, onlyA, configA, configB);
    const manifestA = manifestOf(configA, [onlyA, shared]);
    manifestB = manifestOf(configB, [shared]);
    assert.equal((await putManifest(server, repo, 'a', manifestA)).status, 201);
    assert.equal((await putManifest(server, repo, 'b', manifestB)).status, 201);
    assert.equal((await server.request(v2(repo, `manifests/${sha256(manifestA)}`), { method: 'DELETE' })).status, 202);
    // The shared blob also sits unused in another repository (uploaded, never referenced there).
    await push('gc/other', shared);
  });
  after(async () => server?.stop());

  it('keeps everything younger than the grace period (default 60 minutes)', async () => {
    const summary = await gc([]);
    assert.equal(summary.blobsDeleted, 0);
    assert.equal(summary.blobLinksRemoved, 0);
    assert.equal(await blobStatus(repo, onlyA.digest), 200);
  });

  it('--dry-run reports the orphans and deletes nothing', async () => {
    const summary = await gc(['--dry-run', '--grace-minutes', '0']);
    assert.equal(summary.dryRun, true);
    assert.deepEqual([...summary.blobDigests].sort(), [onlyA.digest, configA.digest].sort());
    assert.equal(summary.bytesFreed, onlyA.data.length + configA.data.length);
    assert.equal(summary.blobLinksRemoved, 3, 'onlyA and configA in gc/app, shared in gc/other');
    assert.equal(await blobStatus(repo, onlyA.digest), 200);
    assert.ok(existsSync(blobFile(onlyA.digest)));
  });

  it('deletes the orphaned blobs, keeps referenced ones and a fresh upload in progress, and pulls still work', async () => {
    // An upload in progress: the first chunk is in, the rest comes after the collection.
    const layer = blob(randomBytes(4000));
    const started = await startUpload(server, 'gc/pushing');
    assert.equal(started.status, 202);
    const session = locationPath(server, started.headers.location);
    const first = await server.request(session, {
      method: 'PATCH',
      headers: { 'content-type': 'application/octet-stream', 'content-range': '0-1999' },
      body: layer.data.subarray(0, 2000),
    });
    assert.equal(first.status, 202, first.text());

    const args = ['gc', '--grace-minutes', '0'];
    const result = await ok(args);
    assert.match(result.stderr, /^gc: \d+% /m, describeRun(args, result));
    const freed = ((onlyA.data.length + configA.data.length) / 1024).toFixed(1);
    assert.ok(result.stdout.startsWith(`wharf: deleted 0 untagged manifests, 3 unreferenced blob links, 2 blobs (${freed} KiB)\n`), describeRun(args, result));
    assert.match(result.stdout, new RegExp(`^  blob ${onlyA.digest}$`, 'm'));

    assert.equal(await blobStatus(repo, onlyA.digest), 404);
    assert.equal(await blobStatus(repo, configA.digest), 404);
    assert.ok(!existsSync(blobFile(onlyA.digest)), 'the file is gone');
    assert.equal(await blobStatus(repo, shared.digest), 200);
    assert.equal(await blobStatus(repo, configB.digest), 200);
    assert.equal(await blobStatus('gc/other', shared.digest), 404, 'the unused link is gone, the content stays for gc/app');
    assert.ok(existsSync(blobFile(shared.digest)));

    const finished = await server.request(withQuery(session, 'digest', layer.digest), {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: layer.data.subarray(2000),
    });
    assert.equal(finished.status, 201, finished.text());
    assert.equal(await blobStatus('gc/pushing', layer.digest), 200);

    const out = tempDir('gc-pull');
    clientOk(await clients.skopeo(['copy', ...skopeoTls(server, 'src'), `docker://${server.host}/${repo}:b`, `oci:${out}:b`]));
    // With no grace at all, the next run takes the just-finished layer that no manifest uses
    // yet (the reason for the grace period); the default grace keeps it.
    assert.equal((await gc([])).blobsDeleted, 0);
    const again = await gc(['--grace-minutes', '0']);
    assert.deepEqual(again.blobDigests, [layer.digest]);
    assert.equal(await blobStatus(repo, shared.digest), 200);
  });

  it('--delete-untagged deletes untagged manifests nothing refers to, keeps referrers of tagged images', async () => {
    const configC = config('c');
    const onlyC = blob(randomBytes(1500));
    await push(repo, configC, onlyC);
    const untagged = manifestOf(configC, [onlyC, shared]);
    assert.equal((await putManifest(server, repo, sha256(untagged), untagged)).status, 201);
    const empty = blob(Buffer.from('{}'));
    await push(repo, empty);
    const signature = imageManifest({ digest: empty.digest, size: 2, mediaType: MEDIA.ociEmpty }, [], {
      artifactType: 'application/vnd.example.signature',
      subject: { mediaType: MEDIA.ociManifest, digest: sha256(manifestB), size: manifestB.length },
    });
    assert.equal((await putManifest(server, repo, sha256(signature), signature)).status, 201);
    // Locked content stays, as ACR's purge skips it: an untagged manifest with deleteEnabled
    // false, and an untagged manifest in a repository with writeEnabled false.
    const configD = config('d');
    await push(repo, configD);
    const lockedManifest = manifestOf(configD, [shared]);
    assert.equal((await putManifest(server, repo, sha256(lockedManifest), lockedManifest)).status, 201);
    const patch = (path: string, body: unknown) =>
      server.request(path, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const lockedM = await patch(`/acr/v1/${repo}/_manifests/${sha256(lockedManifest)}`, { deleteEnabled: false });
    assert.equal(lockedM.status, 200, lockedM.text());
    const lockedRepo = 'gc/locked';
    const configE = config('e');
    await push(lockedRepo, configE, shared);
    const inLockedRepo = manifestOf(configE, [shared]);
    assert.equal((await putManifest(server, lockedRepo, sha256(inLockedRepo), inLockedRepo)).status, 201);
    const lockedR = await patch(`/acr/v1/${lockedRepo}`, { writeEnabled: false });
    assert.equal(lockedR.status, 200, lockedR.text());

    const preview = await gc(['--delete-untagged', '--grace-minutes', '0', '--dry-run']);
    assert.deepEqual(preview.manifestDigests, [`${repo}@${sha256(untagged)}`], 'the dry run skips locked manifests too');
    const summary = await gc(['--delete-untagged', '--grace-minutes', '0']);
    assert.deepEqual(summary.manifestDigests, [`${repo}@${sha256(untagged)}`]);
    assert.deepEqual([...summary.blobDigests].sort(), [configC.digest, onlyC.digest].sort());
    assert.equal((await server.request(v2(repo, `manifests/${sha256(lockedManifest)}`))).status, 200, 'the deleteEnabled=false manifest stays');
    assert.equal((await server.request(v2(lockedRepo, `manifests/${sha256(inLockedRepo)}`))).status, 200, 'the manifest of the locked repository stays');
    assert.equal(await blobStatus(repo, configD.digest), 200);
    assert.equal((await server.request(v2(repo, `manifests/${sha256(untagged)}`))).status, 404);
    assert.equal((await server.request(v2(repo, `manifests/${sha256(signature)}`))).status, 200, 'the referrer of b stays');
    assert.equal((await server.request(v2(repo, 'manifests/b'))).status, 200);
    assert.equal(await blobStatus(repo, shared.digest), 200);
  });

  it('is refused to readers and reports progress through the operation-status resource', async () => {
    const admin = new WharfAdmin(server);
    const reader = await admin.createServicePrincipal('gc-reader');
    await admin.assignRole(reader.objectId, 'acdd72a7-3385-48ef-bd42-f606fba81ae7');
    const { identityToken } = await import('../helpers/wharf-admin.js');
    const token = await identityToken(server, { tenantId: admin.owner.tenantId, clientId: reader.appId, clientSecret: reader.secret });
    const denied = await server.request(`${admin.registryId}/garbageCollect?api-version=2023-07-01`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(denied.status, 403);
    assert.match(denied.json().error.message, /registries\/garbageCollect\/action/);

    const bad = await admin.call('POST', `${admin.registryId}/garbageCollect`, { gracePeriodMinutes: -1 });
    assert.equal(bad.status, 400);
    assert.equal(bad.json().error.code, 'InvalidParameter');

    const started = await admin.call('POST', `${admin.registryId}/garbageCollect?x-wharf-async=true`, { dryRun: true });
    assert.equal(started.status, 202, started.text());
    const link = new URL(started.headers['azure-asyncoperation']!).pathname;
    let status = started.json<{ status: string; percentComplete: number; properties: { result?: GcSummary } }>();
    for (let i = 0; i < 100 && status.status === 'InProgress'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await admin.ok('GET', link);
    }
    assert.equal(status.status, 'Succeeded');
    assert.equal(status.percentComplete, 100);
    assert.equal(status.properties.result?.dryRun, true);
    const unknown = await admin.call('GET', link.replace(/[0-9a-f-]{36}$/, '00000000-0000-0000-0000-000000000000'));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json().error.code, 'OperationNotFound');
  });
});

describe('garbage collection: kill -9 mid-sweep', () => {
  let server: WharfServer;
  after(async () => server?.stop());

  it('a collection killed mid-sweep loses nothing referenced, and a re-run finishes the job', async () => {
    server = await startWharf();
    const admin = new WharfAdmin(server);
    // Enough orphans that the sweep takes a while: uploaded to a repository, never referenced.
    const orphans = Array.from({ length: 800 }, () => blob(randomBytes(64)));
    for (let i = 0; i < orphans.length; i += 25) {
      const batch = orphans.slice(i, i + 25);
      const statuses = await Promise.all(batch.map(async (b) => (await pushBlob(server, 'gc/many', b.data, b.digest)).status));
      assert.deepEqual(new Set(statuses), new Set([201]));
    }
    const kept = blob(randomBytes(2048));
    const keptConfig = config('kept');
    for (const b of [kept, keptConfig]) assert.equal((await pushBlob(server, 'gc/kept', b.data, b.digest)).status, 201);
    const manifest = imageManifest({ digest: keptConfig.digest, size: keptConfig.data.length }, [{ digest: kept.digest, size: kept.data.length }]);
    assert.equal((await putManifest(server, 'gc/kept', 'v1', manifest)).status, 201);

    const started = await admin.call('POST', `${admin.registryId}/garbageCollect?x-wharf-async=true`, { gracePeriodMinutes: 0 });
    assert.equal(started.status, 202, started.text());
    const statusPath = new URL(started.headers['azure-asyncoperation']!).pathname;
    // Wait until the sweep has deleted some blobs, then kill the server without warning.
    for (;;) {
      const status = await admin.ok<{ status: string; properties: { step: string } }>('GET', statusPath);
      assert.equal(status.status, 'InProgress', `the sweep ended before it could be interrupted: ${JSON.stringify(status)}`);
      if (/^blobs: [1-9]/.test(status.properties.step)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await server.kill();
    server = await restartWharf(server);

    // What a manifest references survived.
    assert.equal((await server.request(v2('gc/kept', 'manifests/v1'))).status, 200);
    for (const b of [kept, keptConfig]) assert.equal((await server.request(v2('gc/kept', `blobs/${b.digest}`))).status, 200);

    const rerun = await new WharfAdmin(server).ok<GcSummary>('POST', `${admin.registryId}/garbageCollect`, { gracePeriodMinutes: 0 });
    assert.ok(rerun.blobsDeleted > 0 && rerun.blobsDeleted < orphans.length, JSON.stringify({ ...rerun, blobDigests: undefined }));
    for (const b of orphans) {
      const hex = b.digest.slice('sha256:'.length);
      assert.ok(!existsSync(join(server.dataDir, 'blobs', 'sha256', hex.slice(0, 2), hex)), `${b.digest} is gone`);
    }
    assert.equal((await server.request(v2('gc/many', `blobs/${orphans[0]!.digest}`))).status, 404);
    const out = tempDir('gc-kill-pull');
    const clients = new ClientSandbox();
    clientOk(await clients.skopeo(['copy', ...skopeoTls(server, 'src'), `docker://${server.host}/gc/kept:v1`, `oci:${out}:v1`]));
  });
});
