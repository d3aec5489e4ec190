/**
 * A full disk, through the wire: the data directory is on a small tmpfs mounted by the test
 * (tests run as root; without root this file fails, saying so). Images are pushed until the
 * disk is full; the push that finds it full, and every push after, gets 507 with an OCI error
 * naming "storage full" (never a 500), management writes get an ARM InsufficientStorage error,
 * the server log names the real cause (SQLITE_FULL or ENOSPC, not SQLite's rollback error),
 * deletes of manifests succeed on the full disk and garbage collection frees the space; after
 * that, pushes work again, and every image acknowledged before and not deleted is intact.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MEDIA } from '../helpers/contract.js';
import { eventually } from '../helpers/eventually.js';
import { sha256, type HttpResponse, type RequestOptions } from '../helpers/http.js';
import { getBlob, getManifest, imageManifest, pushBlob, putManifest } from '../helpers/registry-api.js';
import { tempDir } from '../helpers/tmp.js';
import { WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const DISK_MIB = 40;
const LAYER_BYTES = 1024 * 1024;
/** More images than fit: the loop ends at the first refusal, or fails. */
const MAX_IMAGES = 2 * DISK_MIB;
const REPOSITORY = 'full/images';

interface Pushed {
  tag: string;
  digest: string;
  manifest: Buffer;
  blobs: { digest: string; data: Buffer }[];
}

