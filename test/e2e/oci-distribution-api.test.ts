/**
 * OCI Distribution v1.1 through the wire, for what the real clients above never exercise:
 * ranges, chunked uploads with Content-Range, upload status and cancel, monolithic and sha512
 * uploads, error codes, size limits, paging, referrers, deletes, encoded names, host routing.
 * Spec: https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import {
  DEFAULT_LOGIN_SERVER,
  DELETE_STATUS,
  FIRST_START_STDOUT,
  LOCATION_IS_RELATIVE,
  MANIFEST_MAX_BYTES,
  MANIFEST_TOO_LARGE_STATUS,
  MEDIA,
  TAG_INVALID_CODES,
  UNKNOWN_HOST_STATUS,
} from '../helpers/contract.js';
import { agentFor, errorCodes, describe as show, sha256, sha512, type HttpResponse } from '../helpers/http.js';
import {
  getBlob,
  getManifest,
  imageManifest,
  locationPath,
  pushBlob,
  putManifest,
  startUpload,
  uniqueRepo,
  uploadImage,
  v2,
  withQuery,
} from '../helpers/registry-api.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

let w: WharfServer;

before(async () => {
  w = await startWharf();
});
after(async () => {
  await w?.stop();
});

function expectError(res: HttpResponse, status: number, codes: string | string[]): void {
  assert.equal(res.status, status, show(res));
  const want = Array.isArray(codes) ? codes : [codes];
  const got = errorCodes(res);
  assert.ok(
    got.some((c) => want.includes(c)),
    `expected one of ${want.join('|')} in ${show(res)}`,
  );
}

function assertRelative(location: string | undefined, what: string): void {
  assert.ok(location, `${what}: no Location header`);
  if (LOCATION_IS_RELATIVE) assert.match(location, /^\/v2\//, `${what}: Location must be relative, got ${location}`);
  else assert.ok(locationPath(w, location).startsWith('/v2/'), `${what}: Location ${location}`);
}

const EMPTY = Buffer.from('{}');
const EMPTY_DESC = { mediaType: MEDIA.ociEmpty, digest: sha256(EMPTY), size: EMPTY.length };

describe('base and headers', () => {
  test('GET /v2/ answers 200 with the API version header, also on errors', async () => {
    const base = await w.request('/v2/');
    assert.equal(base.status, 200, show(base));
    assert.equal(base.headers['docker-distribution-api-version'], 'registry/2.0');
    const missing = await getManifest(w, uniqueRepo('api/none'), 'v1');
    expectError(missing, 404, ['MANIFEST_UNKNOWN', 'NAME_UNKNOWN']);
    assert.equal(missing.headers['docker-distribution-api-version'], 'registry/2.0');
  });

  test('Location headers are relative on every upload and manifest step', async () => {
    const repo = uniqueRepo('api/location');
    const data = randomBytes(100);
    const post = await startUpload(w, repo);
    assert.equal(post.status, 202, show(post));
    assertRelative(post.headers.location, 'POST upload');
    const patch = await w.request(locationPath(w, post.headers.location), {
      method: 'PATCH',
      body: data,
      headers: { 'content-type': 'application/octet-stream' },
    });
    assert.equal(patch.status, 202, show(patch));
    assertRelative(patch.headers.location, 'PATCH');
    const put = await w.request(withQuery(locationPath(w, patch.headers.location), 'digest', sha256(data)), { method: 'PUT' });
    assert.equal(put.status, 201, show(put));
    assertRelative(put.headers.location, 'PUT blob');
    assert.equal(put.headers['docker-content-digest'], sha256(data));
    const img = await uploadImage(w, repo);
    const m = await putManifest(w, repo, 'v1', img.manifest);
    assert.equal(m.status, 201, show(m));
    assertRelative(m.headers.location, 'PUT manifest');
    assert.equal(m.headers['docker-content-digest'], img.digest);
  });
});

describe('blob reads', () => {
  const repo = uniqueRepo('api/range');
  const data = randomBytes(1000);
  const digest = sha256(data);
  before(async () => {
    const res = await pushBlob(w, repo, data);
    assert.equal(res.status, 201, show(res));
  });

  test('HEAD gives length and digest, GET the bytes', async () => {
    const head = await w.request(v2(repo, `blobs/${digest}`), { method: 'HEAD' });
    assert.equal(head.status, 200, show(head));
    assert.equal(head.headers['content-length'], '1000');
    assert.equal(head.headers['docker-content-digest'], digest);
    assert.equal(head.body.length, 0);
    const get = await getBlob(w, repo, digest);
    assert.deepEqual(get.body, data);
  });

  test('Range GET answers 206 with Content-Range', async () => {
    const mid = await getBlob(w, repo, digest, { range: 'bytes=10-19' });
    assert.equal(mid.status, 206, show(mid));
    assert.equal(mid.headers['content-range'], 'bytes 10-19/1000');
    assert.deepEqual(mid.body, data.subarray(10, 20));
    const tail = await getBlob(w, repo, digest, { range: 'bytes=990-' });
    assert.equal(tail.status, 206, show(tail));
    assert.equal(tail.headers['content-range'], 'bytes 990-999/1000');
    assert.deepEqual(tail.body, data.subarray(990));
  });

  test('an unsatisfiable Range answers 416', async () => {
    const res = await getBlob(w, repo, digest, { range: 'bytes=2000-3000' });
    assert.equal(res.status, 416, show(res));
  });

  test('an unknown blob is 404 BLOB_UNKNOWN', async () => {
    expectError(await getBlob(w, repo, sha256(randomBytes(8))), 404, 'BLOB_UNKNOWN');
  });
});

describe('uploads', () => {
  test('PATCH chunks with ordered Content-Range, status, then an out-of-order chunk is 416', async () => {
    const repo = uniqueRepo('api/chunks');
    const data = randomBytes(300);
    const post = await startUpload(w, repo);
    assert.equal(post.status, 202, show(post));
    const uuid = post.headers['docker-upload-uuid'];
    assert.ok(uuid, 'Docker-Upload-UUID on POST');
    let loc = locationPath(w, post.headers.location);
    for (const [start, end] of [
      [0, 99],
      [100, 199],
    ] as const) {
      const res = await w.request(loc, {
        method: 'PATCH',
        body: data.subarray(start, end + 1),
        headers: {
          'content-type': 'application/octet-stream',
          'content-range': `${start}-${end}`,
          'content-length': String(end - start + 1),
        },
      });
      assert.equal(res.status, 202, show(res));
      assert.equal(res.headers.range, `0-${end}`);
      assert.equal(res.headers['docker-upload-uuid'], uuid);
      loc = locationPath(w, res.headers.location);
    }
    const status = await w.request(loc);
    assert.equal(status.status, 204, show(status));
    assert.equal(status.headers.range, '0-199');
    assert.equal(status.headers['docker-upload-uuid'], uuid);
    assertRelative(status.headers.location, 'GET upload status');

    const skip = await w.request(loc, {
      method: 'PATCH',
      body: data.subarray(250, 300),
      headers: {
        'content-type': 'application/octet-stream',
        'content-range': '250-299',
        'content-length': '50',
      },
    });
    assert.equal(skip.status, 416, show(skip));
    const overlap = await w.request(loc, {
      method: 'PATCH',
      body: data.subarray(50, 100),
      headers: {
        'content-type': 'application/octet-stream',
        'content-range': '50-99',
        'content-length': '50',
      },
    });
    assert.equal(overlap.status, 416, show(overlap));

    // The session is intact after the rejected chunks: finish with the last chunk in the PUT.
    const put = await w.request(withQuery(loc, 'digest', sha256(data)), {
      method: 'PUT',
      body: data.subarray(200),
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': '100',
      },
    });
    assert.equal(put.status, 201, show(put));
    assert.deepEqual((await getBlob(w, repo, sha256(data))).body, data);
  });

  test('PATCH with Transfer-Encoding: chunked (no Content-Length), as skopeo sends when recompressing', async () => {
    const repo = uniqueRepo('api/te-chunked');
    const parts = [randomBytes(70_000), randomBytes(5), randomBytes(130_001)];
    const data = Buffer.concat(parts);
    const post = await startUpload(w, repo);
    assert.equal(post.status, 202, show(post));
    const patch = await w.request(locationPath(w, post.headers.location), {
      method: 'PATCH',
      headers: { 'content-type': 'application/octet-stream' },
      body: Readable.from(parts),
    });
    assert.equal(patch.status, 202, show(patch));
    assert.equal(patch.headers.range, `0-${data.length - 1}`);
    const put = await w.request(withQuery(locationPath(w, patch.headers.location), 'digest', sha256(data)), { method: 'PUT' });
    assert.equal(put.status, 201, show(put));
    assert.deepEqual((await getBlob(w, repo, sha256(data))).body, data);
  });

  test('DELETE of an upload cancels it: then 404 BLOB_UPLOAD_UNKNOWN', async () => {
    const repo = uniqueRepo('api/cancel');
    const post = await startUpload(w, repo);
    const loc = locationPath(w, post.headers.location);
    const patch = await w.request(loc, { method: 'PATCH', body: randomBytes(10), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(patch.status, 202, show(patch));
    const del = await w.request(locationPath(w, patch.headers.location), { method: 'DELETE' });
    assert.equal(del.status, 204, show(del));
    expectError(await w.request(loc), 404, 'BLOB_UPLOAD_UNKNOWN');
    expectError(
      await w.request(loc, { method: 'PATCH', body: randomBytes(10), headers: { 'content-type': 'application/octet-stream' } }),
      404,
      'BLOB_UPLOAD_UNKNOWN',
    );
    expectError(await w.request(withQuery(loc, 'digest', sha256('x')), { method: 'PUT' }), 404, 'BLOB_UPLOAD_UNKNOWN');
  });

  test('monolithic POST ?digest= stores the blob in one request', async () => {
    const repo = uniqueRepo('api/mono');
    const data = randomBytes(4096);
    const res = await w.request(withQuery(v2(repo, 'blobs/uploads/'), 'digest', sha256(data)), {
      method: 'POST',
      body: data,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(data.length) },
    });
    assert.equal(res.status, 201, show(res));
    assert.equal(res.headers['docker-content-digest'], sha256(data));
    assertRelative(res.headers.location, 'monolithic POST');
    assert.deepEqual((await w.request(locationPath(w, res.headers.location))).body, data);
  });

  test('a sha512 digest uploads and reads back by its sha512 digest', async () => {
    const repo = uniqueRepo('api/sha512');
    const data = randomBytes(2048);
    const digest = sha512(data);
    const res = await pushBlob(w, repo, data, digest);
    assert.equal(res.status, 201, show(res));
    assert.equal(res.headers['docker-content-digest'], digest);
    const head = await w.request(v2(repo, `blobs/${digest}`), { method: 'HEAD' });
    assert.equal(head.status, 200, show(head));
    assert.equal(head.headers['docker-content-digest'], digest);
    assert.deepEqual((await getBlob(w, repo, digest)).body, data);
    const mono = randomBytes(100);
    const post = await w.request(withQuery(v2(repo, 'blobs/uploads/'), 'digest', sha512(mono)), {
      method: 'POST',
      body: mono,
      headers: { 'content-type': 'application/octet-stream' },
    });
    assert.equal(post.status, 201, show(post));
  });

  test('a digest that does not match the content is DIGEST_INVALID, and nothing is stored', async () => {
    const repo = uniqueRepo('api/digest');
    const data = randomBytes(500);
    const wrong = sha256(randomBytes(500));
    expectError(await pushBlob(w, repo, data, wrong), 400, 'DIGEST_INVALID');
    assert.equal((await w.request(v2(repo, `blobs/${wrong}`), { method: 'HEAD' })).status, 404);
    assert.equal((await w.request(v2(repo, `blobs/${sha256(data)}`), { method: 'HEAD' })).status, 404);
    const mono = await w.request(withQuery(v2(repo, 'blobs/uploads/'), 'digest', wrong), {
      method: 'POST',
      body: data,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expectError(mono, 400, 'DIGEST_INVALID');
    expectError(await pushBlob(w, repo, data, 'sha256:not-hex'), 400, 'DIGEST_INVALID');
    expectError(await pushBlob(w, repo, data, 'md5:d41d8cd98f00b204e9800998ecf8427e'), 400, ['DIGEST_INVALID', 'UNSUPPORTED']);
  });

  test('cross-repository mount: 201 when the source has the blob, 202 upload otherwise', async () => {
    const from = uniqueRepo('api/mount-src');
    const to = uniqueRepo('api/mount-dst');
    const data = randomBytes(777);
    assert.equal((await pushBlob(w, from, data)).status, 201);
    const mount = await w.request(`${v2(to, 'blobs/uploads/')}?mount=${encodeURIComponent(sha256(data))}&from=${encodeURIComponent(from)}`, {
      method: 'POST',
      headers: { 'content-length': '0' },
    });
    assert.equal(mount.status, 201, show(mount));
    assert.equal(mount.headers['docker-content-digest'], sha256(data));
    assertRelative(mount.headers.location, 'mount');
    assert.deepEqual((await getBlob(w, to, sha256(data))).body, data);

    const absent = await w.request(`${v2(to, 'blobs/uploads/')}?mount=${encodeURIComponent(sha256(randomBytes(9)))}&from=${encodeURIComponent(from)}`, {
      method: 'POST',
      headers: { 'content-length': '0' },
    });
    assert.equal(absent.status, 202, show(absent));
    assertRelative(absent.headers.location, 'mount fallback');
  });
});

describe('manifests', () => {
  test('PUT of a manifest whose blobs are missing is 400 MANIFEST_BLOB_UNKNOWN', async () => {
    const repo = uniqueRepo('api/missing');
    const config = randomBytes(20);
    assert.equal((await pushBlob(w, repo, config)).status, 201);
    const missingLayer = sha256(randomBytes(30));
    const body = imageManifest({ digest: sha256(config), size: config.length }, [{ digest: missingLayer, size: 30 }]);
    expectError(await putManifest(w, repo, 'v1', body), 400, 'MANIFEST_BLOB_UNKNOWN');
    const noConfig = imageManifest({ digest: sha256(randomBytes(5)), size: 5 }, []);
    expectError(await putManifest(w, repo, 'v2', noConfig), 400, 'MANIFEST_BLOB_UNKNOWN');
    assert.equal((await getManifest(w, repo, 'v1')).status, 404);
  });

  test('invalid JSON and a schema-less body are MANIFEST_INVALID', async () => {
    const repo = uniqueRepo('api/invalid');
    expectError(await putManifest(w, repo, 'v1', '{"schemaVersion": 2, '), 400, 'MANIFEST_INVALID');
    expectError(await putManifest(w, repo, 'v1', '[1,2,3]'), 400, 'MANIFEST_INVALID');
    expectError(await putManifest(w, repo, 'v1', JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociManifest, layers: 'no' })), 400, 'MANIFEST_INVALID');
  });

  test(`a manifest over ${MANIFEST_MAX_BYTES} bytes is ${MANIFEST_TOO_LARGE_STATUS}`, async () => {
    const repo = uniqueRepo('api/big');
    const img = await uploadImage(w, repo);
    const parsed = JSON.parse(img.manifest.toString('utf8'));
    parsed.annotations = { padding: 'x'.repeat(MANIFEST_MAX_BYTES) };
    const res = await putManifest(w, repo, 'big', JSON.stringify(parsed));
    assert.equal(res.status, MANIFEST_TOO_LARGE_STATUS, show(res));
    assert.equal((await getManifest(w, repo, 'big')).status, 404);
    // Just under the limit is fine: the limit is on size, not a blanket refusal.
    parsed.annotations = { padding: 'x'.repeat(1024 * 1024) };
    assert.equal((await putManifest(w, repo, 'fine', JSON.stringify(parsed))).status, 201);
  });

  test('an invalid tag is 400', async () => {
    const repo = uniqueRepo('api/tag');
    const img = await uploadImage(w, repo);
    for (const tag of ['-leading-dash', '.leading-dot', 'x'.repeat(129), 'bad+plus']) {
      expectError(await putManifest(w, repo, encodeURIComponent(tag), img.manifest), 400, TAG_INVALID_CODES);
    }
    assert.equal((await putManifest(w, repo, 'x'.repeat(128), img.manifest)).status, 201);
  });

  test('an invalid repository name is 400 NAME_INVALID', async () => {
    for (const name of ['Upper/case', '-lead/x', 'trailing-', 'a..b', 'x'.repeat(256)]) {
      expectError(await startUpload(w, name), 400, 'NAME_INVALID');
      expectError(await putManifest(w, name, 'v1', '{}'), 400, 'NAME_INVALID');
    }
  });

  test('push by digest, HEAD and content type', async () => {
    const repo = uniqueRepo('api/bydigest');
    const img = await uploadImage(w, repo);
    const put = await putManifest(w, repo, img.digest, img.manifest);
    assert.equal(put.status, 201, show(put));
    const head = await w.request(v2(repo, `manifests/${img.digest}`), { method: 'HEAD', headers: { accept: MEDIA.ociManifest } });
    assert.equal(head.status, 200, show(head));
    assert.equal(head.headers['docker-content-digest'], img.digest);
    assert.equal(head.headers['content-type'], MEDIA.ociManifest);
    assert.equal(head.headers['content-length'], String(img.manifest.length));
    const wrong = await putManifest(w, repo, sha256('other bytes'), img.manifest);
    expectError(wrong, 400, ['DIGEST_INVALID', 'MANIFEST_INVALID']);
  });

  test('DELETE by tag untags, DELETE by digest removes the manifest', async () => {
    const repo = uniqueRepo('api/delete');
    const img = await uploadImage(w, repo);
    assert.equal((await putManifest(w, repo, 'keep', img.manifest)).status, 201);
    assert.equal((await putManifest(w, repo, 'drop', img.manifest)).status, 201);

    const untag = await w.request(v2(repo, 'manifests/drop'), { method: 'DELETE' });
    assert.equal(untag.status, DELETE_STATUS, show(untag));
    expectError(await getManifest(w, repo, 'drop'), 404, 'MANIFEST_UNKNOWN');
    assert.equal((await getManifest(w, repo, 'keep')).status, 200);
    assert.equal((await getManifest(w, repo, img.digest)).status, 200);
    assert.deepEqual((await w.request(v2(repo, 'tags/list'))).json<{ tags: string[] }>().tags, ['keep']);

    const del = await w.request(v2(repo, `manifests/${img.digest}`), { method: 'DELETE' });
    assert.equal(del.status, DELETE_STATUS, show(del));
    expectError(await getManifest(w, repo, img.digest), 404, 'MANIFEST_UNKNOWN');
    expectError(await getManifest(w, repo, 'keep'), 404, 'MANIFEST_UNKNOWN');
    expectError(await w.request(v2(repo, `manifests/${img.digest}`), { method: 'DELETE' }), 404, 'MANIFEST_UNKNOWN');
  });

  test('DELETE of a blob', async () => {
    const repo = uniqueRepo('api/delblob');
    const data = randomBytes(64);
    assert.equal((await pushBlob(w, repo, data)).status, 201);
    const del = await w.request(v2(repo, `blobs/${sha256(data)}`), { method: 'DELETE' });
    assert.equal(del.status, DELETE_STATUS, show(del));
    assert.equal((await w.request(v2(repo, `blobs/${sha256(data)}`), { method: 'HEAD' })).status, 404);
    expectError(await getBlob(w, repo, sha256(data)), 404, 'BLOB_UNKNOWN');
  });
});

/** Follows `Link: <...>; rel="next"` from `first`, returning each page's JSON and link. */
async function walk<T>(first: string): Promise<{ pages: T[]; links: string[] }> {
  const pages: T[] = [];
  const links: string[] = [];
  let next: string | undefined = first;
  while (next) {
    const res = await w.request(next);
    assert.equal(res.status, 200, show(res));
    pages.push(res.json<T>());
    const link = res.headers.link;
    if (!link) break;
    links.push(link);
    const m = /^<([^>]+)>;\s*rel="?next"?/.exec(link);
    assert.ok(m, `Link header shape: ${link}`);
    next = locationPath(w, m[1]);
    assert.ok(pages.length < 100, 'paging does not end');
  }
  return { pages, links };
}

