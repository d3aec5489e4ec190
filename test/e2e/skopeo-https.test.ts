/**
 * skopeo 1.9.3 against a real Wharf over HTTPS, trusting Wharf's CA through --cert-dir:
 * the client most CI pipelines use to move images between registries and OCI layouts.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ClientSandbox, ok, skopeoTls } from '../helpers/clients.js';
import { ACCEPT_ALL_MANIFESTS, MEDIA } from '../helpers/contract.js';
import { describe as show, sha256 } from '../helpers/http.js';
import { buildImageLayout, buildIndexLayout, buildUmociLayout, readBlob, resolveTag } from '../helpers/oci-layout.js';
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

const push = (src: string, repoTag: string, extra: string[] = []) =>
  clients.skopeo(['copy', ...skopeoTls(w, 'dest'), ...extra, src, `docker://${w.host}/${repoTag}`]);
const pull = (repoRef: string, dest: string, extra: string[] = []) =>
  clients.skopeo(['copy', ...skopeoTls(w, 'src'), ...extra, `docker://${w.host}/${repoRef}`, dest]);

describe('skopeo', () => {
  test('copy an OCI layout to Wharf and back keeps every digest', async () => {
    const img = buildImageLayout({ layers: 3, layerSize: 64 * 1024 });
    const repo = uniqueRepo('skopeo/roundtrip');
    const digestFile = join(tempDir('digest'), 'd');
    ok(await push(img.ref, `${repo}:v1`, ['--digestfile', digestFile]));
    assert.equal(readFileSync(digestFile, 'utf8').trim(), img.manifestDigest);

    const out = join(tempDir('pulled'), 'layout');
    ok(await pull(`${repo}:v1`, `oci:${out}:v1`));
    assert.equal(resolveTag(out, 'v1').digest, img.manifestDigest);
    assert.deepEqual(readBlob(out, img.manifestDigest), img.manifest);
    assert.deepEqual(readBlob(out, img.configDigest), img.config);
    for (const layer of img.layers) {
      const got = readBlob(out, layer.digest);
      assert.equal(sha256(got), layer.digest);
      assert.deepEqual(got, readBlob(img.dir, layer.digest));
    }
  });

  test('an image built by umoci pushes and pulls back unchanged', async () => {
    const img = buildUmociLayout({ files: { 'etc/wharf.txt': 'built by umoci\n' } });
    const repo = uniqueRepo('skopeo/umoci');
    ok(await push(img.ref, `${repo}:v1`));
    const res = await getManifest(w, repo, 'v1', ACCEPT_ALL_MANIFESTS);
    assert.equal(res.status, 200, show(res));
    assert.deepEqual(res.body, img.manifest);
    const out = join(tempDir('pulled'), 'layout');
    ok(await pull(`${repo}:v1`, `oci:${out}:v1`));
    assert.equal(resolveTag(out, 'v1').digest, img.manifestDigest);
    for (const d of [img.configDigest, ...img.layerDigests]) assert.deepEqual(readBlob(out, d), readBlob(img.dir, d));
  });

  test('plain HTTP mode (--http) serves skopeo with TLS verification off', async () => {
    const plain = await startWharf({ http: true });
    try {
      assert.match(plain.baseUrl, /^http:\/\//);
      assert.equal(plain.caDir, undefined);
      const img = buildImageLayout();
      const repo = uniqueRepo('skopeo/http');
      ok(await clients.skopeo(['copy', ...skopeoTls(plain, 'dest'), img.ref, `docker://${plain.host}/${repo}:v1`]));
      const inspected = JSON.parse(ok(await clients.skopeo(['inspect', ...skopeoTls(plain, 'single'), `docker://${plain.host}/${repo}:v1`])).stdout);
      assert.equal(inspected.Digest, img.manifestDigest);
    } finally {
      await plain.stop();
    }
  });

  test('inspect reports the pushed digest, and --raw returns the pushed bytes', async () => {
    const img = buildImageLayout({ layers: 2 });
    const repo = uniqueRepo('skopeo/inspect');
    ok(await push(img.ref, `${repo}:v1`));

    const inspected = JSON.parse(ok(await clients.skopeo(['inspect', ...skopeoTls(w, 'single'), `docker://${w.host}/${repo}:v1`])).stdout);
    assert.equal(inspected.Digest, img.manifestDigest);
    assert.deepEqual(
      inspected.Layers,
      img.layers.map((l) => l.digest),
    );
    assert.equal(inspected.Architecture, 'amd64');

    const raw = ok(await clients.skopeo(['inspect', '--raw', ...skopeoTls(w, 'single'), `docker://${w.host}/${repo}:v1`])).stdout;
    assert.equal(raw, img.manifest.toString('utf8'));

    const config = ok(await clients.skopeo(['inspect', '--config', '--raw', ...skopeoTls(w, 'single'), `docker://${w.host}/${repo}:v1`])).stdout;
    assert.equal(config, img.config.toString('utf8'));
  });

  test('list-tags lists every pushed tag', async () => {
    const img = buildImageLayout();
    const repo = uniqueRepo('skopeo/tags');
    for (const tag of ['v1', 'v2', 'latest']) ok(await push(img.ref, `${repo}:${tag}`));
    const listed = JSON.parse(ok(await clients.skopeo(['list-tags', ...skopeoTls(w, 'single'), `docker://${w.host}/${repo}`])).stdout);
    assert.equal(listed.Repository, `${w.host}/${repo}`);
    assert.deepEqual([...listed.Tags].sort(), ['latest', 'v1', 'v2']);
  });

  test('delete removes the manifest', async () => {
    const img = buildImageLayout();
    const repo = uniqueRepo('skopeo/delete');
    ok(await push(img.ref, `${repo}:v1`));
    assert.equal((await getManifest(w, repo, img.manifestDigest)).status, 200);

    ok(await clients.skopeo(['delete', ...skopeoTls(w, 'single'), `docker://${w.host}/${repo}:v1`]));
    const byDigest = await getManifest(w, repo, img.manifestDigest);
    assert.equal(byDigest.status, 404, show(byDigest));
    const byTag = await getManifest(w, repo, 'v1');
    assert.equal(byTag.status, 404, show(byTag));
    const inspect = await clients.skopeo(['inspect', ...skopeoTls(w, 'single'), `docker://${w.host}/${repo}:v1`]);
    assert.notEqual(inspect.code, 0);
    assert.match(inspect.stderr, /manifest unknown/i);
  });

  test('a second repository gets the layers by cross-repository mount, not by upload', async () => {
    const img = buildImageLayout({ layers: 2, layerSize: 32 * 1024 });
    const first = uniqueRepo('skopeo/mount-src');
    const second = uniqueRepo('skopeo/mount-dst');
    ok(await push(img.ref, `${first}:v1`));
    // skopeo's blob-info cache now knows the layers live in `first`; --debug logs every request.
    const traced = ok(await clients.skopeo(['--debug', 'copy', ...skopeoTls(w, 'dest'), img.ref, `docker://${w.host}/${second}:v1`]));
    for (const layer of img.layers) {
      const hex = layer.digest.slice('sha256:'.length);
      const mountLine = new RegExp(`POST https://${w.host.replace(/\./g, '\\.')}/v2/${second}/blobs/uploads/\\?from=[^&"]+&mount=sha256%3A${hex}`);
      assert.match(traced.stderr, mountLine, 'skopeo tried a cross-repository mount');
      assert.doesNotMatch(traced.stderr, new RegExp(`Upload of layer sha256:${hex} complete`), 'the layer was uploaded again');
      // The server serves the mounted blob from the new repository.
      const blob = await getBlob(w, second, layer.digest);
      assert.equal(blob.status, 200, show(blob));
      assert.equal(sha256(blob.body), layer.digest);
    }
    assert.match(traced.stderr, /mount OK/);
    const manifest = await getManifest(w, second, 'v1');
    assert.equal(manifest.status, 200);
    assert.equal(sha256(manifest.body), img.manifestDigest);
  });

  test('recompression to zstd (chunked PATCH) pushes, and pulls back intact', async () => {
    const img = buildImageLayout({ layers: 2, layerSize: 200 * 1024 });
    const repo = uniqueRepo('skopeo/zstd');
    const digestFile = join(tempDir('digest'), 'd');
    ok(await push(img.ref, `${repo}:zstd`, ['--dest-compress', '--dest-compress-format', 'zstd', '--digestfile', digestFile]));
    const pushedDigest = readFileSync(digestFile, 'utf8').trim();
    assert.notEqual(pushedDigest, img.manifestDigest, 'recompression must produce a new manifest');

    const res = await getManifest(w, repo, 'zstd', ACCEPT_ALL_MANIFESTS);
    assert.equal(res.status, 200, show(res));
    assert.equal(sha256(res.body), pushedDigest);
    assert.equal(res.headers['docker-content-digest'], pushedDigest);
    const manifest = res.json<{ layers: { mediaType: string; digest: string }[] }>();
    assert.equal(manifest.layers.length, 2);
    const zstdDir = tempDir('zstd');
    for (const [i, layer] of manifest.layers.entries()) {
      assert.equal(layer.mediaType, 'application/vnd.oci.image.layer.v1.tar+zstd');
      const blob = await getBlob(w, repo, layer.digest);
      assert.equal(blob.status, 200, show(blob));
      assert.equal(sha256(blob.body), layer.digest);
      // The uncompressed content is the original tar: its digest is the config's diff_id.
      const tar = execFileSync('zstd', ['-dc'], { input: blob.body, cwd: zstdDir, maxBuffer: 64 << 20 });
      assert.equal(sha256(tar), img.layers[i]!.diffId);
    }

    const out = join(tempDir('pulled'), 'layout');
    ok(await pull(`${repo}:zstd`, `oci:${out}:zstd`));
    assert.equal(resolveTag(out, 'zstd').digest, pushedDigest);
    for (const layer of manifest.layers) assert.equal(sha256(readBlob(out, layer.digest)), layer.digest);
  });

  test('a multi-arch image index round-trips with --all', async () => {
    const built = buildIndexLayout({ layerSize: 4096 });
    const repo = uniqueRepo('skopeo/multi');
    ok(await push(built.ref, `${repo}:multi`, ['--all']));

    const res = await getManifest(w, repo, 'multi', ACCEPT_ALL_MANIFESTS);
    assert.equal(res.status, 200, show(res));
    assert.equal(res.headers['content-type'], MEDIA.ociIndex);
    assert.deepEqual(res.body, built.index);
    for (const image of built.images) {
      const child = await getManifest(w, repo, image.manifestDigest);
      assert.equal(child.status, 200, show(child));
      assert.deepEqual(child.body, image.manifest);
    }

    const out = join(tempDir('pulled'), 'layout');
    ok(await pull(`${repo}:multi`, `oci:${out}:multi`, ['--all']));
    assert.equal(resolveTag(out, 'multi').digest, built.indexDigest);
    for (const image of built.images) {
      assert.deepEqual(readBlob(out, image.manifestDigest), image.manifest);
      for (const layer of image.layers) assert.equal(sha256(readBlob(out, layer.digest)), layer.digest);
    }
  });

  test('docker schema 2 (--format v2s2) round-trips and is served with the docker media type', async () => {
    const img = buildImageLayout({ layers: 2 });
    const repo = uniqueRepo('skopeo/v2s2');
    const digestFile = join(tempDir('digest'), 'd');
    ok(await push(img.ref, `${repo}:v2s2`, ['--format', 'v2s2', '--digestfile', digestFile]));
    const pushedDigest = readFileSync(digestFile, 'utf8').trim();

    const res = await getManifest(w, repo, 'v2s2', MEDIA.dockerManifest);
    assert.equal(res.status, 200, show(res));
    assert.equal(res.headers['content-type'], MEDIA.dockerManifest);
    assert.equal(res.headers['docker-content-digest'], pushedDigest);
    assert.equal(sha256(res.body), pushedDigest);
    const manifest = res.json<{ mediaType: string; config: { mediaType: string }; layers: { mediaType: string; digest: string }[] }>();
    assert.equal(manifest.mediaType, MEDIA.dockerManifest);
    assert.equal(manifest.config.mediaType, MEDIA.dockerConfig);
    assert.deepEqual(
      manifest.layers.map((l) => l.mediaType),
      [MEDIA.dockerLayer, MEDIA.dockerLayer],
    );
    assert.deepEqual(
      manifest.layers.map((l) => l.digest),
      img.layers.map((l) => l.digest),
    );

    // dir: keeps the manifest bytes as the registry served them.
    const out = tempDir('pulled-dir');
    ok(await pull(`${repo}:v2s2`, `dir:${out}`));
    const pulled = readFileSync(join(out, 'manifest.json'));
    assert.equal(sha256(pulled), pushedDigest);
    for (const layer of img.layers) {
      const file = join(out, layer.digest.slice('sha256:'.length));
      assert.ok(existsSync(file), `layer ${layer.digest} missing from ${readdirSync(out).join(', ')}`);
      assert.equal(sha256(readFileSync(file)), layer.digest);
    }
  });
});
