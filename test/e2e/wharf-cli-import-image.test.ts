/**
 * Image import (ACR's importImage, `wharf import`, `az acr import`) through the wire: from
 * Debian's docker-registry over HTTPS (a multi-arch index), from a secure Wharf by URI with
 * the Bearer token flow (with credentials, and refused without), from another registry of
 * the same Wharf by resource id (copied by reference), NoForce conflicts, bad sources as ARM
 * errors with their cause, authorization, and pulls of what was imported.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClientSandbox, ok as clientOk, run, skopeoTls } from '../helpers/clients.js';
import { WHARF_CLI } from '../helpers/contract.js';
import { startDistribution } from '../helpers/distribution-peer.js';
import { eventually } from '../helpers/eventually.js';
import { sha256 } from '../helpers/http.js';
import { buildImageLayout, buildIndexLayout } from '../helpers/oci-layout.js';
import { putManifest, uniqueRepo, uploadImage, v2 } from '../helpers/registry-api.js';
import { tempDir } from '../helpers/tmp.js';
import { AzSandbox } from '../helpers/az.js';
import { WharfAdmin, identityToken } from '../helpers/wharf-admin.js';
import { runWharfCli, type CliResult } from '../helpers/wharf-cli.js';
import { freePort, restartWharf, startWharf, type WharfServer } from '../helpers/wharf-server.js';

const READER_ROLE = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
/** Imports refuse loopback sources by default; these tests' sources all listen on loopback. */
const ALLOW_LOOPBACK = { import: { allowedSourceRanges: ['127.0.0.0/8'] } };
const CONTRIBUTOR_ROLE = 'b24988ac-6180-42a0-ab88-20f7382dd24c';

function describeRun(args: string[], result: CliResult): string {
  return `wharf ${args.join(' ')} → exit ${result.code}\n--- stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}`;
}