describe('listings', () => {
  test('tags list is sorted and pages with n, last and Link', async () => {
    const repo = uniqueRepo('api/tags');
    const img = await uploadImage(w, repo);
    const tags = ['b1', 'a1', 'c1', 'a2', 'latest'];
    for (const t of tags) assert.equal((await putManifest(w, repo, t, img.manifest)).status, 201);
    const sorted = [...tags].sort();

    const all = await w.request(v2(repo, 'tags/list'));
    assert.deepEqual(all.json(), { name: repo, tags: sorted });
    assert.equal(all.headers.link, undefined);

    const page = await w.request(`${v2(repo, 'tags/list')}?n=2`);
    assert.deepEqual(page.json(), { name: repo, tags: sorted.slice(0, 2) });
    assert.ok(page.headers.link, 'Link header on a partial page');
    const after = await w.request(`${v2(repo, 'tags/list')}?n=2&last=${sorted[1]}`);
    assert.deepEqual(after.json<{ tags: string[] }>().tags, sorted.slice(2, 4));

    const { pages } = await walk<{ tags: string[] }>(`${v2(repo, 'tags/list')}?n=2`);
    assert.deepEqual(
      pages.flatMap((p) => p.tags),
      sorted,
    );
    assert.ok(pages.every((p) => p.tags.length <= 2));
    expectError(await w.request(v2(uniqueRepo('api/none'), 'tags/list')), 404, 'NAME_UNKNOWN');
  });

  test('catalog pages with n, last and Link, and lists every repository once', async () => {
    const repos = [uniqueRepo('api/cat'), uniqueRepo('api/cat'), uniqueRepo('api/cat')];
    for (const r of repos) {
      const img = await uploadImage(w, r);
      assert.equal((await putManifest(w, r, 'v1', img.manifest)).status, 201);
    }
    const full = (await w.request('/v2/_catalog')).json<{ repositories: string[] }>().repositories;
    for (const r of repos) assert.ok(full.includes(r), `${r} in catalog`);
    assert.deepEqual(full, [...full].sort());
    const { pages, links } = await walk<{ repositories: string[] }>('/v2/_catalog?n=2');
    assert.deepEqual(
      pages.flatMap((p) => p.repositories),
      full,
    );
    assert.ok(pages.every((p) => p.repositories.length <= 2));
    assert.ok(links.length >= 1);
    const rest = await w.request(`/v2/_catalog?n=1&last=${encodeURIComponent(full[0]!)}`);
    assert.deepEqual(rest.json<{ repositories: string[] }>().repositories, [full[1]]);
  });

  test('percent-encoded repository names route like plain ones', async () => {
    const repo = uniqueRepo('api/encoded');
    const img = await uploadImage(w, repo);
    assert.equal((await putManifest(w, repo, 'v1', img.manifest)).status, 201);
    const plain = await w.request(`/v2/${repo}/tags/list`);
    const encoded = await w.request(`/v2/${encodeURIComponent(repo)}/tags/list`);
    assert.equal(encoded.status, 200, show(encoded));
    assert.deepEqual(encoded.json(), plain.json());
    const blob = img.blobs[0]!;
    const get = await w.request(`/v2/${encodeURIComponent(repo)}/blobs/${encodeURIComponent(blob.digest)}`);
    assert.equal(get.status, 200, show(get));
    assert.deepEqual(get.body, blob.data);
    const manifest = await w.request(`/v2/${encodeURIComponent(repo)}/manifests/${encodeURIComponent(img.digest)}`, { headers: { accept: MEDIA.ociManifest } });
    assert.deepEqual(manifest.body, img.manifest);
  });
});

