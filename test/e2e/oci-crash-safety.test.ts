/**
 * kill -9 safety. Many concurrent pushes run while the server is SIGKILLed at random moments;
 * after each restart on the same data dir, everything acknowledged (201) must be there with the
 * right bytes, and anything visible must be whole (no half-written blob or manifest). Upload
 * sessions must survive a kill between chunks.
 * The random schedule comes from a seed printed as a test diagnostic; WHARF_E2E_SEED=<n>
 * replays it (the kill moments still depend on timing, the sizes and choices do not).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, test } from 'node:test';
import { MEDIA } from '../helpers/contract.js';
import { describe as show, sha256 } from '../helpers/http.js';
import { getBlob, imageManifest, locationPath, pushBlob, putManifest, startUpload, uniqueRepo, v2, withQuery } from '../helpers/registry-api.js';
import { restartWharf, startWharf, type WharfServer } from '../helpers/wharf-server.js';

/** mulberry32: tiny seeded PRNG, so a failing schedule can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Item {
  repo: string;
  digest: string;
  size: number;
  kind: 'blob' | 'manifest';
  tag?: string;
}

const servers: WharfServer[] = [];
after(async () => {
  for (const s of servers) await s.kill().catch(() => {});
});

/** Uploads a blob one of three ways: monolithic POST, POST+PUT, or POST+PATCH chunks+PUT. */
async function upload(w: WharfServer, repo: string, data: Buffer, how: number): Promise<number> {
  const digest = sha256(data);
  if (how === 0) {
    const res = await w.request(withQuery(v2(repo, 'blobs/uploads/'), 'digest', digest), {
      method: 'POST',
      body: data,
      headers: { 'content-type': 'application/octet-stream' },
    });
    return res.status;
  }
  if (how === 1) return (await pushBlob(w, repo, data)).status;
  const post = await startUpload(w, repo);
  if (post.status !== 202) return post.status;
  let loc = locationPath(w, post.headers.location);
  const chunk = Math.max(1, Math.ceil(data.length / 3));
  for (let off = 0; off < data.length; off += chunk) {
    const part = data.subarray(off, off + chunk);
    const res = await w.request(loc, {
      method: 'PATCH',
      body: part,
      headers: {
        'content-type': 'application/octet-stream',
        'content-range': `${off}-${off + part.length - 1}`,
      },
    });
    if (res.status !== 202) return res.status;
    loc = locationPath(w, res.headers.location);
  }
  return (await w.request(withQuery(loc, 'digest', digest), { method: 'PUT' })).status;
}

/** Pushes images until stopped or the server dies; records what was acknowledged and attempted. */
/** An HTTP answer other than success: a real server decision, unlike a connection cut by the kill. */
class StatusError extends Error {}

async function worker(
  w: WharfServer,
  rand: () => number,
  repos: string[],
  acked: Item[],
  tried: Item[],
  stop: { now: boolean },
  refused: string[],
): Promise<void> {
  const sizes = [0, 1, 100, 4096, 65_536, 300_000, 1_048_576, 3_000_000];
  while (!stop.now) {
    const repo = repos[Math.floor(rand() * repos.length)]!;
    try {
      const layers: Buffer[] = [];
      const nLayers = 1 + Math.floor(rand() * 3);
      for (let i = 0; i < nLayers; i++) layers.push(randomBytes(sizes[Math.floor(rand() * sizes.length)]!));
      const config = Buffer.from(
        JSON.stringify({
          architecture: 'amd64',
          os: 'linux',
          n: randomBytes(6).toString('hex'),
          rootfs: { type: 'layers', diff_ids: layers.map((l) => sha256(l)) },
        }),
      );
      for (const data of [...layers, config]) {
        const item: Item = { repo, digest: sha256(data), size: data.length, kind: 'blob' };
        tried.push(item);
        const status = await upload(w, repo, data, Math.floor(rand() * 3));
        if (status !== 201) throw new StatusError(`blob upload of ${item.size} B to ${repo} answered ${status}`);
        acked.push(item);
      }
      const manifest = imageManifest(
        { digest: sha256(config), size: config.length },
        layers.map((l) => ({ digest: sha256(l), size: l.length })),
      );
      const tag = `t${randomBytes(5).toString('hex')}`;
      const item: Item = { repo, digest: sha256(manifest), size: manifest.length, kind: 'manifest', tag };
      tried.push(item);
      const res = await putManifest(w, repo, tag, manifest);
      if (res.status !== 201) throw new StatusError(`manifest PUT ${repo}:${tag} answered ${show(res)}`);
      acked.push(item);
    } catch (err) {
      // SIGKILL shows up as connection errors; an HTTP error status is the server refusing a valid push.
      if (err instanceof StatusError) refused.push(err.message);
      if (stop.now) return;
      await sleep(5);
    }
  }
}

