/**
 * Spec-exact answers (issue 12, item 1), through the wire against one secure Wharf:
 * - a manifest that is not there is 404 MANIFEST_UNKNOWN on GET and HEAD whatever its reference
 *   looks like; PUT keeps TAG_INVALID; DELETE answers as Distribution 2.8 does;
 * - media-typed answers carry exactly their media type (no `charset` appended);
 * - listings never drop items silently: every cut page has a `Link` to the next, and skopeo,
 *   the JavaScript SDK and az each see all of 10,000 tags and 20,000 repositories;
 * - a cross-repository mount without enough access answers a challenge that also asks for
 *   `repository:<from>:pull`, so a token client that follows it mounts (201).
 *
 * The 10,000 tags and 20,000 repositories are seeded straight into the metadata store (one
 * real push, copied by SQL while the server is stopped), so the listing is what is tested.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { ContainerRegistryClient, KnownContainerRegistryAudience } from '@azure/container-registry';
import { AzSandbox } from '../helpers/az.js';
import { ownerCredential, sdkClientOptions } from '../helpers/azure-sdk.js';
import { ClientSandbox, ok as clientOk } from '../helpers/clients.js';
import { MEDIA } from '../helpers/contract.js';
import { request, sha256, type HttpResponse, type RequestOptions } from '../helpers/http.js';
import { WharfAdmin } from '../helpers/wharf-admin.js';
import { freePort, restartWharf, startWharf, type WharfServer } from '../helpers/wharf-server.js';

const REGISTRY = 'speclab';
const TAG_REPO = 'seed/tags';
const TAG_COUNT = 10_000;
const REPO_COUNT = 20_000;
/** A repository with more tags than the store returns in one query (10,000). */
const MANY_REPO = 'seed/many';
const MANY_TAGS = 10_050;
/** Bounds every Link-following loop: far more pages than any listing here has. */
const MAX_PAGES = 500;

let server: WharfServer;
let loginServer: string;
let basic: string;
let clients: ClientSandbox;
let seedDigest: string;

/** A request to the registry's login server, with the admin user's Basic credentials unless `auth` is false. */
function call(path: string, opts: RequestOptions = {}, auth = true): Promise<HttpResponse> {
  return request(`https://${loginServer}${path}`, {
    dispatcher: server.agent,
    ...opts,
    headers: { ...(auth ? { authorization: basic } : {}), ...opts.headers },
  });
}

function show(res: HttpResponse): string {
  return `${res.status} ${JSON.stringify(res.headers)}\n${res.body.toString('utf8').slice(0, 600)}`;
}

async function pushBlob(repository: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const post = await call(`/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: { 'content-length': '0' } });
  assert.equal(post.status, 202, show(post));
  const location = post.headers.location!;
  const put = await call(`${location}${location.includes('?') ? '&' : '?'}digest=${encodeURIComponent(digest)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(data.length) },
    body: data,
  });
  assert.equal(put.status, 201, show(put));
  return digest;
}

async function putManifest(repository: string, reference: string, manifest: object, mediaType: string): Promise<string> {
  const body = Buffer.from(JSON.stringify(manifest));
  const res = await call(`/v2/${repository}/manifests/${reference}`, { method: 'PUT', headers: { 'content-type': mediaType }, body });
  assert.equal(res.status, 201, show(res));
  return res.headers['docker-content-digest']!;
}

/** One small image (OCI or Docker schema 2), pushed over the wire; returns its digest and layer. */
async function pushImage(repository: string, tag: string, kind: 'oci' | 'docker' = 'oci') {
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, n: randomBytes(4).toString('hex') }),
  );
  const layer = randomBytes(2048);
  const configDigest = await pushBlob(repository, config);
  const layerDigest = await pushBlob(repository, layer);
  const mediaType = kind === 'oci' ? MEDIA.ociManifest : MEDIA.dockerManifest;
  const manifest = {
    schemaVersion: 2,
    mediaType,
    config: { mediaType: kind === 'oci' ? MEDIA.ociConfig : MEDIA.dockerConfig, digest: configDigest, size: config.length },
    layers: [{ mediaType: kind === 'oci' ? MEDIA.ociLayerGzip : MEDIA.dockerLayer, digest: layerDigest, size: layer.length }],
  };
  const digest = await putManifest(repository, tag, manifest, mediaType);
  return { digest, mediaType, layerDigest, layer };
}