describe('referrers', () => {
  const ART_SIG = 'application/vnd.wharf.test.signature';
  const ART_SBOM = 'application/vnd.wharf.test.sbom';

  test('an artifact with a subject is listed by the referrers API, with artifactType filter', async () => {
    const repo = uniqueRepo('api/referrers');
    const subject = await uploadImage(w, repo);
    assert.equal((await putManifest(w, repo, 'v1', subject.manifest)).status, 201);
    assert.equal((await pushBlob(w, repo, EMPTY)).status, 201);

    const artifact = (artifactType: string) => {
      const payload = randomBytes(40);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA.ociManifest,
          artifactType,
          config: EMPTY_DESC,
          layers: [{ mediaType: 'application/octet-stream', digest: sha256(payload), size: payload.length }],
          subject: { mediaType: MEDIA.ociManifest, digest: subject.digest, size: subject.manifest.length },
          annotations: { 'org.opencontainers.image.created': '2024-01-01T00:00:00Z' },
        }),
      );
      return { payload, manifest, digest: sha256(manifest) };
    };
    const sig = artifact(ART_SIG);
    const sbom = artifact(ART_SBOM);
    for (const a of [sig, sbom]) {
      assert.equal((await pushBlob(w, repo, a.payload)).status, 201);
      const put = await putManifest(w, repo, a.digest, a.manifest);
      assert.equal(put.status, 201, show(put));
      assert.equal(put.headers['oci-subject'], subject.digest, 'OCI-Subject header on PUT');
    }

    const all = await w.request(v2(repo, `referrers/${subject.digest}`));
    assert.equal(all.status, 200, show(all));
    assert.match(all.headers['content-type'] ?? '', /^application\/vnd\.oci\.image\.index\.v1\+json/);
    const index = all.json<{
      schemaVersion: number;
      mediaType: string;
      manifests: { digest: string; artifactType: string; size: number; mediaType: string; annotations?: Record<string, string> }[];
    }>();
    assert.equal(index.schemaVersion, 2);
    assert.equal(index.mediaType, MEDIA.ociIndex);
    const byDigest = new Map(index.manifests.map((m) => [m.digest, m]));
    assert.equal(index.manifests.length, 2);
    for (const [a, type] of [
      [sig, ART_SIG],
      [sbom, ART_SBOM],
    ] as const) {
      const d = byDigest.get(a.digest);
      assert.ok(d, `${a.digest} listed`);
      assert.equal(d.artifactType, type);
      assert.equal(d.size, a.manifest.length);
      assert.equal(d.mediaType, MEDIA.ociManifest);
      assert.equal(d.annotations?.['org.opencontainers.image.created'], '2024-01-01T00:00:00Z');
    }

    const filtered = await w.request(`${v2(repo, `referrers/${subject.digest}`)}?artifactType=${encodeURIComponent(ART_SIG)}`);
    assert.equal(filtered.status, 200, show(filtered));
    assert.equal(filtered.headers['oci-filters-applied'], 'artifactType');
    assert.deepEqual(
      filtered.json<{ manifests: { digest: string }[] }>().manifests.map((m) => m.digest),
      [sig.digest],
    );

    const none = await w.request(v2(repo, `referrers/${sha256(randomBytes(4))}`));
    assert.equal(none.status, 200, show(none));
    assert.deepEqual(none.json<{ manifests: unknown[] }>().manifests, []);

    // Deleting a referrer removes it from the list.
    assert.equal((await w.request(v2(repo, `manifests/${sbom.digest}`), { method: 'DELETE' })).status, DELETE_STATUS);
    const afterDelete = await w.request(v2(repo, `referrers/${subject.digest}`));
    assert.deepEqual(
      afterDelete.json<{ manifests: { digest: string }[] }>().manifests.map((m) => m.digest),
      [sig.digest],
    );
  });
});

