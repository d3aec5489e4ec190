/**
 * buildah and podman against a real Wharf over HTTPS (CA through --cert-dir), with vfs
 * storage in a sandbox. buildah builds from scratch (no RUN: containers cannot start on this
 * machine), pushes; podman pulls it back and pushes it on to a second repository.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ClientSandbox, containersTls, ok } from '../helpers/clients.js';
import { ACCEPT_ALL_MANIFESTS, MEDIA } from '../helpers/contract.js';
import { describe as show, sha256 } from '../helpers/http.js';
import { getBlob, getManifest, uniqueRepo } from '../helpers/registry-api.js';
import { tempDir } from '../helpers/tmp.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

let w: WharfServer;
const clients = new ClientSandbox();

before(async () => {
  w = await startWharf();
});
after(async () => {
  await w?.stop();
});

describe('buildah and podman', () => {
  const repo = uniqueRepo('buildah/hello');
  const copy = uniqueRepo('podman/copy');
  const fileContent = `hello from wharf e2e ${randomBytes(8).toString('hex')}\n`;
  let pushedDigest = '';

  test('buildah from scratch, add, config, commit, push', async () => {
    const work = tempDir('buildah');
    const file = join(work, 'hello.txt');
    writeFileSync(file, fileContent);
    const container = ok(await clients.buildah(['from', 'scratch'])).stdout.trim();
    ok(await clients.buildah(['add', container, file, '/hello.txt']));
    ok(await clients.buildah(['config', '--cmd', '/hello.txt', '--label', 'wharf.e2e=1', container]));
    ok(await clients.buildah(['commit', '--format', 'oci', container, 'localhost/wharf-e2e/hello:v1']));

    const digestFile = join(work, 'digest');
    ok(await clients.buildah(['push', ...containersTls(w), '--digestfile', digestFile, 'localhost/wharf-e2e/hello:v1', `docker://${w.host}/${repo}:v1`]));
    pushedDigest = readFileSync(digestFile, 'utf8').trim();
    assert.match(pushedDigest, /^sha256:[0-9a-f]{64}$/);

    const res = await getManifest(w, repo, 'v1', ACCEPT_ALL_MANIFESTS);
    assert.equal(res.status, 200, show(res));
    assert.equal(sha256(res.body), pushedDigest);
    assert.equal(res.headers['content-type'], MEDIA.ociManifest);
    const manifest = res.json<{ config: { digest: string }; layers: { digest: string }[] }>();
    assert.equal(manifest.layers.length, 1);
    const config = await getBlob(w, repo, manifest.config.digest);
    assert.equal(config.status, 200, show(config));
    const parsed = config.json<{ config: { Cmd: string[]; Labels: Record<string, string> } }>();
    assert.deepEqual(parsed.config.Cmd, ['/hello.txt']);
    assert.equal(parsed.config.Labels['wharf.e2e'], '1');
    // The layer is a gzip'd tar holding the file buildah added.
    const layer = await getBlob(w, repo, manifest.layers[0]!.digest);
    assert.equal(sha256(layer.body), manifest.layers[0]!.digest);
    const entries = execFileSync('tar', ['-tzf', '-'], { input: layer.body }).toString().split('\n');
    const entry = entries.find((e) => e.replace(/^\.?\//, '') === 'hello.txt');
    assert.ok(entry, `hello.txt not in layer: ${entries.join(' ')}`);
    assert.equal(execFileSync('tar', ['-xzOf', '-', entry], { input: layer.body }).toString(), fileContent);
  });

  test('podman pull brings the image back with the same digest', async () => {
    assert.ok(pushedDigest, 'the buildah push test ran first');
    // Drop the local copy first, so the pull really fetches from Wharf.
    ok(await clients.podman(['rmi', '--force', 'localhost/wharf-e2e/hello:v1']));
    ok(await clients.podman(['pull', ...containersTls(w), `${w.host}/${repo}:v1`]));
    const inspected = JSON.parse(ok(await clients.podman(['image', 'inspect', `${w.host}/${repo}:v1`])).stdout) as {
      Digest: string;
      RepoDigests: string[];
      Config: { Cmd: string[] };
    }[];
    assert.equal(inspected.length, 1);
    assert.equal(inspected[0]!.Digest, pushedDigest);
    assert.ok(inspected[0]!.RepoDigests.includes(`${w.host}/${repo}@${pushedDigest}`), JSON.stringify(inspected[0]!.RepoDigests));
    assert.deepEqual(inspected[0]!.Config.Cmd, ['/hello.txt']);
  });

  test('podman push of the pulled image to another repository', async () => {
    assert.ok(pushedDigest, 'the buildah push test ran first');
    const digestFile = join(tempDir('podman'), 'digest');
    ok(await clients.podman(['push', ...containersTls(w), '--digestfile', digestFile, `${w.host}/${repo}:v1`, `docker://${w.host}/${copy}:copied`]));
    const digest = readFileSync(digestFile, 'utf8').trim();
    const res = await getManifest(w, copy, 'copied', ACCEPT_ALL_MANIFESTS);
    assert.equal(res.status, 200, show(res));
    assert.equal(sha256(res.body), digest);
    const manifest = res.json<{ config: { digest: string }; layers: { digest: string }[] }>();
    for (const d of [manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) {
      const blob = await getBlob(w, copy, d);
      assert.equal(blob.status, 200, show(blob));
      assert.equal(sha256(blob.body), d);
    }
    const tags = await w.request(`/v2/${copy}/tags/list`);
    assert.deepEqual(tags.json(), { name: copy, tags: ['copied'] });
  });
});
