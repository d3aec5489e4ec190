/**
 * ACR's data-plane API `/acr/v1/…` through the wire, on a server with access control on:
 * catalog, repository / tag / manifest properties with paging and ordering, PATCH of the
 * changeable attributes, untag and repository delete; and the attributes enforced on the
 * OCI Distribution API (pull, push, delete, listings), with the refusals in the audit log.
 * Response shapes follow ACR's data-plane swagger (2021-07-01).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { defaultLoginServer, MEDIA } from '../helpers/contract.js';
import { errorCodes, describe as show, sha256, type HttpResponse, type RequestOptions } from '../helpers/http.js';
import { getBlob, getManifest, pushBlob, putManifest, uniqueRepo, uploadImage, v2 } from '../helpers/registry-api.js';
import { ROLE, WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

let server: WharfServer;
/** The server, seen through the bootstrap owner's Basic credentials (service principal). */
let w: WharfServer;
let admin: WharfAdmin;
let readerAuth: string;

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function as(authorization: string | null): WharfServer {
  return {
    ...server,
    request: (path: string, opts: RequestOptions = {}) =>
      server.request(path, { ...opts, headers: { ...(authorization ? { authorization } : {}), ...(opts.headers ?? {}) } }),
  };
}

before(async () => {
  server = await startWharf({ secure: true });
  admin = new WharfAdmin(server);
  w = as(basic(admin.owner.clientId, admin.owner.clientSecret));
  const reader = await admin.createServicePrincipal('acr-api-reader');
  await admin.assignRole(reader.objectId, ROLE.AcrPull);
  readerAuth = basic(reader.appId, reader.secret);
});
after(async () => {
  await server?.stop();
});

function expectError(res: HttpResponse, status: number, code: string, message?: RegExp): void {
  assert.equal(res.status, status, show(res));
  assert.ok(errorCodes(res).includes(code), `expected ${code} in ${show(res)}`);
  if (message) assert.match(res.json<{ errors: { message: string }[] }>().errors[0]!.message, message, show(res));
}

function ok(res: HttpResponse, status = 200): any {
  assert.equal(res.status, status, show(res));
  return res.json();
}

/** The path of a repository under /acr/v1, percent-encoded as the Azure SDKs send it. */
const acr = (repo: string, rest = '') => `/acr/v1/${encodeURIComponent(repo)}${rest}`;