/**
 * Copies the pushed `seed/tags` image into TAG_COUNT tags of its repository and REPO_COUNT
 * repositories, by SQL on the stopped server's database (column lists read from the schema, so
 * later migrations' columns come along).
 */
function seed(dataDir: string): void {
  const db = new SQLite(join(dataDir, 'metadata.sqlite'));
  try {
    const columns = (table: string) => (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
    const copyInto = (table: string, repoColumn: string, names: string) => {
      const cols = columns(table);
      const select = cols.map((c) => (c === repoColumn ? 'n.name' : `t.${c}`)).join(', ');
      db.prepare(`insert into ${table} (${cols.join(', ')}) select ${select} from ${table} t, ${names} n where t.registry = ? and t.${repoColumn} = ?`).run(
        REGISTRY,
        TAG_REPO,
      );
    };
    db.transaction(() => {
      const tagCols = columns('tags');
      const tagSelect = tagCols.map((c) => (c === 'name' ? `printf('t%05d', s.i)` : `t.${c}`)).join(', ');
      db.prepare(
        `with recursive s(i) as (select 1 union all select i + 1 from s where i < ${TAG_COUNT - 1})
         insert into tags (${tagCols.join(', ')}) select ${tagSelect} from tags t, s where t.registry = ? and t.repository = ? and t.name = 'v1'`,
      ).run(REGISTRY, TAG_REPO);
      // More tags than the store's largest page, in a repository of their own.
      const manySelect = tagCols.map((c) => (c === 'name' ? `printf('m%05d', s.i)` : c === 'repository' ? '?' : `t.${c}`)).join(', ');
      db.prepare(
        `with recursive s(i) as (select 1 union all select i + 1 from s where i < ${MANY_TAGS})
         insert into tags (${tagCols.join(', ')}) select ${manySelect} from tags t, s where t.registry = ? and t.repository = ? and t.name = 'v1'`,
      ).run(MANY_REPO, REGISTRY, TAG_REPO);
      db.exec(
        `create temp table seed_names as with recursive s(i) as (select 1 union all select i + 1 from s where i < ${REPO_COUNT - 2})
         select printf('seed/r%05d', i) as name from s union all select '${MANY_REPO}'`,
      );
      copyInto('repositories', 'name', 'seed_names');
      copyInto('manifests', 'repository', 'seed_names');
      copyInto('manifest_references', 'repository', 'seed_names');
      copyInto('repository_blobs', 'repository', 'seed_names');
    })();
  } finally {
    db.close();
  }
}

/** Follows `Link: <…>; rel="next"` from `first`, collecting `key` of each page. */
async function followLinks(first: string, key: string): Promise<{ items: string[]; pages: number }> {
  const items: string[] = [];
  let path: string | undefined = first;
  let pages = 0;
  while (path !== undefined) {
    assert.ok(++pages <= MAX_PAGES, `more than ${MAX_PAGES} pages from ${first}`);
    const res = await call(path);
    assert.equal(res.status, 200, show(res));
    const page = res.json()[key] as (string | { name: string })[];
    items.push(...page.map((item) => (typeof item === 'string' ? item : item.name)));
    const link = res.headers.link;
    path = link === undefined ? undefined : /^<([^>]+)>;\s*rel="next"$/.exec(link)?.[1];
    if (link !== undefined) assert.ok(path, `unparsable Link: ${link}`);
  }
  return { items, pages };
}

const expectedTags = ['v1', ...Array.from({ length: TAG_COUNT - 1 }, (_, i) => `t${String(i + 1).padStart(5, '0')}`)].sort();
const seededRepos = [MANY_REPO, ...Array.from({ length: REPO_COUNT - 2 }, (_, i) => `seed/r${String(i + 1).padStart(5, '0')}`)];

function assertAll(got: string[], expected: string[], what: string): void {
  assert.equal(new Set(got).size, got.length, `${what}: duplicates`);
  const have = new Set(got);
  const missing = expected.filter((item) => !have.has(item));
  assert.deepEqual(missing.slice(0, 5), [], `${what}: ${missing.length} of ${expected.length} missing (of ${got.length} listed)`);
}

before(async () => {
  const port = await freePort();
  loginServer = `localhost:${port}`;
  // The default registry answers at localhost:<port>.
  server = await startWharf({ secure: true, port, config: { defaultRegistry: REGISTRY, registries: [{ name: REGISTRY }] } });
  const password = await new WharfAdmin(server, REGISTRY).enableAdmin();
  basic = `Basic ${Buffer.from(`${REGISTRY}:${password}`).toString('base64')}`;
  clients = new ClientSandbox();
  seedDigest = (await pushImage(TAG_REPO, 'v1')).digest;
  await server.stop();
  seed(server.dataDir);
  server = await restartWharf(server);
});

after(async () => {
  await server?.stop();
});

describe('a manifest that is not there is MANIFEST_UNKNOWN on read, whatever its reference', () => {
  const references = [
    '.INVALID_MANIFEST_NAME',
    '-leading-dash',
    'x'.repeat(300),
    'a%20b',
    'no-such-tag',
    'sha256:zz',
    'sha512:abc',
    'foo:bar',
    `sha256:${'0'.repeat(64)}`,
    `sha384:${'0'.repeat(96)}`,
  ];
  for (const reference of references) {
    it(`GET and HEAD /v2/${TAG_REPO}/manifests/${reference.slice(0, 40)} → 404 MANIFEST_UNKNOWN`, async () => {
      const get = await call(`/v2/${TAG_REPO}/manifests/${reference}`);
      assert.equal(get.status, 404, show(get));
      assert.equal(get.json().errors[0].code, 'MANIFEST_UNKNOWN', show(get));
      const head = await call(`/v2/${TAG_REPO}/manifests/${reference}`, { method: 'HEAD' });
      assert.equal(head.status, 404, show(head));
      assert.equal(head.body.length, 0);
    });
  }

  it('PUT with a reference that is not a tag keeps 400 TAG_INVALID', async () => {
    const res = await call(`/v2/${TAG_REPO}/manifests/.INVALID_MANIFEST_NAME`, {
      method: 'PUT',
      headers: { 'content-type': MEDIA.ociManifest },
      body: '{}',
    });
    assert.equal(res.status, 400, show(res));
    assert.equal(res.json().errors[0].code, 'TAG_INVALID', show(res));
  });

  it('DELETE answers as Distribution 2.8: not a tag → 404 MANIFEST_UNKNOWN, a malformed digest → 400 DIGEST_INVALID', async () => {
    const invalidTag = await call(`/v2/${TAG_REPO}/manifests/.INVALID_MANIFEST_NAME`, { method: 'DELETE' });
    assert.equal(invalidTag.status, 404, show(invalidTag));
    assert.equal(invalidTag.json().errors[0].code, 'MANIFEST_UNKNOWN', show(invalidTag));
    const malformed = await call(`/v2/${TAG_REPO}/manifests/sha256:zz`, { method: 'DELETE' });
    assert.equal(malformed.status, 400, show(malformed));
    assert.equal(malformed.json().errors[0].code, 'DIGEST_INVALID', show(malformed));
    const unknown = await call(`/v2/${TAG_REPO}/manifests/sha256:${'0'.repeat(64)}`, { method: 'DELETE' });
    assert.equal(unknown.status, 404, show(unknown));
    assert.equal(unknown.json().errors[0].code, 'MANIFEST_UNKNOWN', show(unknown));
  });
});

describe('media-typed answers carry exactly their media type', () => {
  it('every route that answers with a media type sends it byte for byte, with no charset added', async () => {
    const repository = 'types/demo';
    const oci = await pushImage(repository, 'oci', 'oci');
    const docker = await pushImage(repository, 'docker', 'docker');
    const empty = Buffer.from('{}');
    const emptyDigest = await pushBlob(repository, empty);
    const referrer = {
      schemaVersion: 2,
      mediaType: MEDIA.ociManifest,
      artifactType: 'application/vnd.example.sbom',
      config: { mediaType: MEDIA.ociEmpty, digest: emptyDigest, size: empty.length },
      layers: [{ mediaType: MEDIA.ociEmpty, digest: emptyDigest, size: empty.length }],
      subject: { mediaType: MEDIA.ociManifest, digest: oci.digest, size: 0 },
    };
    const referrerDigest = await putManifest(repository, 'sbom', referrer, MEDIA.ociManifest);

    const routes: { method: string; path: string; type: string }[] = [
      { method: 'GET', path: `/v2/${repository}/manifests/oci`, type: MEDIA.ociManifest },
      { method: 'HEAD', path: `/v2/${repository}/manifests/oci`, type: MEDIA.ociManifest },
      { method: 'GET', path: `/v2/${repository}/manifests/${oci.digest}`, type: MEDIA.ociManifest },
      { method: 'HEAD', path: `/v2/${repository}/manifests/${oci.digest}`, type: MEDIA.ociManifest },
      { method: 'GET', path: `/v2/${repository}/manifests/docker`, type: MEDIA.dockerManifest },
      { method: 'HEAD', path: `/v2/${repository}/manifests/${docker.digest}`, type: MEDIA.dockerManifest },
      { method: 'GET', path: `/v2/${repository}/referrers/${oci.digest}`, type: MEDIA.ociIndex },
      { method: 'GET', path: `/v2/${repository}/referrers/${oci.digest}?artifactType=application%2Fvnd.example.sbom`, type: MEDIA.ociIndex },
      { method: 'GET', path: `/v2/${repository}/referrers/${referrerDigest}`, type: MEDIA.ociIndex },
      { method: 'GET', path: `/v2/${repository}/blobs/${oci.layerDigest}`, type: 'application/octet-stream' },
      { method: 'HEAD', path: `/v2/${repository}/blobs/${oci.layerDigest}`, type: 'application/octet-stream' },
      // Plain JSON answers are JSON in UTF-8, as Distribution sends them.
      { method: 'GET', path: '/v2/', type: 'application/json; charset=utf-8' },
      { method: 'GET', path: `/v2/${repository}/tags/list`, type: 'application/json; charset=utf-8' },
      { method: 'GET', path: '/v2/_catalog?n=5', type: 'application/json; charset=utf-8' },
      { method: 'GET', path: '/acr/v1/_catalog?n=5', type: 'application/json; charset=utf-8' },
      { method: 'GET', path: `/acr/v1/${repository}`, type: 'application/json; charset=utf-8' },
      { method: 'GET', path: `/acr/v1/${repository}/_tags`, type: 'application/json; charset=utf-8' },
      { method: 'GET', path: `/acr/v1/${repository}/_tags/oci`, type: 'application/json; charset=utf-8' },
      { method: 'GET', path: `/acr/v1/${repository}/_manifests`, type: 'application/json; charset=utf-8' },
      { method: 'GET', path: `/acr/v1/${repository}/_manifests/${oci.digest}`, type: 'application/json; charset=utf-8' },
    ];
    const wrong: string[] = [];
    for (const route of routes) {
      const res = await call(route.path, {
        method: route.method,
        headers: { accept: [MEDIA.ociManifest, MEDIA.ociIndex, MEDIA.dockerManifest, MEDIA.dockerList].join(', ') },
      });
      assert.equal(res.status, 200, `${route.method} ${route.path}: ${show(res)}`);
      if (res.headers['content-type'] !== route.type) wrong.push(`${route.method} ${route.path}: '${res.headers['content-type']}', not '${route.type}'`);
    }
    assert.deepEqual(wrong, []);

    const index = (await call(`/v2/${repository}/referrers/${oci.digest}`)).json();
    assert.equal(index.mediaType, MEDIA.ociIndex);
    assert.deepEqual(
      index.manifests.map((m: { digest: string }) => m.digest),
      [referrerDigest],
    );
  });

  it('a manifest GET answers its stored media type and bytes exactly', async () => {
    // A "+json" type, which Fastify would give a charset if it were sent as a string.
    const repository = 'types/custom';
    const empty = Buffer.from('{}');
    const emptyDigest = await pushBlob(repository, empty);
    const body = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.ociManifest,
        config: { mediaType: 'application/vnd.example.config.v1+json', digest: emptyDigest, size: 2 },
        layers: [],
      }),
    );
    const put = await call(`/v2/${repository}/manifests/v1`, { method: 'PUT', headers: { 'content-type': MEDIA.ociManifest }, body });
    assert.equal(put.status, 201, show(put));
    const get = await call(`/v2/${repository}/manifests/v1`, { headers: { accept: MEDIA.ociManifest } });
    assert.equal(get.headers['content-type'], MEDIA.ociManifest);
    assert.deepEqual(get.body, body);
    assert.equal(get.headers['docker-content-digest'], sha256(body));
  });
});

