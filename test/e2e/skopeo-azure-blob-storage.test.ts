/**
 * A real Wharf keeping its blobs in Azure Blob Storage (`storage.blob.driver: azure`, the key
 * from WHARF_BLOB_AZURE_CONNECTION_STRING) against a throwaway Azurite: skopeo pushes an image
 * and pulls it back unchanged, the content sits in the container under `blobs/<alg>/<hex>` with
 * no upload left behind and nothing in the data directory, and `/readyz` turns not ready when
 * the storage goes away.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { ClientSandbox, ok, skopeoTls } from '../helpers/clients.js';
import { describe as show, request, sha256 } from '../helpers/http.js';
import { buildImageLayout, readBlob, resolveTag } from '../helpers/oci-layout.js';
import { uniqueRepo } from '../helpers/registry-api.js';
import { tempDir } from '../helpers/tmp.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const CONTAINER = 'wharf-e2e';
let azurite: Azurite;
let w: WharfServer;
const clients = new ClientSandbox();

before(async () => {
  azurite = await startAzurite();
  w = await startWharf({
    config: { storage: { blob: { driver: 'azure', azure: { container: CONTAINER } } } },
    env: { WHARF_BLOB_AZURE_CONNECTION_STRING: azurite.connectionString },
  });
});
after(async () => {
  await w?.stop();
  await azurite?.stop();
});

async function containerNames(): Promise<string[]> {
  const names: string[] = [];
  for await (const item of azurite.service.getContainerClient(CONTAINER).listBlobsFlat()) names.push(item.name);
  return names;
}

describe('skopeo with blobs in Azure Blob Storage', () => {
  test('push and pull an image; its blobs are in the container, nothing in the data directory', async () => {
    // A layer over 8 MiB: the upload is staged as several blocks.
    const img = buildImageLayout({ layers: [{ size: 9 * 1024 * 1024 }, { size: 4096 }] });
    const repo = uniqueRepo('azure/blobs');
    ok(await clients.skopeo(['copy', ...skopeoTls(w, 'dest'), img.ref, `docker://${w.host}/${repo}:v1`]));

    const names = await containerNames();
    for (const digest of [img.configDigest, ...img.layers.map((layer) => layer.digest)]) {
      assert.ok(names.includes(`blobs/${digest.replace(':', '/')}`), `${digest} in ${names.join(', ')}`);
      const stored = await azurite.service
        .getContainerClient(CONTAINER)
        .getBlockBlobClient(`blobs/${digest.replace(':', '/')}`)
        .downloadToBuffer();
      assert.equal(sha256(stored), digest);
    }
    assert.deepEqual(
      names.filter((name) => name.startsWith('uploads/')),
      [],
      'no upload is left once the push is done',
    );
    for (const dir of ['blobs', 'uploads']) {
      const path = join(w.dataDir, dir);
      assert.ok(!existsSync(path) || readdirSync(path).length === 0, `${path} holds nothing`);
    }

    const out = join(tempDir('pulled'), 'layout');
    ok(await clients.skopeo(['copy', ...skopeoTls(w, 'src'), `docker://${w.host}/${repo}:v1`, `oci:${out}:v1`]));
    assert.equal(resolveTag(out, 'v1').digest, img.manifestDigest);
    for (const digest of [img.configDigest, ...img.layers.map((layer) => layer.digest)]) {
      assert.deepEqual(readBlob(out, digest), readBlob(img.dir, digest));
    }
    const range = await w.request(`/v2/${repo}/blobs/${img.layers[0]!.digest}`, { headers: { Range: 'bytes=100-199' } });
    assert.equal(range.status, 206, show(range));
    assert.deepEqual(range.body, readBlob(img.dir, img.layers[0]!.digest).subarray(100, 200));
  });

  test('with downloadRedirectMinutes, a blob GET is a 307 to a read-only SAS URL, which skopeo follows', async () => {
    const redirecting = await startWharf({
      config: { storage: { blob: { driver: 'azure', azure: { container: 'wharf-e2e-sas', downloadRedirectMinutes: 5 } } } },
      env: { WHARF_BLOB_AZURE_CONNECTION_STRING: azurite.connectionString },
    });
    try {
      const img = buildImageLayout({ layers: [{ size: 64 * 1024 }] });
      const repo = uniqueRepo('azure/sas');
      ok(await clients.skopeo(['copy', ...skopeoTls(redirecting, 'dest'), img.ref, `docker://${redirecting.host}/${repo}:v1`]));
      const digest = img.layers[0]!.digest;
      const res = await redirecting.request(`/v2/${repo}/blobs/${digest}`);
      assert.equal(res.status, 307, show(res));
      const location = new URL(res.headers.location!);
      assert.match(location.href, new RegExp(`^http://127\\.0\\.0\\.1:\\d+/devstoreaccount1/wharf-e2e-sas/blobs/sha256/${digest.slice('sha256:'.length)}\\?`));
      assert.equal(location.searchParams.get('sp'), 'r', 'read-only');
      assert.ok(location.searchParams.get('sig'), 'signed');
      const expires = Date.parse(location.searchParams.get('se')!);
      assert.ok(expires > Date.now() + 4 * 60_000 && expires <= Date.now() + 5 * 60_000 + 1000, `valid about 5 minutes: ${location.searchParams.get('se')}`);
      const fetched = await request(location.href);
      assert.equal(fetched.status, 200);
      assert.deepEqual(fetched.body, readBlob(img.dir, digest));
      const head = await redirecting.request(`/v2/${repo}/blobs/${digest}`, { method: 'HEAD' });
      assert.equal(head.status, 200, 'HEAD is answered by Wharf');
      // A URL without the signature is refused by the storage: the redirect is what grants access.
      location.search = '';
      const anonymous = await request(location.href);
      assert.ok(anonymous.status >= 400 && anonymous.status < 500, `the container is private: ${show(anonymous)}`);

      const out = join(tempDir('pulled-sas'), 'layout');
      ok(await clients.skopeo(['copy', ...skopeoTls(redirecting, 'src'), `docker://${redirecting.host}/${repo}:v1`, `oci:${out}:v1`]));
      assert.equal(resolveTag(out, 'v1').digest, img.manifestDigest);
      assert.deepEqual(readBlob(out, digest), readBlob(img.dir, digest));
    } finally {
      await redirecting.stop();
    }
  });

  test('/readyz is ready with the storage up and not ready once it is gone', async () => {
    const ready = await w.request('/readyz');
    assert.equal(ready.status, 200, show(ready));
    await azurite.stop();
    const gone = await w.request('/readyz', { timeoutMs: 30_000 });
    assert.equal(gone.status, 503, show(gone));
    const body = gone.json<{ status: string; checks: Record<string, string> }>();
    assert.equal(body.status, 'not ready');
    assert.equal(body.checks.metadata, 'ok');
    assert.match(
      body.checks.blobs!,
      new RegExp(`^Azure Blob Storage container ${CONTAINER} at http://127\\.0\\.0\\.1:\\d+/devstoreaccount1/${CONTAINER} is not usable: `),
    );
  });
});
