/**
 * Storage reconciliation through the wire. Rounds of kill -9 during concurrent pushes, then
 * orphan state made deliberately (a blob file no metadata row records, an upload file with no
 * session, a session whose file is gone): the reconciler removes them at start and as the
 * last step of `wharf gc`, keeps what a live upload owns, and everything acknowledged stays
 * readable. Figures (rounds, acknowledged items, lost items, strays left by the kills) are
 * printed as test diagnostics.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { MEDIA } from '../helpers/contract.js';
import { eventually } from '../helpers/eventually.js';
import { describe as show, errorCodes, sha256 } from '../helpers/http.js';
import { getBlob, imageManifest, locationPath, pushBlob, putManifest, startUpload, uniqueRepo, v2, withQuery } from '../helpers/registry-api.js';
import { tempDir } from '../helpers/tmp.js';
import { runWharfCli } from '../helpers/wharf-cli.js';
import { restartWharf, startWharf, type WharfServer } from '../helpers/wharf-server.js';

interface Item {
  repo: string;
  digest: string;
  kind: 'blob' | 'manifest';
}

interface Reconciled {
  strayBlobFiles: number;
  strayUploadFiles: number;
  uploadSessionsExpired: number;
}

const servers: WharfServer[] = [];
after(async () => {
  for (const s of servers) await s.kill().catch(() => {});
});

const OLD = new Date(Date.now() - 3 * 24 * 3600 * 1000);

function blobFile(w: WharfServer, digest: string): string {
  const hex = digest.slice('sha256:'.length);
  return join(w.dataDir, 'blobs', 'sha256', hex.slice(0, 2), hex);
}

function blobDigestsOnDisk(w: WharfServer): string[] {
  const root = join(w.dataDir, 'blobs', 'sha256');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((prefix) => readdirSync(join(root, prefix)).map((hex) => `sha256:${hex}`));
}

/** Pushes images (blobs monolithic or chunked, then a manifest) until told to stop or the server dies. */
async function pusher(w: WharfServer, repos: string[], acked: Item[], tried: Item[], stop: { now: boolean }): Promise<void> {
  while (!stop.now) {
    const repo = repos[Math.floor(Math.random() * repos.length)]!;
    try {
      const layers = [randomBytes(1 + Math.floor(Math.random() * 600_000)), randomBytes(100)];
      const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', n: randomBytes(6).toString('hex') }));
      for (const [i, data] of [...layers, config].entries()) {
        const item: Item = { repo, digest: sha256(data), kind: 'blob' };
        tried.push(item);
        let status: number;
        if (i === 0) {
          const post = await startUpload(w, repo);
          const half = Math.floor(data.length / 2);
          const patch = await w.request(locationPath(w, post.headers.location), {
            method: 'PATCH',
            body: data.subarray(0, half),
            headers: { 'content-type': 'application/octet-stream', 'content-range': `0-${half - 1}` },
          });
          const put = await w.request(withQuery(locationPath(w, patch.headers.location), 'digest', item.digest), {
            method: 'PUT',
            body: data.subarray(half),
            headers: { 'content-type': 'application/octet-stream' },
          });
          status = put.status;
        } else {
          status = (await pushBlob(w, repo, data)).status;
        }
        if (status !== 201) throw new Error(`blob push answered ${status}`);
        acked.push(item);
      }
      const manifest = imageManifest(
        { digest: sha256(config), size: config.length },
        layers.map((l) => ({ digest: sha256(l), size: l.length })),
      );
      const item: Item = { repo, digest: sha256(manifest), kind: 'manifest' };
      tried.push(item);
      if ((await putManifest(w, repo, item.digest, manifest)).status !== 201) throw new Error('manifest push refused');
      acked.push(item);
    } catch {
      if (stop.now) return;
      await sleep(5);
    }
  }
}

/** Acknowledged items that are not readable with the right bytes. */
async function lost(w: WharfServer, acked: Item[]): Promise<string[]> {
  const missing: string[] = [];
  for (const item of acked) {
    const res =
      item.kind === 'blob'
        ? await getBlob(w, item.repo, item.digest)
        : await w.request(v2(item.repo, `manifests/${item.digest}`), { headers: { accept: MEDIA.ociManifest } });
    if (res.status !== 200 || sha256(res.body) !== item.digest) missing.push(`${item.kind} ${item.repo}@${item.digest}: ${res.status}`);
  }
  return missing;
}

/** Blob files on disk that no repository serves: what a kill between rename and commit leaves. */
async function strayBlobFiles(w: WharfServer, tried: Item[]): Promise<string[]> {
  const reposOf = new Map<string, Set<string>>();
  for (const item of tried) reposOf.set(item.digest, (reposOf.get(item.digest) ?? new Set()).add(item.repo));
  const strays: string[] = [];
  for (const digest of blobDigestsOnDisk(w)) {
    let served = false;
    for (const repo of reposOf.get(digest) ?? []) {
      if ((await w.request(v2(repo, `blobs/${digest}`), { method: 'HEAD' })).status === 200) served = true;
    }
    if (!served) strays.push(digest);
  }
  return strays;
}