describe('listings never drop items silently', () => {
  it('/v2 tags list and catalog: a page cut short for any reason has a Link to the next', async () => {
    for (const path of [`/v2/${TAG_REPO}/tags/list`, `/v2/${TAG_REPO}/tags/list?n=100000`, '/v2/_catalog', '/v2/_catalog?n=100000']) {
      const res = await call(path);
      assert.equal(res.status, 200, show(res));
      const items: string[] = res.json().tags ?? res.json().repositories;
      const total = path.includes('tags') ? TAG_COUNT : REPO_COUNT;
      if (items.length < total) assert.match(res.headers.link ?? '', /^<\/v2\/[^>]+[?&]last=[^>]+>; rel="next"$/, `${path}: ${items.length} items and no Link`);
    }
    const tags = await followLinks(`/v2/${TAG_REPO}/tags/list`, 'tags');
    assert.deepEqual(tags.items, expectedTags);
    const many = await followLinks(`/v2/${MANY_REPO}/tags/list`, 'tags');
    assert.equal(many.items.length, MANY_TAGS);
    assert.equal(many.items.at(-1), `m${MANY_TAGS}`);
    const catalog = await followLinks('/v2/_catalog?n=7000', 'repositories');
    assertAll(catalog.items, [TAG_REPO, ...seededRepos], 'GET /v2/_catalog');
    // The last page is not followed by an empty one, and n=0 is an empty page with no Link.
    const zero = await call('/v2/_catalog?n=0');
    assert.deepEqual(zero.json().repositories, []);
    assert.equal(zero.headers.link, undefined);
  });

  it('/acr/v1 catalog and tags: every page but the last has a Link, at any n', async () => {
    const tags = await followLinks(`/acr/v1/${TAG_REPO}/_tags?n=100000`, 'tags');
    assert.deepEqual(tags.items, expectedTags);
    const catalog = await followLinks('/acr/v1/_catalog?n=5000', 'repositories');
    assertAll(catalog.items, [TAG_REPO, ...seededRepos], 'GET /acr/v1/_catalog');
  });

  it(`skopeo list-tags sees all ${TAG_COUNT} tags`, async () => {
    const [user, password] = Buffer.from(basic.slice(6), 'base64').toString('utf8').split(':');
    const listed = clientOk(
      await clients.skopeo([
        'list-tags',
        '--tls-verify=true',
        '--cert-dir',
        server.caDir!,
        '--creds',
        `${user}:${password}`,
        `docker://${loginServer}/${TAG_REPO}`,
      ]),
    );
    const tags: string[] = JSON.parse(listed.stdout).Tags;
    assert.equal(tags.length, TAG_COUNT);
    assert.deepEqual([...tags].sort(), expectedTags);
  });

  it(`the JavaScript SDK lists all ${REPO_COUNT} repositories and ${TAG_COUNT} tags`, async () => {
    const client = new ContainerRegistryClient(`https://${loginServer}`, ownerCredential(server), {
      audience: KnownContainerRegistryAudience.AzureResourceManagerPublicCloud,
      ...sdkClientOptions(server),
    });
    const repositories: string[] = [];
    for await (const name of client.listRepositoryNames()) repositories.push(name);
    assertAll(repositories, [TAG_REPO, ...seededRepos], 'listRepositoryNames');
    const tagNames: string[] = [];
    for await (const tag of client.getArtifact(TAG_REPO, seedDigest).listTagProperties()) tagNames.push(tag.name);
    assert.deepEqual([...tagNames].sort(), expectedTags);
  });

  it(`az acr repository list and show-tags see all ${REPO_COUNT} repositories and ${TAG_COUNT} tags`, async () => {
    const owner = new WharfAdmin(server, REGISTRY).owner;
    const { az } = await AzSandbox.signedIn(
      { origin: `https://${loginServer}`, domain: 'localhost', caFile: server.caFile! },
      { appId: owner.clientId, secret: owner.clientSecret, tenantId: owner.tenantId },
    );
    const repositories = await az.ok(['acr', 'repository', 'list', '-n', REGISTRY], { timeoutMs: 120_000 });
    assertAll(repositories.json, [TAG_REPO, ...seededRepos], 'az acr repository list');
    const tags = await az.ok(['acr', 'repository', 'show-tags', '-n', REGISTRY, '--repository', TAG_REPO], { timeoutMs: 120_000 });
    assert.deepEqual([...tags.json].sort(), expectedTags);
  });
});

