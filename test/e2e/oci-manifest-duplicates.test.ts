/**
 * A manifest that lists the same layer 25,000 times (a hostile or broken client) is checked
 * once per distinct digest: it is accepted when every entry is right, refused with the spec's
 * error when one entry claims a wrong size or a blob the repository lacks, and links and
 * references come out right either way.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { MEDIA } from '../helpers/contract.js';
import { describe as show, errorCodes, sha256 } from '../helpers/http.js';
import { getManifest, pushBlob, putManifest, uniqueRepo, v2 } from '../helpers/registry-api.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const COPIES = 25_000;

function manifestWith(config: { digest: string; size: number }, layers: { digest: string; size: number }[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, ...config },
      layers: layers.map((l) => ({ mediaType: MEDIA.ociLayerGzip, ...l })),
    }),
  );
}

describe('manifest with duplicate layers', () => {
  let server: WharfServer;
  const repo = uniqueRepo('dup/app');
  const layer = randomBytes(3000);
  const other = randomBytes(2000);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', nonce: randomBytes(8).toString('hex') }));
  const layerRef = { digest: sha256(layer), size: layer.length };
  const otherRef = { digest: sha256(other), size: other.length };
  const configRef = { digest: sha256(config), size: config.length };

  before(async () => {
    server = await startWharf({ config: { manifestMaxBytes: 8 * 1024 * 1024 } });
    for (const data of [layer, other, config]) assert.equal((await pushBlob(server, repo, data)).status, 201);
  });
  after(async () => server?.stop());

  it(`accepts ${COPIES} copies of one layer, stores the manifest and keeps serving other requests`, async () => {
    const layers = [...Array.from({ length: COPIES }, () => layerRef), otherRef, ...Array.from({ length: 100 }, () => layerRef)];
    const manifest = manifestWith(configRef, layers);
    const [put, ping] = await Promise.all([putManifest(server, repo, 'dup', manifest), server.request('/v2/')]);
    assert.equal(put.status, 201, show(put));
    assert.equal(ping.status, 200);
    const got = await getManifest(server, repo, 'dup');
    assert.equal(got.status, 200, show(got));
    assert.equal(sha256(got.body), sha256(manifest));
    for (const ref of [layerRef, otherRef, configRef]) {
      assert.equal((await server.request(v2(repo, `blobs/${ref.digest}`), { method: 'HEAD' })).status, 200);
    }
  });

  it('refuses the manifest when one of the copies claims another size (MANIFEST_INVALID)', async () => {
    const layers = Array.from({ length: COPIES }, () => layerRef);
    layers[COPIES - 7] = { digest: layerRef.digest, size: layerRef.size + 1 };
    const put = await putManifest(server, repo, 'bad-size', manifestWith(configRef, layers));
    assert.equal(put.status, 400, show(put));
    assert.deepEqual(errorCodes(put), ['MANIFEST_INVALID']);
    assert.equal((await getManifest(server, repo, 'bad-size')).status, 404);
  });

  it('refuses the manifest when a layer among the copies is not in the repository (MANIFEST_BLOB_UNKNOWN)', async () => {
    const missing = { digest: sha256(randomBytes(100)), size: 100 };
    const layers = [...Array.from({ length: COPIES }, () => layerRef), missing];
    const put = await putManifest(server, repo, 'missing', manifestWith(configRef, layers));
    assert.equal(put.status, 400, show(put));
    assert.deepEqual(errorCodes(put), ['MANIFEST_BLOB_UNKNOWN']);
    assert.match(put.text(), new RegExp(missing.digest.slice('sha256:'.length)));
  });
});