async function verify(w: WharfServer, acked: Item[], tried: Item[]): Promise<string[]> {
  const problems: string[] = [];
  const ackedKeys = new Set(acked.map((i) => `${i.repo} ${i.digest}`));
  for (const item of acked) {
    if (item.kind === 'blob') {
      const res = await getBlob(w, item.repo, item.digest);
      if (res.status !== 200 || sha256(res.body) !== item.digest) {
        problems.push(`acked blob ${item.repo}@${item.digest} (${item.size} B): ${res.status}, got ${res.body.length} B hashing to ${sha256(res.body)}`);
      }
    } else {
      for (const ref of [item.digest, item.tag!]) {
        const res = await w.request(v2(item.repo, `manifests/${ref}`), { headers: { accept: MEDIA.ociManifest } });
        if (res.status !== 200 || sha256(res.body) !== item.digest) {
          problems.push(`acked manifest ${item.repo}:${ref} (${item.digest}): ${show(res)}`);
        }
      }
    }
  }
  // Not acknowledged, but visible: must be whole.
  for (const item of tried) {
    if (ackedKeys.has(`${item.repo} ${item.digest}`)) continue;
    const path = v2(item.repo, `${item.kind === 'blob' ? 'blobs' : 'manifests'}/${item.digest}`);
    const head = await w.request(path, { method: 'HEAD', headers: { accept: MEDIA.ociManifest } });
    if (head.status === 404) continue;
    if (head.status !== 200) {
      problems.push(`HEAD ${path} after crash: ${show(head)}`);
      continue;
    }
    if (head.headers['content-length'] !== String(item.size)) {
      problems.push(`HEAD ${path} after crash: Content-Length ${head.headers['content-length']}, expected ${item.size}`);
    }
    const get = await w.request(path, { headers: { accept: MEDIA.ociManifest } });
    if (get.status !== 200 || sha256(get.body) !== item.digest) {
      problems.push(`unacked ${item.kind} ${path} is visible but not whole: ${get.status}, ${get.body.length} B hashing to ${sha256(get.body)}`);
    }
  }
  return problems;
}

describe('crash safety', () => {
  test('SIGKILL at random moments during concurrent pushes loses nothing acknowledged', { timeout: 300_000 }, async (t) => {
    const seed = Number(process.env.WHARF_E2E_SEED ?? Math.floor(Math.random() * 2 ** 31));
    t.diagnostic(`seed ${seed}`);
    const rand = prng(seed);
    const repos = [uniqueRepo('crash/a'), uniqueRepo('crash/b'), uniqueRepo('crash/c')];
    const acked: Item[] = [];
    const tried: Item[] = [];
    const refused: string[] = [];
    let w = await startWharf();
    servers.push(w);
    const ROUNDS = 5;
    for (let round = 1; round <= ROUNDS; round++) {
      const stop = { now: false };
      const workers = Array.from({ length: 8 }, () => worker(w, rand, repos, acked, tried, stop, refused));
      const before = acked.length;
      await sleep(300 + Math.floor(rand() * 1500));
      stop.now = true;
      await w.kill();
      await Promise.all(workers);
      t.diagnostic(`round ${round}: ${acked.length - before} acknowledged before SIGKILL (${acked.length} total, ${tried.length} tried)`);

      assert.deepEqual(refused, [], `valid pushes refused in round ${round} (seed ${seed})\n--- server log:\n${w.logs()}`);
      w = await restartWharf(w);
      servers.push(w);
      const problems = await verify(w, acked, tried);
      assert.deepEqual(problems, [], `round ${round} (seed ${seed})\n--- server log:\n${w.logs()}`);
    }
    // Every acked tag is listed.
    for (const repo of repos) {
      const want = acked
        .filter((i) => i.repo === repo && i.tag)
        .map((i) => i.tag!)
        .sort();
      if (want.length === 0) continue;
      const res = await w.request(`${v2(repo, 'tags/list')}?n=10000`);
      assert.equal(res.status, 200, show(res));
      const got = new Set(res.json<{ tags: string[] }>().tags);
      assert.deepEqual(
        want.filter((tag) => !got.has(tag)),
        [],
        `tags missing from ${repo}`,
      );
    }
    assert.ok(acked.filter((i) => i.kind === 'manifest').length >= 10, `too few pushes completed to mean anything: ${acked.length}`);
    await w.stop();
  });

  for (const how of ['SIGKILL', 'SIGTERM'] as const) {
    test(`an upload session survives a ${how} restart between chunks`, async () => {
      let w = await startWharf();
      servers.push(w);
      const repo = uniqueRepo('crash/resume');
      const data = randomBytes(2 * 1024 * 1024 + 123);
      const half = Math.floor(data.length / 2);
      const post = await startUpload(w, repo);
      assert.equal(post.status, 202, show(post));
      const first = await w.request(locationPath(w, post.headers.location), {
        method: 'PATCH',
        body: data.subarray(0, half),
        headers: { 'content-type': 'application/octet-stream', 'content-range': `0-${half - 1}` },
      });
      assert.equal(first.status, 202, show(first));
      const loc = locationPath(w, first.headers.location);

      if (how === 'SIGKILL') await w.kill();
      else await w.stop();
      w = await restartWharf(w);
      servers.push(w);

      const status = await w.request(loc);
      assert.equal(status.status, 204, show(status));
      assert.equal(status.headers.range, `0-${half - 1}`);
      const second = await w.request(loc, {
        method: 'PATCH',
        body: data.subarray(half),
        headers: { 'content-type': 'application/octet-stream', 'content-range': `${half}-${data.length - 1}` },
      });
      assert.equal(second.status, 202, show(second));
      assert.equal(second.headers.range, `0-${data.length - 1}`);
      const put = await w.request(withQuery(locationPath(w, second.headers.location), 'digest', sha256(data)), { method: 'PUT' });
      assert.equal(put.status, 201, show(put));
      const got = await getBlob(w, repo, sha256(data));
      assert.equal(got.status, 200, show(got));
      assert.equal(sha256(got.body), sha256(data));
      await w.stop();
    });
  }
});