describe('image import', () => {
  let peer: WharfServer;
  let source: WharfServer;
  let target: WharfServer;
  let targetAdmin: WharfAdmin;
  let sourcePassword: string;
  let home: string;
  let caBundle: string;
  const clients = new ClientSandbox();

  async function cli(args: string[]): Promise<CliResult> {
    return runWharfCli(home, args, { timeoutMs: 120_000 });
  }

  async function ok(args: string[]): Promise<CliResult> {
    const result = await cli(args);
    assert.equal(result.code, 0, describeRun(args, result));
    return result;
  }

  async function fails(args: string[]): Promise<CliResult> {
    const result = await cli(args);
    assert.equal(result.code, 1, describeRun(args, result));
    return result;
  }

  /** The manifest the target's registry `registry` serves for repo:ref (Host routing picks the registry). */
  async function targetManifest(repo: string, ref: string, registry = 'wharf') {
    return target.request(v2(repo, `manifests/${ref}`), {
      headers: {
        accept: 'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json',
        ...(registry === 'wharf' ? {} : { host: `${registry}.localhost:${target.port}` }),
      },
    });
  }

  before(async () => {
    peer = await startDistribution({});
    source = await startWharf({ secure: true });
    const sourceAdmin = new WharfAdmin(source);
    sourcePassword = await sourceAdmin.enableAdmin();
    // The target trusts both sources' CAs, as an operator would with NODE_EXTRA_CA_CERTS.
    caBundle = join(tempDir('import-ca'), 'sources.pem');
    writeFileSync(caBundle, readFileSync(peer.caFile!, 'utf8') + readFileSync(source.caFile!, 'utf8'));
    target = await startWharf({ env: { NODE_EXTRA_CA_CERTS: caBundle }, config: ALLOW_LOOPBACK });
    targetAdmin = new WharfAdmin(target);
    home = tempDir('wharf-home-import');
    await ok(['login', '--data', target.dataDir, '--server', target.baseUrl]);
  });
  after(async () => {
    await target?.stop();
    await source?.stop();
    await peer?.stop();
  });

  it('imports a multi-arch index from docker-registry over HTTPS, with progress, and it pulls', async () => {
    const index = buildIndexLayout({ layers: 2, layerSize: 256 * 1024 });
    clientOk(await clients.skopeo(['copy', '--all', ...skopeoTls(peer, 'dest'), index.ref, `docker://${peer.host}/lib/multi:v1`]));

    const args = ['import', '--source', `${peer.host}/lib/multi:v1`, '--image', 'imported/multi:v1'];
    const result = await ok(args);
    assert.equal(result.stdout.trim(), index.indexDigest, describeRun(args, result));
    // Not a terminal: plain progress lines, then the summary.
    assert.match(result.stderr, /^import: \d+% /m);
    assert.match(result.stderr, /imported 127\.0\.0\.1:\d+\/lib\/multi: 3 manifests, 6 blobs \(6 copied, [\d.]+ [KM]iB; 0 already stored\)/);

    const served = await targetManifest('imported/multi', 'v1');
    assert.equal(served.status, 200);
    assert.equal(sha256(served.body), index.indexDigest);
    assert.deepEqual(served.body, index.index);
    // Every platform's blobs came along: skopeo copies the whole index back out.
    const out = tempDir('import-pull');
    clientOk(await clients.skopeo(['copy', '--all', ...skopeoTls(target, 'src'), `docker://${target.host}/imported/multi:v1`, `oci:${out}:v1`]));
    for (const image of index.images) {
      for (const layer of image.layers) assert.ok(readFileSync(join(out, 'blobs', 'sha256', layer.digest.slice(7))).length > 0);
    }
  });

  it('shows a progress bar on a terminal', async () => {
    // script(1) gives the CLI a pseudo-terminal, as an interactive shell would.
    const line = [process.execPath, WHARF_CLI, 'import', '--source', `${peer.host}/lib/multi:v1`, '--image', 'tty/multi:v1'].join(' ');
    const result = await run('script', ['-qec', line, '/dev/null'], { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, WHARF_HOME: home, TERM: 'xterm' });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /import \[\u2588+\u2591*\] \d+% \| /, 'a cli-progress bar');
    assert.match(result.stdout, /import \[\u2588+\] 100% \| /);
    assert.match(result.stdout, /^sha256:[0-9a-f]{64}\r?$/m);
  });

  it('imports from a secure Wharf by URI with credentials (Bearer token flow), and says why without', async () => {
    const image = buildImageLayout({ layers: 1, layerSize: 64 * 1024 });
    clientOk(
      await clients.skopeo([
        'copy',
        '--dest-tls-verify=true',
        '--dest-cert-dir',
        source.caDir!,
        '--dest-creds',
        `wharf:${sourcePassword}`,
        image.ref,
        `docker://${source.host}/team/app:1.0`,
      ]),
    );

    const refused = await fails(['import', '--source', `${source.host}/team/app:1.0`, '--image', 'app:1.0']);
    assert.match(
      refused.stderr,
      /^wharf: InvalidParameters: Image import failed: the source registry 127\.0\.0\.1:\d+ refused access \(.*\); give source\.credentials/m,
    );

    const wrong = await fails(['import', '--source', `${source.host}/team/app:1.0`, '--image', 'app:1.0', '-u', 'wharf', '-p', 'not-the-password']);
    assert.match(wrong.stderr, /refused access .*check source\.credentials/);

    const args = ['import', '--source', `${source.host}/team/app:1.0`, '--image', 'app:1.0', '-u', 'wharf', '--password-stdin', '-o', 'json'];
    const result = await runWharfCli(home, args, { input: `${sourcePassword}\n`, timeoutMs: 120_000 });
    assert.equal(result.code, 0, describeRun(args, result));
    const summary = JSON.parse(result.stdout) as { digest: string; blobsCopied: number; bytesCopied: number };
    assert.equal(summary.digest, image.manifestDigest);
    assert.equal(summary.blobsCopied, 2);
    assert.equal(summary.bytesCopied, image.layers[0]!.size + image.config.length);
    assert.ok(!result.stdout.includes(sourcePassword) && !result.stderr.includes(sourcePassword), 'the password is not printed');
    assert.equal(sha256((await targetManifest('app', '1.0')).body), image.manifestDigest);
  });

  it('imports from another registry of the same Wharf by resource id, by reference, recorded as a Push', async () => {
    const repo = uniqueRepo('local');
    const pushed = await uploadImage(target, repo, { layers: 2 });
    assert.equal((await putManifest(target, repo, 'v1', pushed.manifest)).status, 201);
    const prod = `/subscriptions/${targetAdmin.owner.subscriptionId}/resourceGroups/${targetAdmin.owner.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/prodreg`;
    await targetAdmin.ok('PUT', prod, { location: 'local', sku: { name: 'Premium' } });

    const args = ['import', '-n', 'prodreg', '--registry', 'wharf', '--source', `${repo}:v1`, '--image', 'copied:v1', '--repository', 'archive', '-o', 'json'];
    const summary = JSON.parse((await ok(args)).stdout) as { digest: string; blobs: number; blobsCopied: number; blobsLinked: number; targets: string[] };
    assert.equal(summary.digest, pushed.digest);
    assert.equal(summary.blobs, 3);
    assert.equal(summary.blobsCopied, 0, 'no bytes move between registries of one Wharf');
    assert.equal(summary.blobsLinked, 3);
    assert.deepEqual(summary.targets, ['copied:v1', `archive@${pushed.digest}`]);

    // Host routing learns of a new registry within its cache time.
    const served = await eventually(async () => {
      const res = await targetManifest('copied', 'v1', 'prodreg');
      assert.equal(res.status, 200, res.text());
      return res;
    });
    assert.equal(sha256(served.body), pushed.digest);
    const layer = pushed.blobs[0]!;
    const blob = await target.request(v2('archive', `blobs/${layer.digest}`), { headers: { host: `prodreg.localhost:${target.port}` } });
    assert.equal(blob.status, 200);
    assert.deepEqual(blob.body, layer.data);

    // The audit trail has the Push of each target (the recorder writes in batches).
    await eventually(async () => {
      const events = await targetAdmin.ok<{ value: { OperationName: string; Repository: string; Tag: string | null; Digest: string }[] }>(
        'GET',
        `${prod}/repositoryEvents?operationName=Push`,
      );
      const pushes = events.value
        .filter((e) => e.Digest === pushed.digest)
        .map((e) => `${e.Repository}:${e.Tag ?? ''}`)
        .sort();
      assert.deepEqual(pushes, ['archive:', 'copied:v1']);
    });

    // A network-restricted source is read only if it allows trusted services, as ACR's import.
    const fromProd = { source: { resourceId: prod, sourceImage: 'copied:v1' }, targetTags: ['fromprod:v1'] };
    await targetAdmin.ok('PATCH', `${prod}?force=true`, { properties: { publicNetworkAccess: 'Disabled', networkRuleBypassOptions: 'None' } });
    const restricted = await targetAdmin.call('POST', `${targetAdmin.registryId}/importImage`, fromProd);
    assert.equal(restricted.status, 400, restricted.text());
    assert.match(restricted.json().error.message, /'prodreg' is network-restricted \(public network access Disabled\) and it does not allow trusted services/);
    await targetAdmin.ok('PATCH', `${prod}?force=true`, { properties: { networkRuleBypassOptions: 'AzureServices' } });
    const trusted = await targetAdmin.call('POST', `${targetAdmin.registryId}/importImage`, fromProd);
    assert.equal(trusted.status, 200, trusted.text());
  });

  it('NoForce refuses to move an existing tag (ACR Conflict); --force moves it', async () => {
    const first = await uploadImage(target, 'conflict', { layers: 1 });
    assert.equal((await putManifest(target, 'conflict', 'v1', first.manifest)).status, 201);
    const other = buildImageLayout({ layers: 1, layerSize: 4096 });
    clientOk(await clients.skopeo(['copy', ...skopeoTls(peer, 'dest'), other.ref, `docker://${peer.host}/other:v1`]));

    const refused = await fails(['import', '--source', `${peer.host}/other:v1`, '--image', 'conflict:v1']);
    assert.match(refused.stderr, /^wharf: Conflict: Tag conflict:v1 already exists in target registry\. Use mode Force/m);
    assert.equal(sha256((await targetManifest('conflict', 'v1')).body), first.digest, 'the tag did not move');

    const forced = await ok(['import', '--source', `${peer.host}/other:v1`, '--image', 'conflict:v1', '--force']);
    assert.equal(forced.stdout.trim(), other.manifestDigest);
    assert.equal(sha256((await targetManifest('conflict', 'v1')).body), other.manifestDigest);
    // Importing the same image again onto the same tag is no conflict.
    await ok(['import', '--source', `${peer.host}/other:v1`, '--image', 'conflict:v1']);

    // A repository locked with ACR's changeable attributes takes no import, forced or not.
    const lock = await target.request('/acr/v1/conflict', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ writeEnabled: false }),
    });
    assert.equal(lock.status, 200, lock.text());
    const locked = await fails(['import', '--source', `${peer.host}/lib/multi:v1`, '--image', 'conflict:v2', '--force']);
    assert.match(locked.stderr, /^wharf: Conflict: Repository conflict is locked \(writeEnabled is false\)/m);
  });

  it('answers bad sources with ARM errors that name the cause, and authorizes', async () => {
    const path = `${targetAdmin.registryId}/importImage`;
    const closed = await freePort();
    const cases: { body: unknown; status: number; code: string; detail?: string; message: RegExp }[] = [
      {
        body: { source: { registryUri: `127.0.0.1:${closed}`, sourceImage: 'x:1' } },
        status: 400,
        code: 'InvalidParameters',
        detail: 'SourceRegistryUnreachable',
        message: /cannot reach the source registry 127\.0\.0\.1:\d+: ECONNREFUSED/,
      },
      {
        body: { source: { registryUri: peer.host, sourceImage: 'lib/multi:nope' } },
        status: 400,
        code: 'InvalidParameters',
        detail: 'SourceImageNotFound',
        message: /lib\/multi:nope was not found in the source registry/,
      },
      {
        body: { source: { registryUri: `ftp://${peer.host}`, sourceImage: 'a:1' } },
        status: 400,
        code: 'InvalidParameters',
        detail: 'InvalidSourceImage',
        message: /https:\/\/ or http:\/\//,
      },
      // User info is refused (credentials go in source.credentials), and never echoed.
      {
        body: { source: { registryUri: `https://:s3cret-pw@${peer.host}`, sourceImage: 'a:1' } },
        status: 400,
        code: 'InvalidParameters',
        detail: 'InvalidSourceImage',
        message: /^(?!.*s3cret-pw).*must not contain a user name or password/,
      },
      {
        body: { source: { registryUri: `https://bob:s3cret-pw@${peer.host}`, sourceImage: 'a:1' } },
        status: 400,
        code: 'InvalidParameters',
        detail: 'InvalidSourceImage',
        message: /^(?!.*s3cret-pw).*must not contain a user name or password/,
      },
      { body: { source: { registryUri: peer.host, sourceImage: 'Bad Name' } }, status: 400, code: 'InvalidParameter', message: /not a valid image name/ },
      { body: { source: { sourceImage: 'a:1' } }, status: 400, code: 'InvalidParameter', message: /registryUri' or 'source.resourceId/ },
      {
        body: { source: { registryUri: peer.host, sourceImage: 'a:1' }, mode: 'Sometimes' },
        status: 400,
        code: 'InvalidParameter',
        message: /NoForce or Force/,
      },
      {
        body: { source: { resourceId: `${targetAdmin.registryId.replace(/wharf$/, 'ghost')}`, sourceImage: 'a:1' } },
        status: 400,
        code: 'InvalidParameters',
        detail: 'SourceImageNotFound',
        message: /ghost was not found/,
      },
    ];
    for (const c of cases) {
      const res = await targetAdmin.call('POST', path, c.body);
      const error = res.json<{ error: { code: string; message: string; details?: { code: string }[] } }>().error;
      assert.equal(res.status, c.status, `${JSON.stringify(c.body)} → ${res.text()}`);
      assert.equal(error.code, c.code, res.text());
      assert.match(error.message, c.message);
      if (c.detail) assert.equal(error.details?.[0]?.code, c.detail);
    }

    // A Reader may not import; the refusal is ARM's AuthorizationFailed naming the action.
    const reader = await targetAdmin.createServicePrincipal('import-reader');
    await targetAdmin.assignRole(reader.objectId, READER_ROLE);
    const token = await identityToken(target, { tenantId: targetAdmin.owner.tenantId, clientId: reader.appId, clientSecret: reader.secret });
    const denied = await target.request(`${path}?api-version=2023-07-01`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source: { registryUri: peer.host, sourceImage: 'other:v1' } }),
    });
    assert.equal(denied.status, 403);
    assert.equal(denied.json().error.code, 'AuthorizationFailed');
    assert.match(denied.json().error.message, /Microsoft\.ContainerRegistry\/registries\/importImage\/action/);

    // Contributor on the target alone does not let a caller read another registry by resource id.
    const stage = targetAdmin.registryId.replace(/wharf$/, 'stage');
    await targetAdmin.ok('PUT', stage, { location: 'local', sku: { name: 'Premium' } });
    const contributor = await targetAdmin.createServicePrincipal('import-contributor');
    await targetAdmin.assignRole(contributor.objectId, CONTRIBUTOR_ROLE, stage);
    const contributorToken = await identityToken(target, {
      tenantId: targetAdmin.owner.tenantId,
      clientId: contributor.appId,
      clientSecret: contributor.secret,
    });
    const crossRegistry = await target.request(`${stage}/importImage?api-version=2023-07-01`, {
      method: 'POST',
      headers: { authorization: `Bearer ${contributorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source: { resourceId: targetAdmin.registryId, sourceImage: 'conflict:v1' } }),
    });
    assert.equal(crossRegistry.status, 403, crossRegistry.text());
    assert.match(crossRegistry.json().error.message, new RegExp(`registries/pull/read' over scope '${targetAdmin.registryId}'`));
    const fromUri = await target.request(`${stage}/importImage?api-version=2023-07-01`, {
      method: 'POST',
      headers: { authorization: `Bearer ${contributorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source: { registryUri: peer.host, sourceImage: 'other:v1' }, targetTags: ['other:v1'] }),
    });
    assert.equal(fromUri.status, 200, fromUri.text());
  });

  it('completes in the first response for ARM clients (no polling), and reports progress when asked', async () => {
    const path = `${targetAdmin.registryId}/importImage`;
    const sync = await targetAdmin.call('POST', path, { source: { registryUri: peer.host, sourceImage: 'other:v1' }, targetTags: ['sync:v1'] });
    assert.equal(sync.status, 200, sync.text());
    assert.equal((await targetManifest('sync', 'v1')).status, 200);

    const started = await targetAdmin.call('POST', `${path}?x-wharf-async=true`, {
      source: { registryUri: peer.host, sourceImage: 'lib/multi:v1' },
      targetTags: ['async:v1'],
    });
    assert.equal(started.status, 202, started.text());
    const link = started.headers['azure-asyncoperation'];
    assert.ok(link, 'Azure-AsyncOperation header');
    let status = started.json<{
      status: string;
      percentComplete: number;
      properties: { bytesDone: number; bytesTotal: number; result?: { digest: string } };
    }>();
    for (let i = 0; i < 100 && status.status === 'InProgress'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await targetAdmin.ok('GET', new URL(link).pathname);
    }
    assert.equal(status.status, 'Succeeded');
    assert.equal(status.percentComplete, 100);
    assert.equal(status.properties.bytesDone, status.properties.bytesTotal);
    assert.match(status.properties.result!.digest, /^sha256:/);
  });

  it('az acr import (azure-cli 2.45) imports from a registry by address, and shows the NoForce conflict', async () => {
    const image = buildImageLayout({ layers: 1, layerSize: 2048 });
    clientOk(await clients.skopeo(['copy', ...skopeoTls(peer, 'dest'), image.ref, `docker://${peer.host}/az/app:v1`]));
    const index = buildIndexLayout({ layers: 1, layerSize: 1024 });
    clientOk(await clients.skopeo(['copy', '--all', ...skopeoTls(peer, 'dest'), index.ref, `docker://${peer.host}/az/multi:v1`]));
    const port = await freePort();
    const secure = await startWharf({ secure: true, port, env: { NODE_EXTRA_CA_CERTS: caBundle }, config: ALLOW_LOOPBACK });
    try {
      const owner = new WharfAdmin(secure).owner;
      const { az } = await AzSandbox.signedIn(
        { origin: `https://localhost:${port}`, domain: 'localhost', caFile: secure.caFile! },
        { appId: owner.clientId, secret: owner.clientSecret, tenantId: owner.tenantId },
      );
      await az.useSubscription(owner.subscriptionId);
      await az.ok(['acr', 'import', '-n', 'wharf', '--source', `${peer.host}/az/app:v1`, '-t', 'viaaz:v1']);
      // The same image onto the same tag again is no conflict; another image is.
      await az.ok(['acr', 'import', '-n', 'wharf', '--source', `${peer.host}/az/app:v1`, '-t', 'viaaz:v1']);
      const again = await az.run(['acr', 'import', '-n', 'wharf', '--source', `${peer.host}/az/multi:v1`, '-t', 'viaaz:v1']);
      assert.equal(again.code, 1, again.stdout + again.stderr);
      assert.match(again.stderr, /\(Conflict\) Tag viaaz:v1 already exists in target registry/);
      await az.ok(['acr', 'import', '-n', 'wharf', '--source', `${peer.host}/az/multi:v1`, '-t', 'viaaz:v1', '--force']);
      // --registry names the source registry (here the same one): az sends its resource id.
      await az.ok(['acr', 'import', '-n', 'wharf', '--registry', 'wharf', '--source', 'viaaz:v1', '-t', 'copy:v1']);
      const copied = await new WharfAdmin(secure).call('POST', `${new WharfAdmin(secure).registryId}/importImage`, {
        source: { resourceId: new WharfAdmin(secure).registryId, sourceImage: 'copy:v1' },
        targetTags: ['viaaz:v1'],
      });
      assert.equal(copied.status, 200, `copy:v1 is the index now at viaaz:v1: ${copied.text()}`);
      const missing = await az.run(['acr', 'import', '-n', 'wharf', '--source', `${peer.host}/az/none:v1`]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /\(InvalidParameters\) Image import failed: az\/none:v1 was not found in the source registry/);
    } finally {
      await secure.stop();
    }
  });
});

/**
 * A loopback registry (plain HTTP, no auth) whose layer can stall half-way or come back with
 * wrong bytes: what a crash mid-copy and a lying source look like to the importer.
 */
function fakeRegistry(layer: Buffer, configBlob: Buffer) {
  let mode: 'stall' | 'corrupt' | 'full' | 'oversize' | 'redirectAway' | 'redirectLeak' = 'stall';
  // Another origin (same address, other port) that answers with a body nobody should see.
  const other = createServer((_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('SECRET-INTERNAL-BODY'));
  let otherPort = 0;
  let halfSent!: () => void;
  const stalled = new Promise<void>((resolve) => (halfSent = resolve));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(configBlob), size: configBlob.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer), size: layer.length }],
    }),
  );
  const server = createServer((req, res) => {
    res.on('error', () => undefined);
    const url = req.url ?? '';
    if (url === '/v2/slow/app/manifests/v1') {
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json', 'content-length': manifest.length });
      return res.end(manifest);
    }
    if (url === `/v2/slow/app/blobs/${sha256(configBlob)}`) return res.end(configBlob);
    if (url === `/v2/slow/app/blobs/${sha256(layer)}`) {
      // 127.0.0.2 is loopback too, but outside what the target allows (127.0.0.1/32).
      if (mode === 'redirectAway') return res.writeHead(302, { location: `http://127.0.0.2:${otherPort}/blob` }).end();
      if (mode === 'redirectLeak') return res.writeHead(307, { location: `http://127.0.0.1:${otherPort}/blob` }).end();
      if (mode === 'oversize') {
        // No content-length: the importer must stop on its own once the manifest's size is passed.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.write(layer);
        return res.end(randomBytes(1024 * 1024));
      }
      res.writeHead(200, { 'content-length': layer.length });
      if (mode === 'full') return res.end(layer);
      if (mode === 'corrupt') return res.end(Buffer.alloc(layer.length, 7));
      res.write(layer.subarray(0, layer.length / 2), () => halfSent());
      return undefined; // the rest never comes
    }
    res.writeHead(404).end();
  });
  return {
    manifestDigest: sha256(manifest),
    stalled,
    setMode: (next: typeof mode) => (mode = next),
    listen: async () => {
      otherPort = await new Promise<number>((resolve) => other.listen(0, '127.0.0.1', () => resolve((other.address() as AddressInfo).port)));
      return new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
    },
    close: async () => {
      server.closeAllConnections();
      other.closeAllConnections();
      await new Promise<void>((resolve) => other.close(() => resolve()));
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('image import: crash safety and digest checks', () => {
  let target: WharfServer;
  const layer = randomBytes(8 * 1024 * 1024);
  const configBlob = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux' }));
  const fake = fakeRegistry(layer, configBlob);
  let registryUri: string;

  before(async () => {
    registryUri = `http://127.0.0.1:${await fake.listen()}`;
    target = await startWharf({ config: { import: { allowedSourceRanges: ['127.0.0.1/32'] } } });
  });
  after(async () => {
    await target?.stop();
    await fake.close();
  });

  it('refuses loopback and private sources unless import.allowedSourceRanges allows them, redirects included', async () => {
    // A server with the default settings refuses an address literal and a name that resolves to loopback.
    const strict = await startWharf();
    try {
      const admin = new WharfAdmin(strict);
      const port = new URL(registryUri).port;
      for (const uri of [registryUri, `http://localhost:${port}`]) {
        const res = await admin.call('POST', `${admin.registryId}/importImage`, {
          source: { registryUri: uri, sourceImage: 'slow/app:v1' },
          targetTags: ['x:v1'],
        });
        assert.equal(res.status, 400, `${uri}: ${res.text()}`);
        const error = res.json<{ error: { code: string; message: string; details: { code: string }[] } }>().error;
        assert.equal(error.code, 'InvalidParameters');
        assert.equal(error.details[0]!.code, 'SourceAddressNotAllowed');
        assert.match(error.message, /is at (127\.0\.0\.1|::1), a loopback address, which imports may not reach; .*import\.allowedSourceRanges/);
      }
    } finally {
      await strict.stop();
    }

    const admin = new WharfAdmin(target);
    const path = `${admin.registryId}/importImage`;
    const body = { source: { registryUri, sourceImage: 'slow/app:v1' }, targetTags: ['guarded:v1'] };
    try {
      // A redirect is checked like the origin: 127.0.0.2 is outside this server's 127.0.0.1/32.
      fake.setMode('redirectAway');
      const away = await admin.call('POST', path, body);
      assert.equal(away.status, 400, away.text());
      assert.equal(away.json().error.details[0].code, 'SourceAddressNotAllowed');
      assert.match(away.json().error.message, /127\.0\.0\.2:\d+ is at 127\.0\.0\.2, a loopback address.*import\.allowedSourceRanges/);

      // What another origin answers is never copied into the error.
      fake.setMode('redirectLeak');
      const leak = await admin.call('POST', path, body);
      assert.equal(leak.status, 400, leak.text());
      assert.match(leak.json().error.message, /redirected to by 127\.0\.0\.1:\d+\) answered 500/);
      assert.ok(!leak.text().includes('SECRET-INTERNAL-BODY'), leak.text());

      // A blob longer than its manifest says is cut off at that size, and nothing is stored.
      fake.setMode('oversize');
      const oversize = await admin.call('POST', path, body);
      assert.equal(oversize.status, 400, oversize.text());
      assert.equal(oversize.json().error.details[0].code, 'SourceManifestInvalid');
      assert.match(oversize.json().error.message, new RegExp(`more than the ${layer.length} bytes the manifest gives blob ${sha256(layer)}`));
      assert.equal((await target.request(v2('guarded', `blobs/${sha256(layer)}`))).status, 404);
      assert.equal((await target.request(v2('guarded', 'manifests/v1'))).status, 404);
    } finally {
      fake.setMode('stall');
    }
  });

  it('a kill -9 mid-copy leaves nothing half-written visible; a wrong digest is refused; then the import completes', async () => {
    const admin = new WharfAdmin(target);
    const path = `${admin.registryId}/importImage`;
    const body = { source: { registryUri, sourceImage: 'slow/app:v1' }, targetTags: ['slow:v1'] };
    const started = await admin.call('POST', `${path}?x-wharf-async=true`, body);
    assert.equal(started.status, 202, started.text());
    await fake.stalled;
    const statusPath = new URL(started.headers['azure-asyncoperation']!).pathname;
    await eventually(async () => {
      const status = await admin.ok<{ status: string; properties: { bytesDone: number } }>('GET', statusPath);
      assert.equal(status.status, 'InProgress');
      assert.ok(status.properties.bytesDone >= layer.length / 2, JSON.stringify(status));
    });
    await target.kill();
    target = await restartWharf(target);

    const layerDigest = sha256(layer);
    assert.equal((await target.request(v2('slow', 'manifests/v1'))).status, 404);
    assert.equal((await target.request(v2('slow', `blobs/${layerDigest}`))).status, 404);
    const hex = layerDigest.slice('sha256:'.length);
    assert.ok(!existsSync(join(target.dataDir, 'blobs', 'sha256', hex.slice(0, 2), hex)), 'no blob file for the half-copied layer');

    fake.setMode('corrupt');
    const after = new WharfAdmin(target);
    const refused = await after.call('POST', path, body);
    assert.equal(refused.status, 400, refused.text());
    assert.equal(refused.json().error.details[0].code, 'SourceDigestMismatch');
    assert.match(refused.json().error.message, new RegExp(`blob ${layerDigest} has digest sha256:[0-9a-f]{64}, not ${layerDigest}`));
    assert.equal((await target.request(v2('slow', `blobs/${layerDigest}`))).status, 404);

    fake.setMode('full');
    const done = await after.call('POST', path, body);
    assert.equal(done.status, 200, done.text());
    const pulled = await target.request(v2('slow', `blobs/${layerDigest}`));
    assert.equal(pulled.status, 200);
    assert.equal(sha256(pulled.body), layerDigest);
    assert.equal(sha256((await target.request(v2('slow', 'manifests/v1'))).body), fake.manifestDigest);
  });
});