describe('a cross-repository mount asks for pull on the source repository too', () => {
  /** `Bearer realm="…",service="…",scope="…"` split into its parameters. */
  function challengeOf(res: HttpResponse): Record<string, string> {
    const header = res.headers['www-authenticate'] ?? '';
    assert.match(header, /^Bearer /, show(res));
    return Object.fromEntries([...header.slice(7).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
  }

  /** A token client's answer to a challenge: the token for exactly the scopes it asks for, with the admin user's password. */
  async function tokenFor(challenge: Record<string, string>): Promise<string> {
    const query = new URLSearchParams({ service: challenge.service! });
    for (const scope of challenge.scope!.split(' ')) query.append('scope', scope);
    const realm = new URL(challenge.realm!);
    const res = await call(`${realm.pathname}?${query.toString()}`);
    assert.equal(res.status, 200, show(res));
    return res.json().access_token as string;
  }

  it('without credentials: the challenge names both repositories, and following it mounts (201)', async () => {
    const source = await pushImage('mount/source', 'v1');
    const path = `/v2/mount/anonymous/blobs/uploads/?mount=${source.layerDigest}&from=mount/source`;
    const refused = await call(path, { method: 'POST', headers: { 'content-length': '0' } }, false);
    assert.equal(refused.status, 401, show(refused));
    const challenge = challengeOf(refused);
    assert.equal(challenge.scope, 'repository:mount/anonymous:push repository:mount/source:pull');
    const token = await tokenFor(challenge);
    const mounted = await call(path, { method: 'POST', headers: { 'content-length': '0', authorization: `Bearer ${token}` } }, false);
    assert.equal(mounted.status, 201, show(mounted));
    assert.equal(mounted.headers['docker-content-digest'], source.layerDigest);
  });

  it('with a token for the destination only: 401 insufficient_scope asking for the source too, then 201', async () => {
    const source = await pushImage('mount/source2', 'v1');
    const destinationOnly = await tokenFor({ service: loginServer, realm: `https://${loginServer}/oauth2/token`, scope: 'repository:mount/dest:pull,push' });
    const path = `/v2/mount/dest/blobs/uploads/?mount=${source.layerDigest}&from=mount/source2`;
    const refused = await call(path, { method: 'POST', headers: { 'content-length': '0', authorization: `Bearer ${destinationOnly}` } }, false);
    assert.equal(refused.status, 401, show(refused));
    const challenge = challengeOf(refused);
    assert.equal(challenge.error, 'insufficient_scope');
    assert.equal(challenge.scope, 'repository:mount/dest:push repository:mount/source2:pull');
    const token = await tokenFor(challenge);
    const mounted = await call(path, { method: 'POST', headers: { 'content-length': '0', authorization: `Bearer ${token}` } }, false);
    assert.equal(mounted.status, 201, show(mounted));
    const blob = await call(`/v2/mount/dest/blobs/${source.layerDigest}`);
    assert.deepEqual(blob.body, source.layer);
  });

  it('a caller who may not pull the source gets a plain upload (202), with Basic credentials or a token, and no challenge loop', async () => {
    const source = await pushImage('mount/private', 'v1');
    const password = await new WharfAdmin(server, REGISTRY).createToken('dest-writer', [
      'repositories/mount/writable/content/read',
      'repositories/mount/writable/content/write',
    ]);
    const tokenBasic = `Basic ${Buffer.from(`dest-writer:${password}`).toString('base64')}`;
    const path = `/v2/mount/writable/blobs/uploads/?mount=${source.layerDigest}&from=mount/private`;
    const basicUpload = await call(path, { method: 'POST', headers: { 'content-length': '0', authorization: tokenBasic } }, false);
    assert.equal(basicUpload.status, 202, show(basicUpload));
    const query = new URLSearchParams({ service: loginServer });
    query.append('scope', 'repository:mount/writable:pull,push');
    query.append('scope', 'repository:mount/private:pull');
    const issued = await call(`/oauth2/token?${query.toString()}`, { headers: { authorization: tokenBasic } }, false);
    assert.equal(issued.status, 200, show(issued));
    const bearer = `Bearer ${issued.json().access_token}`;
    const tokenUpload = await call(path, { method: 'POST', headers: { 'content-length': '0', authorization: bearer } }, false);
    assert.equal(tokenUpload.status, 202, show(tokenUpload));
  });

  it('skopeo copy between two repositories mounts the layer instead of uploading it again', async () => {
    const source = await pushImage('mount/skopeo-src', 'v1');
    const [user, password] = Buffer.from(basic.slice(6), 'base64').toString('utf8').split(':');
    const copy = async (destination: string) =>
      clientOk(
        await clients.skopeo([
          '--debug',
          'copy',
          '--src-cert-dir',
          server.caDir!,
          '--dest-cert-dir',
          server.caDir!,
          '--src-creds',
          `${user}:${password}`,
          '--dest-creds',
          `${user}:${password}`,
          `docker://${loginServer}/mount/skopeo-src:v1`,
          `docker://${loginServer}/${destination}:v1`,
        ]),
      );
    // The first copy reads the layer from the source, which skopeo's blob cache then knows as
    // its location (the config is uploaded each time: skopeo tries mounts for layers only).
    await copy('mount/skopeo-dst1');
    const second = await copy('mount/skopeo-dst2');
    const layer = source.layerDigest.replace(':', '(:|%3A)');
    assert.match(second.stderr, new RegExp(`POST \\S+/v2/mount/skopeo-dst2/blobs/uploads/\\?\\S*mount=${layer}`), 'skopeo tried no mount');
    assert.doesNotMatch(second.stderr, new RegExp(`PUT \\S+/v2/mount/skopeo-dst2/blobs/uploads/\\S+digest=${layer}`), 'skopeo uploaded the layer again');
    const got = await call(`/v2/mount/skopeo-dst2/blobs/${source.layerDigest}`, { method: 'HEAD' });
    assert.equal(got.status, 200);
  });
});