function freeBytes(dir: string): number {
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

function assertStorageFull(res: HttpResponse, what: string): void {
  assert.equal(res.status, 507, `${what}: ${res.status} ${res.text()}`);
  const error = res.json<{ errors?: { code?: string; message?: string }[] }>().errors?.[0];
  assert.equal(error?.code, 'DENIED', `${what}: ${res.text()}`);
  assert.match(error?.message ?? '', /storage full/, `${what}: ${res.text()}`);
}

describe('a full disk', () => {
  let mountPoint: string;
  let mounted = false;
  let server: WharfServer;
  let admin: WharfAdmin;
  let client: WharfServer;
  const acknowledged: Pushed[] = [];

  before(async () => {
    mountPoint = tempDir('full-disk');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_MIB}m,mode=0700`, 'tmpfs', mountPoint], { stdio: 'pipe' });
      mounted = true;
    } catch (error) {
      throw new Error(
        `this test mounts a ${DISK_MIB} MiB tmpfs for the data directory and must run as root (CI does): ${(error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message}`,
      );
    }
    const dataDir = join(mountPoint, 'data');
    mkdirSync(dataDir);
    server = await startWharf({ secure: true, dataDir });
    admin = new WharfAdmin(server);
    // Signed in before the disk fills: the tokens are not what this test is about.
    await admin.ok('GET', admin.registryId);
    const challenge = (await server.request('/v2/')).headers['www-authenticate'] ?? '';
    const service = /service="([^"]+)"/.exec(challenge)?.[1] ?? '';
    const scope = `repository:${REPOSITORY}:push,pull,delete`;
    const credentials = Buffer.from(`${admin.owner.clientId}:${admin.owner.clientSecret}`).toString('base64');
    const tokenRes = await server.request(`/oauth2/token?service=${encodeURIComponent(service)}&scope=${encodeURIComponent(scope)}`, {
      headers: { authorization: `Basic ${credentials}` },
    });
    assert.equal(tokenRes.status, 200, tokenRes.text());
    const token = tokenRes.json<{ access_token: string }>().access_token;
    client = {
      ...server,
      request: (path: string, opts: RequestOptions = {}) => server.request(path, { ...opts, headers: { authorization: `Bearer ${token}`, ...opts.headers } }),
    };
  });

  after(async () => {
    await server?.stop();
    if (mounted) execFileSync('umount', [mountPoint]);
  });

  /** One image: a random layer, its config, its manifest; the first response that is not a success. */
  async function pushImage(tag: string): Promise<{ pushed?: Pushed; refused?: HttpResponse }> {
    const layer = randomBytes(LAYER_BYTES);
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', nonce: tag, rootfs: { type: 'layers', diff_ids: [sha256(layer)] } }));
    const blobs = [layer, config].map((data) => ({ digest: sha256(data), data }));
    for (const blob of blobs) {
      const res = await pushBlob(client, REPOSITORY, blob.data, blob.digest);
      if (res.status !== 201) return { refused: res };
    }
    const manifest = imageManifest({ digest: blobs[1]!.digest, size: config.length }, [{ digest: blobs[0]!.digest, size: layer.length }]);
    const res = await putManifest(client, REPOSITORY, tag, manifest);
    if (res.status !== 201) return { refused: res };
    return { pushed: { tag, digest: sha256(manifest), manifest, blobs } };
  }

  it('answers pushes on a full disk with 507 and an OCI error naming storage full, not 500', async () => {
    let refused: HttpResponse | undefined;
    for (let i = 0; i < MAX_IMAGES && !refused; i++) {
      const result = await pushImage(`v${i}`);
      if (result.pushed) acknowledged.push(result.pushed);
      refused = result.refused;
    }
    assert.ok(refused, `${MAX_IMAGES} images of ${LAYER_BYTES} bytes fit on a ${DISK_MIB} MiB disk`);
    assert.ok(acknowledged.length >= 5, `only ${acknowledged.length} images were pushed before the disk was full`);
    assertStorageFull(refused, 'the push that filled the disk');

    const again = await pushImage('after-full');
    assertStorageFull(again.refused!, 'a push on the full disk');
    assert.doesNotMatch(server.logs(), /cannot rollback/, 'the log does not hide the cause behind the rollback error');
    assert.match(server.logs(), /storage full \((SQLITE_FULL|ENOSPC)\)/, 'the log names the real cause');
  });

  it('answers management writes on the full disk with an ARM InsufficientStorage error', async () => {
    const res = await admin.call('PUT', `${admin.registryId}/scopeMaps/full-disk-map`, {
      properties: { description: 'on a full disk', actions: [`repositories/${REPOSITORY}/content/read`] },
    });
    assert.equal(res.status, 507, res.text());
    const error = res.json<{ error?: { code?: string; message?: string } }>().error;
    assert.equal(error?.code, 'InsufficientStorage', res.text());
    assert.match(error?.message ?? '', /storage is full/);
  });

  it('deletes manifests on the full disk, and garbage collection frees their space', async () => {
    const freeBefore = freeBytes(mountPoint);
    const deleted = acknowledged.splice(0, Math.ceil(acknowledged.length / 2));
    for (const image of deleted) {
      const res = await client.request(`/v2/${REPOSITORY}/manifests/${image.digest}`, { method: 'DELETE' });
      assert.equal(res.status, 202, `delete of ${image.tag} on the full disk: ${res.status} ${res.text()}`);
    }
    const gc = await admin.ok<Record<string, unknown>>('POST', `${admin.registryId}/garbageCollect`, { gracePeriodMinutes: 0 });
    const freed = freeBytes(mountPoint) - freeBefore;
    assert.ok(freed >= deleted.length * LAYER_BYTES, `garbage collection freed ${freed} bytes for ${deleted.length} images: ${JSON.stringify(gc)}`);
    for (const image of deleted) {
      const res = await getManifest(client, REPOSITORY, image.digest, MEDIA.ociManifest);
      assert.equal(res.status, 404, `deleted ${image.tag}`);
    }
  });

  it('accepts pushes again once space is free, and lost nothing acknowledged', async () => {
    const pushed = await eventually(
      async () => {
        const result = await pushImage(`after-${randomBytes(3).toString('hex')}`);
        assert.ok(result.pushed, `push after freeing space: ${result.refused?.status} ${result.refused?.text()}`);
        return result.pushed;
      },
      10_000,
      500,
    );
    acknowledged.push(pushed);
    assert.match(server.logs(), /space is available again/);

    for (const image of acknowledged) {
      const res = await getManifest(client, REPOSITORY, image.tag, MEDIA.ociManifest);
      assert.equal(res.status, 200, `${image.tag}: ${res.status} ${res.text()}`);
      assert.equal(sha256(res.body), image.digest, `${image.tag} comes back as pushed`);
      for (const blob of image.blobs) {
        const got = await getBlob(client, REPOSITORY, blob.digest);
        assert.equal(got.status, 200, `${image.tag} blob ${blob.digest}`);
        assert.equal(sha256(got.body), blob.digest, `${image.tag} blob ${blob.digest} comes back as pushed`);
      }
    }
  });
});