/** Orphans made by hand: a blob file with no row, an old upload file with no session, a session with no file. */
async function makeOrphans(w: WharfServer, repo: string) {
  const blob = randomBytes(2048);
  const blobDigest = sha256(blob);
  mkdirSync(dirname(blobFile(w, blobDigest)), { recursive: true });
  writeFileSync(blobFile(w, blobDigest), blob);
  utimesSync(blobFile(w, blobDigest), OLD, OLD);
  const strayUpload = join(w.dataDir, 'uploads', randomUUID());
  writeFileSync(strayUpload, randomBytes(1000));
  utimesSync(strayUpload, OLD, OLD);
  // A young upload file without a session is kept: it may be a session being created elsewhere.
  const youngUpload = join(w.dataDir, 'uploads', randomUUID());
  writeFileSync(youngUpload, randomBytes(10));
  const post = await startUpload(w, repo);
  assert.equal(post.status, 202, show(post));
  const session = locationPath(w, post.headers.location);
  rmSync(join(w.dataDir, 'uploads', session.split('/').pop()!));
  return { blobDigest, strayUpload, youngUpload, session };
}

describe('storage reconciliation', () => {
  it('kill -9 rounds, then hand-made orphans: removed at start and by wharf gc, nothing acknowledged lost', { timeout: 240_000 }, async (t) => {
    // No grace: one node, so the locks alone keep the reconciler off live uploads and commits.
    const config = { storage: { orphanGraceMinutes: 0 } };
    let w = await startWharf();
    servers.push(w);
    const repos = [uniqueRepo('reconcile/a'), uniqueRepo('reconcile/b')];
    const acked: Item[] = [];
    const tried: Item[] = [];
    const ROUNDS = 3;
    let strays: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const stop = { now: false };
      const workers = Array.from({ length: 6 }, () => pusher(w, repos, acked, tried, stop));
      await sleep(400 + Math.floor(Math.random() * 800));
      stop.now = true;
      await w.kill();
      await Promise.all(workers);
      // The default grace while the kills go on: a crash's strays are young, so they stay and can be counted.
      w = await restartWharf(w, { config: {} });
      servers.push(w);
      assert.deepEqual(await lost(w, acked), [], `round ${round}\n--- server log:\n${w.logs()}`);
    }
    strays = await strayBlobFiles(w, tried);
    await w.stop();
    w = await restartWharf(w, { config });
    servers.push(w);
    await eventually(async () => assert.deepEqual(await strayBlobFiles(w, tried), [], 'strays left after a reconciling start'));
    assert.deepEqual(await lost(w, acked), []);
    t.diagnostic(`kill -9 rounds: ${ROUNDS}; acknowledged items: ${acked.length}; lost: 0; stray blob files left by the kills: ${strays.length}, all removed`);
    assert.ok(
      acked.some((item) => item.kind === 'manifest'),
      'some images were pushed',
    );

    // Hand-made orphans, removed by a reconciling start.
    const repo = uniqueRepo('reconcile/orphans');
    const atStart = await makeOrphans(w, repo);
    await w.stop();
    w = await restartWharf(w, { config });
    servers.push(w);
    await eventually(async () => {
      assert.ok(!existsSync(blobFile(w, atStart.blobDigest)), 'the blob file no row records is gone');
      assert.ok(!existsSync(atStart.strayUpload), 'the old upload file with no session is gone');
      const res = await w.request(atStart.session);
      assert.equal(res.status, 404, show(res));
      assert.deepEqual(errorCodes(res), ['BLOB_UPLOAD_UNKNOWN']);
    });
    assert.ok(existsSync(atStart.youngUpload), 'a young upload file is kept');

    // Again, removed by wharf gc (its last step), with a live upload kept.
    const home = tempDir('wharf-home-reconcile');
    const login = await runWharfCli(home, ['login', '--data', w.dataDir, '--server', w.baseUrl]);
    assert.equal(login.code, 0, login.stderr);
    const byGc = await makeOrphans(w, repo);
    const live = randomBytes(5000);
    const started = await startUpload(w, repo);
    const first = await w.request(locationPath(w, started.headers.location), {
      method: 'PATCH',
      body: live.subarray(0, 2000),
      headers: { 'content-type': 'application/octet-stream', 'content-range': '0-1999' },
    });
    assert.equal(first.status, 202, show(first));
    const preview = await runWharfCli(home, ['gc', '--dry-run', '-o', 'json']);
    assert.equal(preview.code, 0, preview.stderr);
    assert.deepEqual((JSON.parse(preview.stdout) as { reconciled: Reconciled }).reconciled, {
      strayBlobFiles: 1,
      strayBlobBytes: 2048,
      strayUploadFiles: 1,
      uploadSessionsExpired: 1,
    });
    assert.ok(existsSync(blobFile(w, byGc.blobDigest)), 'a dry run removes nothing');
    const gc = await runWharfCli(home, ['gc']);
    assert.equal(gc.code, 0, gc.stderr);
    assert.match(gc.stdout, /^storage: deleted 1 blob file without metadata \(2\.0 KiB\), 1 stray upload file, 1 upload session without a file$/m, gc.stdout);
    assert.ok(!existsSync(blobFile(w, byGc.blobDigest)));
    assert.ok(!existsSync(byGc.strayUpload));
    assert.equal((await w.request(byGc.session)).status, 404);
    const done = await w.request(withQuery(locationPath(w, first.headers.location), 'digest', sha256(live)), {
      method: 'PUT',
      body: live.subarray(2000),
      headers: { 'content-type': 'application/octet-stream' },
    });
    assert.equal(done.status, 201, `the live upload completes after the reconciliation: ${show(done)}`);
    assert.deepEqual(await lost(w, [...acked, { repo, digest: sha256(live), kind: 'blob' }]), []);
    await w.stop();
  });
});