async function patch(path: string, body: unknown): Promise<any> {
  return ok(await w.request(path, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
}

/** Pushes a fresh image as `tag` (a new manifest each time). */
async function pushImage(repo: string, tag: string): Promise<{ digest: string; manifest: Buffer; blobs: { digest: string; data: Buffer }[] }> {
  const image = await uploadImage(w, repo);
  const res = await putManifest(w, repo, tag, image.manifest);
  assert.equal(res.status, 201, show(res));
  return image;
}

async function listAll(first: string): Promise<{ pages: any[]; links: string[] }> {
  const pages: any[] = [];
  const links: string[] = [];
  let path: string | undefined = first;
  while (path) {
    const res = await w.request(path);
    pages.push(ok(res));
    const link = res.headers.link;
    if (link) links.push(link);
    path = link ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined;
    assert.ok(!link || path, `malformed Link header: ${link}`);
    assert.ok(pages.length < 50, 'paging does not end');
  }
  return { pages, links };
}

describe('catalog', () => {
  test('GET /acr/v1/_catalog pages with n and last, following the Link header to the end', async () => {
    const prefix = `cat${randomBytes(3).toString('hex')}`;
    const repos = [`${prefix}/a`, `${prefix}/b`, `${prefix}/c`];
    for (const repo of repos) await pushImage(repo, 'v1');
    const whole = ok(await w.request('/acr/v1/_catalog?n=1000&api-version=2021-07-01'));
    for (const repo of repos) assert.ok(whole.repositories.includes(repo), JSON.stringify(whole));
    const { pages, links } = await listAll('/acr/v1/_catalog?n=2');
    assert.deepEqual(
      pages.flatMap((p) => p.repositories),
      whole.repositories,
    );
    assert.match(links[0]!, /^<\/acr\/v1\/_catalog\?last=[^&]+&n=2>; rel="next"$/);
    const after = ok(await w.request(`/acr/v1/_catalog?last=${encodeURIComponent(`${prefix}/a`)}&n=1`));
    assert.deepEqual(after.repositories, [`${prefix}/b`]);
  });

  test('without credentials the catalog answers 401 with a challenge for registry:catalog:*', async () => {
    const res = await as(null).request('/acr/v1/_catalog');
    expectError(res, 401, 'UNAUTHORIZED');
    assert.match(res.headers['www-authenticate'] ?? '', /scope="registry:catalog:\*"/);
  });
});

describe('repository properties', () => {
  test('GET /acr/v1/{name} with the name percent-encoded shows counts, times and attributes', async () => {
    const repo = uniqueRepo('acr/props');
    const first = await pushImage(repo, 'v1');
    await putManifest(w, repo, 'latest', first.manifest);
    await pushImage(repo, 'v2');
    const body = ok(await w.request(`${acr(repo)}?api-version=2021-07-01`));
    assert.equal(body.registry, defaultLoginServer(w.port));
    assert.equal(body.imageName, repo);
    assert.equal(body.manifestCount, 2);
    assert.equal(body.tagCount, 3);
    assert.deepEqual(body.changeableAttributes, { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true });
    assert.ok(!Number.isNaN(Date.parse(body.createdTime)) && body.createdTime <= body.lastUpdateTime, JSON.stringify(body));
    // The unencoded form reaches the same repository.
    assert.equal(ok(await w.request(`/acr/v1/${repo}`)).imageName, repo);
  });

  test('an unknown repository is 404 NAME_UNKNOWN; a malformed name is 400 NAME_INVALID', async () => {
    expectError(await w.request(acr(uniqueRepo('acr/none'))), 404, 'NAME_UNKNOWN');
    expectError(await w.request('/acr/v1/Upper%2FCase'), 400, 'NAME_INVALID');
  });

  test('PATCH /acr/v1/{name} changes only the attributes given and moves lastUpdateTime', async () => {
    const repo = uniqueRepo('acr/patch');
    await pushImage(repo, 'v1');
    const before = ok(await w.request(acr(repo)));
    const changed = await patch(acr(repo), { listEnabled: false, teleportEnabled: true });
    assert.deepEqual(changed.changeableAttributes, { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: false });
    assert.ok(changed.lastUpdateTime > before.lastUpdateTime, `${changed.lastUpdateTime} > ${before.lastUpdateTime}`);
    assert.equal(changed.createdTime, before.createdTime);
    assert.deepEqual(ok(await w.request(acr(repo))).changeableAttributes, changed.changeableAttributes);
  });

  test('PATCH with a body that is not an object of booleans is 400, and changes nothing', async () => {
    const repo = uniqueRepo('acr/badpatch');
    await pushImage(repo, 'v1');
    for (const body of ['{"writeEnabled":"no"}', 'not json', '[true]']) {
      const res = await w.request(acr(repo), { method: 'PATCH', headers: { 'content-type': 'application/json' }, body });
      expectError(res, 400, 'UNSUPPORTED', /changeable attributes/);
    }
    assert.equal(ok(await w.request(acr(repo))).changeableAttributes.writeEnabled, true);
  });
});

describe('tags', () => {
  test('GET /acr/v1/{name}/_tags lists tags with their attributes, in name order by default', async () => {
    const repo = uniqueRepo('acr/tags');
    const image = await pushImage(repo, 'b');
    await putManifest(w, repo, 'a', image.manifest);
    const body = ok(await w.request(acr(repo, '/_tags')));
    assert.equal(body.registry, defaultLoginServer(w.port));
    assert.equal(body.imageName, repo);
    assert.deepEqual(
      body.tags.map((t: any) => t.name),
      ['a', 'b'],
    );
    const tag = body.tags[0];
    assert.equal(tag.digest, image.digest);
    assert.equal(tag.signed, false);
    assert.deepEqual(tag.changeableAttributes, { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true });
    assert.ok(tag.createdTime && tag.lastUpdateTime, JSON.stringify(tag));
    const one = ok(await w.request(acr(repo, '/_tags/b')));
    assert.deepEqual(one, { registry: defaultLoginServer(w.port), imageName: repo, tag: body.tags[1] });
    expectError(await w.request(acr(repo, '/_tags/nope')), 404, 'MANIFEST_UNKNOWN');
  });

  test('orderby timeasc / timedesc order by last update; paging continues after `last` in that order', async () => {
    const repo = uniqueRepo('acr/order');
    // Pushed in this order, with names that do not sort the same way.
    for (const tag of ['t3', 't1', 't4', 't2']) {
      await pushImage(repo, tag);
      await new Promise((r) => setTimeout(r, 5));
    }
    const asc = ok(await w.request(acr(repo, '/_tags?orderby=timeasc'))).tags.map((t: any) => t.name);
    assert.deepEqual(asc, ['t3', 't1', 't4', 't2']);
    const desc = ok(await w.request(acr(repo, '/_tags?orderby=timedesc'))).tags.map((t: any) => t.name);
    assert.deepEqual(desc, ['t2', 't4', 't1', 't3']);
    const { pages, links } = await listAll(`${acr(repo, '/_tags')}?orderby=timedesc&n=1`);
    // One tag per page, and no empty page after the last one.
    assert.deepEqual(
      pages.map((p) => p.tags.map((t: any) => t.name)),
      desc.map((name: string) => [name]),
    );
    assert.match(links[0]!, new RegExp(`^</acr/v1/${repo}/_tags\\?last=t2&n=1&orderby=timedesc>; rel="next"$`));
    // An attribute change is an update: the tag moves to the end of timeasc.
    await patch(acr(repo, '/_tags/t3'), { deleteEnabled: false });
    const moved = ok(await w.request(acr(repo, '/_tags?orderby=timeasc'))).tags.map((t: any) => t.name);
    assert.deepEqual(moved, ['t1', 't4', 't2', 't3']);
    expectError(await w.request(acr(repo, '/_tags?orderby=sideways')), 400, 'UNSUPPORTED', /orderby/);
    expectError(await w.request(acr(repo, '/_tags?orderby=timeasc&last=gone')), 400, 'UNSUPPORTED', /no longer exists/);
  });

  test('the digest filter lists only the tags of one manifest', async () => {
    const repo = uniqueRepo('acr/digest');
    const one = await pushImage(repo, 'x1');
    await putManifest(w, repo, 'x2', one.manifest);
    await pushImage(repo, 'y1');
    const body = ok(await w.request(`${acr(repo, '/_tags')}?digest=${encodeURIComponent(one.digest)}`));
    assert.deepEqual(
      body.tags.map((t: any) => t.name),
      ['x1', 'x2'],
    );
  });

  test('PATCH of a tag and DELETE /acr/v1/{name}/_tags/{tag} (untag: 202, the manifest stays)', async () => {
    const repo = uniqueRepo('acr/untag');
    const image = await pushImage(repo, 'keep');
    await putManifest(w, repo, 'drop', image.manifest);
    const patched = await patch(acr(repo, '/_tags/drop'), { readEnabled: false });
    assert.equal(patched.tag.name, 'drop');
    assert.equal(patched.tag.changeableAttributes.readEnabled, false);
    const del = await w.request(acr(repo, '/_tags/drop'), { method: 'DELETE' });
    assert.equal(del.status, 202, show(del));
    expectError(await w.request(acr(repo, '/_tags/drop')), 404, 'MANIFEST_UNKNOWN');
    expectError(await w.request(acr(repo, '/_tags/drop'), { method: 'DELETE' }), 404, 'MANIFEST_UNKNOWN');
    assert.equal((await getManifest(w, repo, image.digest)).status, 200);
    expectError(await getManifest(w, repo, 'drop'), 404, 'MANIFEST_UNKNOWN');
  });
});

describe('manifests', () => {
  test('GET /acr/v1/{name}/_manifests shows platform, media types, size and tags; one manifest by encoded digest', async () => {
    const repo = uniqueRepo('acr/manifests');
    const image = await pushImage(repo, 'v1');
    const body = ok(await w.request(acr(repo, '/_manifests')));
    assert.equal(body.registry, defaultLoginServer(w.port));
    assert.equal(body.imageName, repo);
    assert.equal(body.manifests.length, 1);
    const m = body.manifests[0];
    const parsed = JSON.parse(image.manifest.toString('utf8'));
    const referenced = parsed.config.size + parsed.layers.reduce((s: number, l: { size: number }) => s + l.size, 0);
    assert.deepEqual(
      { ...m, createdTime: undefined, lastUpdateTime: undefined },
      {
        digest: image.digest,
        imageSize: image.manifest.length + referenced,
        createdTime: undefined,
        lastUpdateTime: undefined,
        architecture: 'amd64',
        os: 'linux',
        mediaType: MEDIA.ociManifest,
        configMediaType: MEDIA.ociConfig,
        tags: ['v1'],
        changeableAttributes: { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true },
      },
    );
    const one = ok(await w.request(acr(repo, `/_manifests/${encodeURIComponent(image.digest)}`)));
    assert.deepEqual(one, { registry: defaultLoginServer(w.port), imageName: repo, manifest: m });
    expectError(await w.request(acr(repo, `/_manifests/${sha256('none')}`)), 404, 'MANIFEST_UNKNOWN');
    expectError(await w.request(acr(repo, '/_manifests/v1')), 400, 'DIGEST_INVALID');
  });

  test('an index shows its references with their platforms', async () => {
    const repo = uniqueRepo('acr/index');
    const amd = await pushImage(repo, 'amd');
    const arm = await pushImage(repo, 'arm');
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.ociIndex,
        manifests: [
          { mediaType: MEDIA.ociManifest, digest: amd.digest, size: amd.manifest.length, platform: { architecture: 'amd64', os: 'linux' } },
          { mediaType: MEDIA.ociManifest, digest: arm.digest, size: arm.manifest.length, platform: { architecture: 'arm64', os: 'linux' } },
        ],
      }),
    );
    assert.equal((await putManifest(w, repo, 'multi', index, MEDIA.ociIndex)).status, 201);
    const m = ok(await w.request(acr(repo, `/_manifests/${sha256(index)}`))).manifest;
    assert.equal(m.mediaType, MEDIA.ociIndex);
    assert.equal(m.imageSize, index.length + amd.manifest.length + arm.manifest.length);
    assert.deepEqual(m.references, [
      { digest: amd.digest, architecture: 'amd64', os: 'linux' },
      { digest: arm.digest, architecture: 'arm64', os: 'linux' },
    ]);
    assert.deepEqual(m.tags, ['multi']);
    assert.equal(m.architecture, undefined);
  });

  test('manifests page by digest, or by time with orderby; PATCH changes one manifest', async () => {
    const repo = uniqueRepo('acr/mpage');
    const pushed: string[] = [];
    for (const tag of ['a', 'b', 'c']) {
      pushed.push((await pushImage(repo, tag)).digest);
      await new Promise((r) => setTimeout(r, 5));
    }
    const byDigest = await listAll(`${acr(repo, '/_manifests')}?n=2`);
    assert.deepEqual(
      byDigest.pages.flatMap((p) => p.manifests.map((m: any) => m.digest)),
      [...pushed].sort(),
    );
    const byTime = await listAll(`${acr(repo, '/_manifests')}?n=1&orderby=timedesc`);
    assert.deepEqual(
      byTime.pages.flatMap((p) => p.manifests.map((m: any) => m.digest)),
      [...pushed].reverse(),
    );
    const patched = await patch(acr(repo, `/_manifests/${pushed[0]}`), { writeEnabled: false });
    assert.equal(patched.manifest.changeableAttributes.writeEnabled, false);
    const asc = ok(await w.request(`${acr(repo, '/_manifests')}?orderby=timeasc`)).manifests.map((m: any) => m.digest);
    assert.deepEqual(asc, [pushed[1], pushed[2], pushed[0]]);
  });
});

