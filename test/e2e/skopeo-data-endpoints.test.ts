/**
 * Dedicated data endpoints through the wire: a Premium registry with dataEndpointEnabled (set
 * through ARM) answers a blob GET on its login server with a 307 to a signed URL on
 * `<registry>.<region>.data.<domain>`, which serves the bytes (with ranges) to whoever holds
 * the URL. Real clients follow it: undici, skopeo (Go resolves names through /etc/hosts, so it
 * runs in a private mount namespace with its own hosts file), and the Azure SDK. The login
 * server is under `wharf.test`, not `.localhost`, so that a client without a DNS name for the
 * data endpoint fails the way it does against ACR (`dial tcp: lookup …`).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ContainerRegistryContentClient, KnownContainerRegistryAudience } from '@azure/container-registry';
import { Agent } from 'undici';
import { DATA_URL_KEY_LABEL, DataUrlSigner, dataBlobPath } from '../../src/network/data-endpoint-urls.js';
import { Sealer } from '../../src/kernel/secrets.js';
import { ownerCredential } from '../helpers/azure-sdk.js';
import { ClientSandbox, ok, type ClientResult } from '../helpers/clients.js';
import { describe as show, errorCodes, request, sha256, type HttpResponse } from '../helpers/http.js';
import { buildImageLayout, readBlob, resolveTag } from '../helpers/oci-layout.js';
import { uniqueRepo } from '../helpers/registry-api.js';
import { tempDir } from '../helpers/tmp.js';
import { WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const DOMAIN = 'wharf.test';
const REGISTRY = 'wharf';
const REGION = 'local';
const LOGIN_SERVER = `${REGISTRY}.${DOMAIN}`;
const DATA_HOST = `${REGISTRY}.${REGION}.data.${DOMAIN}`;
/** The master key every node of the installation shares; the test signs URLs with it as a second node would. */
const MASTER_KEY = randomBytes(32);

let w: WharfServer;
let admin: WharfAdmin;
let basic: string;
let password: string;
/** Trusts Wharf's CA and resolves `*.data.wharf.test` to loopback, as a DNS zone for the data endpoints would. */
let dataAgent: Agent;
let anyNameAgent: Agent;
const clients = new ClientSandbox();
const image = buildImageLayout({ layers: 2, layerSize: 256 * 1024 });
const repo = uniqueRepo('data/endpoints');
let layer: { digest: string; bytes: Buffer };

/** dns.lookup with the data endpoint names of the test domain answered by 127.0.0.1. */
function loopbackLookup(hostname: string, options: LookupOptions, callback: (...args: any[]) => void): void {
  if (!hostname.endsWith(`.data.${DOMAIN}`)) {
    dns.lookup(hostname, options, callback);
    return;
  }
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 } satisfies LookupAddress]);
  else callback(null, '127.0.0.1', 4);
}

async function enableDataEndpoints(enabled: boolean): Promise<void> {
  await admin.updateRegistry({ dataEndpointEnabled: enabled });
  const view = await admin.ok<{ properties: { dataEndpointEnabled: boolean; dataEndpointHostNames?: string[] } }>('GET', admin.registryId);
  assert.equal(view.properties.dataEndpointEnabled, enabled);
}

