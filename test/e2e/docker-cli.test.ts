/**
 * The docker CLI with no engine: `docker manifest inspect` falls back to talking to the
 * registry itself. Images are pushed with skopeo. Docker treats 127.0.0.0/8 as an insecure
 * registry (it skips verification there); SSL_CERT_FILE makes it trust Wharf's CA anyway, so
 * the test holds if that ever changes. DOCKER_CONFIG is a sandbox dir (see clients.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { ClientSandbox, ok, skopeoTls } from '../helpers/clients.js';
import { MEDIA } from '../helpers/contract.js';
import { buildImageLayout, buildIndexLayout } from '../helpers/oci-layout.js';
import { uniqueRepo } from '../helpers/registry-api.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

let w: WharfServer;
const clients = new ClientSandbox();

before(async () => {
  w = await startWharf();
});
after(async () => {
  await w?.stop();
});

const inspect = (ref: string, verbose = false) =>
  clients.docker(['manifest', 'inspect', ...(verbose ? ['--verbose'] : []), ref], {
    timeoutMs: 60_000,
    env: w.caFile ? { SSL_CERT_FILE: w.caFile } : {},
  });

describe('docker CLI (no engine)', () => {
  test('manifest inspect shows an OCI image pushed by skopeo', async () => {
    const img = buildImageLayout({ layers: 2 });
    const repo = uniqueRepo('docker/oci');
    ok(await clients.skopeo(['copy', ...skopeoTls(w, 'dest'), img.ref, `docker://${w.host}/${repo}:v1`]));

    const plain = JSON.parse(ok(await inspect(`${w.host}/${repo}:v1`)).stdout);
    assert.equal(plain.mediaType, MEDIA.ociManifest);
    assert.equal(plain.config.digest, img.configDigest);
    assert.deepEqual(
      plain.layers.map((l: { digest: string }) => l.digest),
      img.layers.map((l) => l.digest),
    );

    const verbose = JSON.parse(ok(await inspect(`${w.host}/${repo}:v1`, true)).stdout);
    assert.equal(verbose.Descriptor.digest, img.manifestDigest);
    assert.equal(verbose.Descriptor.mediaType, MEDIA.ociManifest);
    assert.equal(verbose.Descriptor.size, img.manifestSize);
    assert.equal(Buffer.from(verbose.Raw, 'base64').toString('utf8'), img.manifest.toString('utf8'));
  });

  test('manifest inspect shows a docker schema 2 image, also through localhost:PORT', async () => {
    const img = buildImageLayout();
    const repo = uniqueRepo('docker/v2s2');
    const digestFile = `${clients.root}/v2s2.digest`;
    ok(await clients.skopeo(['copy', ...skopeoTls(w, 'dest'), '--format', 'v2s2', '--digestfile', digestFile, img.ref, `docker://${w.host}/${repo}:v1`]));
    const digest = readFileSync(digestFile, 'utf8').trim();

    for (const host of [w.host, `localhost:${w.port}`]) {
      const verbose = JSON.parse(ok(await inspect(`${host}/${repo}:v1`, true)).stdout);
      assert.equal(verbose.Descriptor.digest, digest, host);
      assert.equal(verbose.Descriptor.mediaType, MEDIA.dockerManifest, host);
      assert.equal(verbose.SchemaV2Manifest.config.mediaType, MEDIA.dockerConfig, host);
    }
    // By digest, too.
    const byDigest = JSON.parse(ok(await inspect(`${w.host}/${repo}@${digest}`)).stdout);
    assert.equal(byDigest.mediaType, MEDIA.dockerManifest);
  });

  test('manifest inspect of an image index lists every platform', async () => {
    const built = buildIndexLayout();
    const repo = uniqueRepo('docker/index');
    ok(await clients.skopeo(['copy', '--all', ...skopeoTls(w, 'dest'), built.ref, `docker://${w.host}/${repo}:multi`]));
    const index = JSON.parse(ok(await inspect(`${w.host}/${repo}:multi`)).stdout);
    assert.equal(index.mediaType, MEDIA.ociIndex);
    assert.deepEqual(
      index.manifests.map((m: { digest: string; platform: { architecture: string } }) => [m.digest, m.platform.architecture]),
      built.images.map((i) => [i.manifestDigest, i.descriptor.platform!.architecture]),
    );
  });

  test('an unknown tag or repository gives docker\'s own "no such manifest" error', async () => {
    const img = buildImageLayout();
    const repo = uniqueRepo('docker/unknown');
    ok(await clients.skopeo(['copy', ...skopeoTls(w, 'dest'), img.ref, `docker://${w.host}/${repo}:v1`]));
    for (const ref of [`${w.host}/${repo}:nope`, `${w.host}/${repo}-never-pushed:v1`]) {
      const r = await inspect(ref);
      assert.notEqual(r.code, 0, `${ref} must fail: ${r.stdout}`);
      assert.equal(r.timedOut, false);
      assert.match(r.stderr, /no such manifest/, r.stderr);
      assert.ok(r.stderr.includes(ref), r.stderr);
      // Not a transport or server failure in disguise.
      assert.doesNotMatch(r.stderr, /EOF|500|internal|x509|connection refused/i, r.stderr);
    }
  });
});