describe('repository delete', () => {
  test('DELETE /acr/v1/{name} answers 202 with what it deleted; the repository is gone everywhere', async () => {
    const repo = uniqueRepo('acr/delete');
    const one = await pushImage(repo, 'v1');
    await putManifest(w, repo, 'v1b', one.manifest);
    const two = await pushImage(repo, 'v2');
    // Warm the manifest cache, which must forget the repository.
    assert.equal((await getManifest(w, repo, 'v1')).status, 200);
    const res = await w.request(acr(repo), { method: 'DELETE' });
    assert.equal(res.status, 202, show(res));
    assert.deepEqual(res.json(), { manifestsDeleted: [one.digest, two.digest].sort(), tagsDeleted: ['v1', 'v1b', 'v2'] });
    expectError(await w.request(acr(repo)), 404, 'NAME_UNKNOWN');
    expectError(await getManifest(w, repo, 'v1'), 404, 'MANIFEST_UNKNOWN');
    expectError(await getManifest(w, repo, one.digest), 404, 'MANIFEST_UNKNOWN');
    expectError(await getBlob(w, repo, one.blobs[0]!.digest), 404, 'BLOB_UNKNOWN');
    assert.ok(!ok(await w.request('/acr/v1/_catalog?n=1000')).repositories.includes(repo));
    expectError(await w.request(acr(repo), { method: 'DELETE' }), 404, 'NAME_UNKNOWN');
    // Pushing again starts a new repository.
    await pushImage(repo, 'v3');
    assert.equal(ok(await w.request(acr(repo))).tagCount, 1);
  });
});