describe('hosts and robustness', () => {
  test('the default registry answers at its login server, localhost and 127.0.0.1', async () => {
    const repo = uniqueRepo('api/hosts');
    const img = await uploadImage(w, repo);
    assert.equal((await putManifest(w, repo, 'v1', img.manifest)).status, 201);
    for (const host of [`${DEFAULT_LOGIN_SERVER}:${w.port}`, DEFAULT_LOGIN_SERVER, `localhost:${w.port}`, `127.0.0.1:${w.port}`]) {
      const res = await w.request(v2(repo, 'tags/list'), { headers: { host } });
      assert.equal(res.status, 200, `${host}: ${show(res)}`);
      assert.deepEqual(res.json<{ tags: string[] }>().tags, ['v1']);
    }
  });

  test('an unknown Host gets a clear error naming the host, not a 500', async (t) => {
    const lenient = agentFor(w.caFile && readFileSync(w.caFile, 'utf8'), { anyName: true });
    t.after(() => lenient.close());
    for (const path of ['/v2/', '/v2/some/repo/tags/list']) {
      const res = await w.request(path, { headers: { host: 'nope.localhost' }, dispatcher: lenient });
      assert.equal(res.status, UNKNOWN_HOST_STATUS, show(res));
      assert.match(res.text(), /nope\.localhost/, show(res));
      assert.ok(errorCodes(res).length > 0, `spec-shaped error body: ${show(res)}`);
    }
  });

  test('bad input never gets a 5xx', async () => {
    const repo = uniqueRepo('api/garbage');
    const d = sha256('x');
    const cases: [string, string, Record<string, string>?, (Buffer | string)?][] = [
      ['GET', `/v2/${repo}/blobs/not-a-digest`],
      ['GET', `/v2/${repo}/blobs/sha256:${'z'.repeat(64)}`],
      ['GET', `/v2/${repo}/blobs/sha256:abc`],
      ['HEAD', `/v2/${repo}/blobs/sha999:${'a'.repeat(64)}`],
      ['GET', `/v2/${repo}/blobs/${d}`, { range: 'bytes=garbage' }],
      ['GET', `/v2/${repo}/blobs/${d}`, { range: 'bytes=5-1' }],
      ['GET', `/v2/${repo}/manifests/${'%'}`],
      ['GET', `/v2/${repo}/manifests/sha256:short`],
      ['PUT', `/v2/${repo}/manifests/v1`, { 'content-type': 'text/plain' }, 'hello'],
      ['PUT', `/v2/${repo}/manifests/v1`, { 'content-type': MEDIA.ociManifest }, ''],
      ['PUT', `/v2/${repo}/manifests/v1`, { 'content-type': MEDIA.ociManifest }, 'null'],
      ['PUT', `/v2/${repo}/manifests/v1`, { 'content-type': MEDIA.ociIndex }, JSON.stringify({ schemaVersion: 2, manifests: [{ digest: 'bad' }] })],
      ['PATCH', `/v2/${repo}/blobs/uploads/00000000-0000-0000-0000-000000000000`, { 'content-type': 'application/octet-stream' }, 'x'],
      ['PATCH', `/v2/${repo}/blobs/uploads/../../etc/passwd`, { 'content-type': 'application/octet-stream' }, 'x'],
      ['PUT', `/v2/${repo}/blobs/uploads/not-a-uuid?digest=${d}`],
      ['GET', `/v2/${repo}/blobs/uploads/%00`],
      ['POST', `/v2/${repo}/blobs/uploads/?digest=nonsense`, {}, 'x'],
      ['POST', `/v2/${repo}/blobs/uploads/?mount=nonsense&from=${repo}`],
      ['POST', `/v2/${repo}/blobs/uploads/?mount=${d}&from=NOT..valid`],
      ['GET', `/v2/${repo}/tags/list?n=-1`],
      ['GET', `/v2/${repo}/tags/list?n=abc`],
      ['GET', `/v2/${repo}/tags/list?n=99999999999999999999`],
      ['GET', '/v2/_catalog?n=-5&last=%ff'],
      ['GET', `/v2/${repo}/referrers/not-a-digest`],
      ['DELETE', `/v2/${repo}/manifests/not!valid`],
      ['DELETE', `/v2/${repo}/blobs/nonsense`],
      ['GET', '/v2/%2e%2e/%2e%2e/tags/list'],
      ['GET', '/v2/../../etc/passwd'],
      ['OPTIONS', '/v2/'],
      ['BREW', '/v2/'],
    ];
    const failures: string[] = [];
    for (const [method, path, headers, body] of cases) {
      try {
        const res = await w.request(path, { method, headers, body });
        if (res.status >= 500) failures.push(`${method} ${path} → ${show(res)}`);
        // Every answer the server writes itself is in the spec's error shape (HEAD has no body;
        // an unknown method is refused by Node's HTTP parser before the server sees it).
        else if (res.status >= 400 && method !== 'HEAD' && method !== 'BREW' && errorCodes(res).length === 0) {
          failures.push(`${method} ${path} → not an OCI error body: ${show(res)}`);
        }
      } catch (err) {
        failures.push(`${method} ${path} → ${(err as Error).message}`);
      }
    }
    assert.deepEqual(failures, []);
    const pagination = await w.request(`/v2/${repo}/tags/list?n=-1`);
    assert.deepEqual(errorCodes(pagination), ['PAGINATION_NUMBER_INVALID']);
    // Still healthy afterwards.
    assert.equal((await w.request('/v2/')).status, 200);
  });

  test('a fresh data dir prints push instructions on first start', async () => {
    const fresh = await startWharf();
    try {
      assert.match(fresh.stdout(), FIRST_START_STDOUT, fresh.logs());
      assert.ok(fresh.stdout().includes(String(fresh.port)), `instructions name the port: ${fresh.stdout()}`);
    } finally {
      await fresh.stop();
    }
  });
});