function loginBlob(digest: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<HttpResponse> {
  return w.request(`/v2/${repo}/blobs/${digest}`, { method: init.method, headers: { authorization: basic, ...init.headers } });
}

/**
 * A request to a data endpoint host (DATA_HOST unless named). Hosts of regions the registry is
 * not in need not be on the server certificate: for those only the chain is checked.
 */
function dataRequest(pathAndQuery: string, init: { method?: string; headers?: Record<string, string>; host?: string } = {}): Promise<HttpResponse> {
  const host = init.host ?? DATA_HOST;
  const dispatcher = host.startsWith(`${REGISTRY}.${REGION}.`) ? dataAgent : anyNameAgent;
  return request(`https://${host}:${w.port}${pathAndQuery}`, { method: init.method, headers: init.headers, dispatcher });
}

/** A URL signed the way another node of the installation signs it (same master key). */
function signedElsewhere(subject: { registry: string; region: string; digest: string }, now = Date.now()): string {
  const signer = new DataUrlSigner(new Sealer(MASTER_KEY).deriveKey(DATA_URL_KEY_LABEL), 600, () => now);
  const { expiry, sig } = signer.sign(subject);
  return `${dataBlobPath(subject.digest)}?${new URLSearchParams({ se: String(expiry), sig, r: subject.registry })}`;
}

/**
 * skopeo in a private mount namespace whose /etc/hosts maps `names` to 127.0.0.1 and whose
 * resolver is a loopback address nobody answers on (nothing leaves the machine).
 */
async function skopeoWithHosts(names: string[], args: string[]): Promise<ClientResult> {
  const dir = tempDir('resolver');
  const hosts = join(dir, 'hosts');
  const resolv = join(dir, 'resolv.conf');
  writeFileSync(hosts, `127.0.0.1 localhost\n${names.map((name) => `127.0.0.1 ${name}\n`).join('')}`);
  writeFileSync(resolv, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  // A `skopeo` first on PATH that enters the namespace, then runs the real one with the sandbox's arguments.
  const wrapper = join(dir, 'skopeo');
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec unshare -m sh -c 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf && shift 2 && exec /usr/bin/skopeo "$@"' sh '${hosts}' '${resolv}' "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  return clients.skopeo(args, { env: { PATH: `${dir}:${clients.env.PATH}` } });
}

const srcTls = () => ['--src-tls-verify=true', '--src-cert-dir', w.caDir!, '--src-creds', `${REGISTRY}:${password}`];

async function dataEndpointHits(): Promise<number> {
  const text = (await w.request('/metrics')).text();
  const line = text
    .split('\n')
    .find(
      (l) => l.startsWith('wharf_http_requests_total{') && l.includes('route="data-endpoint-blob"') && l.includes('method="GET"') && l.includes('status="200"'),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

before(async () => {
  w = await startWharf({ secure: true, domain: DOMAIN, env: { WHARF_MASTER_KEY: MASTER_KEY.toString('base64') } });
  admin = new WharfAdmin(w, REGISTRY);
  await admin.ok('PATCH', admin.registryId, { sku: { name: 'Premium' } });
  password = await admin.enableAdmin();
  basic = `Basic ${Buffer.from(`${REGISTRY}:${password}`).toString('base64')}`;
  ok(
    await clients.skopeo([
      'copy',
      '--dest-tls-verify=true',
      '--dest-cert-dir',
      w.caDir!,
      '--dest-creds',
      `${REGISTRY}:${password}`,
      image.ref,
      `docker://${w.host}/${repo}:v1`,
    ]),
  );
  layer = { digest: image.layers[0]!.digest, bytes: readBlob(image.dir, image.layers[0]!.digest) };
  const ca = readFileSync(w.caFile!, 'utf8');
  dataAgent = new Agent({ connect: { ca, lookup: loopbackLookup }, keepAliveTimeout: 1000 });
  anyNameAgent = new Agent({ connect: { ca, lookup: loopbackLookup, checkServerIdentity: () => undefined }, keepAliveTimeout: 1000 });
  await enableDataEndpoints(true);
});
after(async () => {
  await dataAgent?.close();
  await anyNameAgent?.close();
  await w?.stop();
});

describe('dedicated data endpoints', () => {
  test('ARM lists the data endpoint host name of the home region', async () => {
    const view = await admin.ok<{ properties: { dataEndpointHostNames?: string[] } }>('GET', admin.registryId);
    assert.deepEqual(view.properties.dataEndpointHostNames, [DATA_HOST]);
  });

  test('a blob GET on the login server is a 307 to a signed URL on the data endpoint; HEAD answers directly', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await loginBlob(layer.digest);
    assert.equal(res.status, 307, show(res));
    assert.equal(res.body.length, 0);
    const location = new URL(res.headers.location!);
    assert.equal(location.protocol, 'https:');
    assert.equal(location.host, `${DATA_HOST}:${w.port}`);
    const hex = layer.digest.slice('sha256:'.length);
    assert.equal(location.pathname, `/docker/registry/v2/blobs/sha256/${hex.slice(0, 2)}/${hex}/data`);
    assert.deepEqual([...location.searchParams.keys()].sort(), ['r', 'se', 'sig']);
    assert.equal(location.searchParams.get('r'), REGISTRY);
    const expiry = Number(location.searchParams.get('se'));
    assert.ok(expiry >= before + 600 && expiry <= Math.ceil(Date.now() / 1000) + 600, `expiry ${expiry} is 10 minutes from now`);
    assert.match(location.searchParams.get('sig')!, /^[A-Za-z0-9_-]{43}$/);

    const head = await loginBlob(layer.digest, { method: 'HEAD' });
    assert.equal(head.status, 200, show(head));
    assert.equal(head.headers['content-length'], String(layer.bytes.length));
    assert.equal(head.headers['docker-content-digest'], layer.digest);
  });

  test('the redirect is still authorized first: no credentials, no redirect', async () => {
    const res = await w.request(`/v2/${repo}/blobs/${layer.digest}`);
    assert.equal(res.status, 401, show(res));
    assert.equal(res.headers.location, undefined);
    const missing = await loginBlob(sha256(randomBytes(16)));
    assert.equal(missing.status, 404, show(missing));
    assert.deepEqual(errorCodes(missing), ['BLOB_UNKNOWN']);
  });

  test('the data endpoint serves the bytes, ranges and HEAD to the holder of the URL', async () => {
    const location = (await loginBlob(layer.digest)).headers.location!;
    const got = await request(location, { dispatcher: dataAgent });
    assert.equal(got.status, 200, show(got));
    assert.deepEqual(got.body, layer.bytes);
    assert.equal(got.headers['content-type'], 'application/octet-stream');
    assert.equal(got.headers['content-length'], String(layer.bytes.length));
    assert.equal(got.headers['docker-content-digest'], layer.digest);
    assert.equal(got.headers.etag, `"${layer.digest}"`);
    assert.equal(got.headers['accept-ranges'], 'bytes');

    const part = await request(location, { dispatcher: dataAgent, headers: { range: 'bytes=100-1123' } });
    assert.equal(part.status, 206, show(part));
    assert.equal(part.headers['content-range'], `bytes 100-1123/${layer.bytes.length}`);
    assert.equal(part.headers['content-length'], '1024');
    assert.deepEqual(part.body, layer.bytes.subarray(100, 1124));

    const beyond = await request(location, { dispatcher: dataAgent, headers: { range: `bytes=${layer.bytes.length}-` } });
    assert.equal(beyond.status, 416, show(beyond));
    assert.equal(beyond.headers['content-range'], `bytes */${layer.bytes.length}`);

    const head = await request(location, { dispatcher: dataAgent, method: 'HEAD' });
    assert.equal(head.status, 200, show(head));
    assert.equal(head.headers['content-length'], String(layer.bytes.length));
    assert.equal(head.body.length, 0);
  });

  test('a URL signed by another node sharing the master key works; an expired one is 403', async () => {
    const subject = { registry: REGISTRY, region: REGION, digest: layer.digest };
    const fresh = await dataRequest(signedElsewhere(subject));
    assert.equal(fresh.status, 200, show(fresh));
    assert.deepEqual(fresh.body, layer.bytes);

    const expired = await dataRequest(signedElsewhere(subject, Date.now() - 11 * 60_000));
    assert.equal(expired.status, 403, show(expired));
    assert.deepEqual(expired.json(), { errors: [{ code: 'DENIED', message: 'the signed URL is expired or invalid', detail: null }] });
  });

  test('tampered, foreign and misplaced URLs are 403 DENIED', async () => {
    const location = new URL((await loginBlob(layer.digest)).headers.location!);
    const variants: [string, (u: URL) => { path: string; host?: string }][] = [
      ['a changed signature', (u) => withParam(u, 'sig', flip(u.searchParams.get('sig')!))],
      ['a later expiry', (u) => withParam(u, 'se', String(Number(u.searchParams.get('se')) + 3600))],
      ['another registry in r', (u) => withParam(u, 'r', 'other')],
      ['no signature', (u) => withParam(u, 'sig', null)],
      ['another blob', (u) => ({ path: dataBlobPath(image.layers[1]!.digest) + u.search })],
      ['another region’s host', (u) => ({ path: u.pathname + u.search, host: `${REGISTRY}.eastus.data.${DOMAIN}` })],
      ['another registry’s host', (u) => ({ path: u.pathname + u.search, host: `other.${REGION}.data.${DOMAIN}` })],
    ];
    for (const [what, change] of variants) {
      const { path, host } = change(new URL(location));
      const res = await dataRequest(path, { host });
      assert.equal(res.status, 403, `${what}: ${show(res)}`);
      assert.deepEqual(errorCodes(res), ['DENIED'], what);
      assert.equal(res.json().errors[0].message, 'the signed URL is expired or invalid', what);
    }
  });

  test('a genuine URL for a region the registry is not in is 404', async () => {
    const res = await dataRequest(signedElsewhere({ registry: REGISTRY, region: 'eastus', digest: layer.digest }), {
      host: `${REGISTRY}.eastus.data.${DOMAIN}`,
    });
    assert.equal(res.status, 404, show(res));
  });

  test('a data endpoint host answers nothing else, and login server hosts do not serve data paths', async () => {
    for (const [method, path] of [
      ['GET', '/v2/'],
      ['GET', `/v2/${repo}/manifests/v1`],
      ['GET', '/oauth2/token?service=x'],
      ['GET', '/metrics'],
      ['DELETE', dataBlobPath(layer.digest)],
    ] as const) {
      const res = await dataRequest(path, { method, headers: { authorization: basic } });
      assert.equal(res.status, 404, `${method} ${path}: ${show(res)}`);
      assert.deepEqual(errorCodes(res), ['NOT_FOUND'], `${method} ${path}`);
    }
    const location = new URL((await loginBlob(layer.digest)).headers.location!);
    const onLogin = await w.request(location.pathname + location.search, { headers: { host: `${LOGIN_SERVER}:${w.port}` } });
    assert.equal(onLogin.status, 404, show(onLogin));
    const onIp = await w.request(location.pathname + location.search);
    assert.equal(onIp.status, 404, show(onIp));
  });

  test('skopeo copy follows the redirect to the data endpoint', async () => {
    const hitsBefore = await dataEndpointHits();
    const out = join(tempDir('pulled'), 'layout');
    ok(await skopeoWithHosts([LOGIN_SERVER, DATA_HOST], ['copy', ...srcTls(), `docker://${LOGIN_SERVER}:${w.port}/${repo}:v1`, `oci:${out}:v1`]));
    assert.equal(resolveTag(out, 'v1').digest, image.manifestDigest);
    for (const { digest } of image.layers) assert.deepEqual(readBlob(out, digest), readBlob(image.dir, digest));
    assert.deepEqual(readBlob(out, image.configDigest), image.config);
    // Two layers and the config came from the data endpoint.
    assert.ok((await dataEndpointHits()) - hitsBefore >= 3, 'the blobs were served by the data endpoint');
  });

  test('without a DNS name for the data endpoint, skopeo fails to look it up (as against ACR)', async () => {
    const out = join(tempDir('pulled'), 'layout');
    const res = await skopeoWithHosts([LOGIN_SERVER], ['copy', ...srcTls(), `docker://${LOGIN_SERVER}:${w.port}/${repo}:v1`, `oci:${out}:v1`]);
    assert.notEqual(res.code, 0, `skopeo succeeded:\n${res.stdout}\n${res.stderr}`);
    assert.ok(res.stderr.includes(`dial tcp: lookup ${DATA_HOST}`), res.stderr);
  });

  test('the Azure SDK downloadBlob follows the redirect', async () => {
    const agent = new HttpsAgent({ ca: readFileSync(w.caFile!, 'utf8'), lookup: loopbackLookup as typeof dns.lookup, keepAlive: false });
    const content = new ContainerRegistryContentClient(w.baseUrl, repo, ownerCredential(w), {
      audience: KnownContainerRegistryAudience.AzureResourceManagerPublicCloud,
      agent,
    });
    const hitsBefore = await dataEndpointHits();
    const blob = await content.downloadBlob(layer.digest);
    const chunks: Buffer[] = [];
    for await (const chunk of blob.content) chunks.push(chunk as Buffer);
    assert.equal(blob.digest, layer.digest);
    assert.deepEqual(Buffer.concat(chunks), layer.bytes);
    assert.equal((await dataEndpointHits()) - hitsBefore, 1);
    agent.destroy();
  });

  test('with data endpoints disabled, the login server streams blobs and old URLs are 404', async () => {
    const location = (await loginBlob(layer.digest)).headers.location!;
    await enableDataEndpoints(false);
    const direct = await loginBlob(layer.digest);
    assert.equal(direct.status, 200, show(direct));
    assert.deepEqual(direct.body, layer.bytes);
    const old = await request(location, { dispatcher: dataAgent });
    assert.equal(old.status, 404, show(old));
  });
});

function withParam(u: URL, name: string, value: string | null): { path: string } {
  const copy = new URL(u);
  if (value === null) copy.searchParams.delete(name);
  else copy.searchParams.set(name, value);
  return { path: copy.pathname + copy.search };
}

function flip(sig: string): string {
  return (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
}