describe('changeable attributes on the Distribution API', () => {
  test('readEnabled=false on a tag refuses pulls by that tag only; on the manifest, every pull of it', async () => {
    const repo = uniqueRepo('acr/read');
    const image = await pushImage(repo, 'v1');
    await putManifest(w, repo, 'other', image.manifest);
    assert.equal((await getManifest(w, repo, 'v1')).status, 200); // cached from here on
    await patch(acr(repo, '/_tags/v1'), { readEnabled: false });
    expectError(
      await getManifest(w, repo, 'v1'),
      403,
      'DENIED',
      new RegExp(
        `reading is disabled on tag '${repo}:v1' \\(readEnabled=false\\); enable it with 'az acr repository update --name wharf --image ${repo}:v1 --read-enabled true'`,
      ),
    );
    assert.equal((await getManifest(w, repo, 'other')).status, 200);
    assert.equal((await getManifest(w, repo, image.digest)).status, 200);
    await patch(acr(repo, '/_tags/v1'), { readEnabled: true });
    await patch(acr(repo, `/_manifests/${image.digest}`), { readEnabled: false });
    for (const ref of ['v1', 'other', image.digest]) {
      expectError(await getManifest(w, repo, ref), 403, 'DENIED', new RegExp(`manifest '${repo}@${image.digest}' \\(readEnabled=false\\)`));
    }
    const head = await w.request(v2(repo, 'manifests/v1'), { method: 'HEAD', headers: { accept: MEDIA.ociManifest } });
    assert.equal(head.status, 403);
  });

  test('readEnabled=false on the repository refuses manifest and blob pulls until enabled again', async () => {
    const repo = uniqueRepo('acr/readrepo');
    const image = await pushImage(repo, 'v1');
    const layer = image.blobs[0]!;
    assert.equal((await getManifest(w, repo, 'v1')).status, 200);
    await patch(acr(repo), { readEnabled: false });
    expectError(await getManifest(w, repo, 'v1'), 403, 'DENIED', new RegExp(`repository '${repo}' \\(readEnabled=false\\)`));
    expectError(await getBlob(w, repo, layer.digest), 403, 'DENIED', /--repository .* --read-enabled true/);
    // Metadata stays readable: that is how the attribute is found and changed back.
    assert.equal(ok(await w.request(acr(repo))).changeableAttributes.readEnabled, false);
    await patch(acr(repo), { readEnabled: true });
    assert.equal((await getManifest(w, repo, 'v1')).status, 200);
    const blob = await getBlob(w, repo, layer.digest);
    assert.equal(blob.status, 200);
    assert.deepEqual(blob.body, layer.data);
  });

  test('writeEnabled=false locks: the tag does not move, the repository takes no pushes, nothing is deleted', async () => {
    const repo = uniqueRepo('acr/lock');
    const image = await pushImage(repo, 'v1');
    const next = await uploadImage(w, repo);
    await patch(acr(repo, '/_tags/v1'), { writeEnabled: false });
    expectError(
      await putManifest(w, repo, 'v1', next.manifest),
      403,
      'DENIED',
      new RegExp(`writing is disabled on tag '${repo}:v1' \\(writeEnabled=false, the image is locked\\); unlock it with '.*--write-enabled true'`),
    );
    assert.equal((await putManifest(w, repo, 'v2', next.manifest)).status, 201);
    expectError(await w.request(v2(repo, 'manifests/v1'), { method: 'DELETE' }), 403, 'DENIED', /deleting is disabled on tag/);
    expectError(await w.request(v2(repo, `manifests/${image.digest}`), { method: 'DELETE' }), 403, 'DENIED', /deleting is disabled on tag/);
    expectError(await w.request(acr(repo, '/_tags/v1'), { method: 'DELETE' }), 403, 'DENIED');
    expectError(await w.request(acr(repo), { method: 'DELETE' }), 403, 'DENIED', new RegExp(`tag '${repo}:v1' \\(writeEnabled=false`));
    assert.equal(ok(await w.request(acr(repo, '/_tags/v1'))).tag.digest, image.digest);

    await patch(acr(repo, '/_tags/v1'), { writeEnabled: true });
    await patch(acr(repo), { writeEnabled: false });
    const third = await uploadImage(w, repo);
    expectError(await putManifest(w, repo, 'v3', third.manifest), 403, 'DENIED', new RegExp(`writing is disabled on repository '${repo}'`));
    expectError(await w.request(v2(repo, `blobs/${third.blobs[0]!.digest}`), { method: 'DELETE' }), 403, 'DENIED');
    await patch(acr(repo), { writeEnabled: true });
    assert.equal((await putManifest(w, repo, 'v3', third.manifest)).status, 201);
  });

  test('deleteEnabled=false protects from deletion but allows updates', async () => {
    const repo = uniqueRepo('acr/nodelete');
    const image = await pushImage(repo, 'v1');
    await patch(acr(repo, `/_manifests/${image.digest}`), { deleteEnabled: false });
    expectError(
      await w.request(v2(repo, `manifests/${image.digest}`), { method: 'DELETE' }),
      403,
      'DENIED',
      new RegExp(`deleting is disabled on manifest '${repo}@${image.digest}' \\(deleteEnabled=false\\); enable it with '.*--delete-enabled true'`),
    );
    expectError(await w.request(acr(repo), { method: 'DELETE' }), 403, 'DENIED', /deleteEnabled=false/);
    const next = await uploadImage(w, repo);
    assert.equal((await putManifest(w, repo, 'v1', next.manifest)).status, 201);
    assert.equal((await w.request(v2(repo, 'manifests/v1'), { method: 'DELETE' })).status, 202);
  });

  test('listEnabled=false hides a tag from tag lists and a repository from catalogs, not from reads', async () => {
    const repo = uniqueRepo('acr/list');
    const image = await pushImage(repo, 'shown');
    await putManifest(w, repo, 'hidden', image.manifest);
    assert.deepEqual(ok(await w.request(v2(repo, 'tags/list'))).tags, ['hidden', 'shown']); // cached from here on
    await patch(acr(repo, '/_tags/hidden'), { listEnabled: false });
    assert.deepEqual(ok(await w.request(v2(repo, 'tags/list'))).tags, ['shown']);
    assert.deepEqual(
      ok(await w.request(acr(repo, '/_tags'))).tags.map((t: any) => t.name),
      ['shown'],
    );
    assert.equal(ok(await w.request(acr(repo, '/_tags/hidden'))).tag.changeableAttributes.listEnabled, false);
    assert.equal((await getManifest(w, repo, 'hidden')).status, 200);

    assert.ok(ok(await w.request('/v2/_catalog?n=10000')).repositories.includes(repo));
    await patch(acr(repo), { listEnabled: false });
    assert.ok(!ok(await w.request('/v2/_catalog?n=10000')).repositories.includes(repo));
    assert.ok(!ok(await w.request('/acr/v1/_catalog?n=1000')).repositories.includes(repo));
    assert.equal(ok(await w.request(acr(repo))).imageName, repo);
  });

  test('a refused pull is a repository event whose reason names the attribute', async () => {
    const repo = uniqueRepo('acr/audit');
    await pushImage(repo, 'v1');
    await patch(acr(repo), { readEnabled: false });
    const res = await getManifest(w, repo, 'v1');
    assert.equal(res.status, 403);
    const correlationId = res.headers['x-ms-correlation-request-id']!;
    let row: any;
    for (let i = 0; i < 30 && !row; i++) {
      const body = await admin.ok<{ value: any[] }>('GET', `${admin.registryId}/repositoryEvents?${new URLSearchParams({ correlationId })}`);
      row = body.value[0];
      if (!row) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(row, `no repository event for ${correlationId}`);
    assert.equal(row.OperationName, 'Pull');
    assert.equal(row.Repository, repo);
    assert.equal(row.Tag, 'v1');
    assert.equal(row.ResultType, 'Failed');
    assert.match(row.Reason, /readEnabled=false/);
  });
});

describe('authorization', () => {
  test('an AcrPull identity reads properties (metadata_read) but may not PATCH or delete', async () => {
    const repo = uniqueRepo('acr/authz');
    await pushImage(repo, 'v1');
    const reader = as(readerAuth);
    assert.equal(ok(await reader.request(acr(repo))).imageName, repo);
    assert.equal(ok(await reader.request(acr(repo, '/_tags'))).tags.length, 1);
    const denied = await reader.request(acr(repo), { method: 'PATCH', body: '{"writeEnabled":false}' });
    expectError(denied, 403, 'DENIED', /metadata_write/);
    expectError(await reader.request(acr(repo, '/_tags/v1'), { method: 'DELETE' }), 403, 'DENIED', /delete/);
    expectError(await reader.request(acr(repo), { method: 'DELETE' }), 403, 'DENIED', /delete/);
    assert.equal(ok(await w.request(acr(repo))).tagCount, 1);
  });

  test('anonymous requests get the challenge with the scope the operation needs', async () => {
    const repo = uniqueRepo('acr/anon');
    const res = await as(null).request(acr(repo, '/_tags'));
    expectError(res, 401, 'UNAUTHORIZED');
    assert.match(res.headers['www-authenticate'] ?? '', new RegExp(`scope="repository:${repo}:metadata_read"`));
  });
});

describe('blobs stay content-addressed across repositories', () => {
  test('reading a blob needs readEnabled on the repository it is read through, not on others holding it', async () => {
    const a = uniqueRepo('acr/shared');
    const b = uniqueRepo('acr/shared');
    const data = randomBytes(256);
    assert.equal((await pushBlob(w, a, data)).status, 201);
    assert.equal((await pushBlob(w, b, data)).status, 201);
    await pushImage(a, 'v1');
    await patch(acr(a), { readEnabled: false });
    expectError(await getBlob(w, a, sha256(data)), 403, 'DENIED');
    assert.equal((await getBlob(w, b, sha256(data))).status, 200);
  });
});
