/**
 * Several registries in one server (chosen by Host), the per-registry delete switch, config
 * validation at start, `wharf ca`, and the same pushes and pulls with metadata on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { agentFor, errorCodes, request, sha256 } from '../helpers/http.js';
import { ClientSandbox, dockerRef, ok, skopeoTls } from '../helpers/clients.js';
import { WHARF_CLI } from '../helpers/contract.js';
import { buildImageLayout } from '../helpers/oci-layout.js';
import { tempDir } from '../helpers/tmp.js';
import { freePort, startWharf, type WharfServer } from '../helpers/wharf-server.js';
import { startPostgres, type PostgresServer } from '../storage/postgres-server.js';

const run = promisify(execFile);

describe('several registries in one server', () => {
  let server: WharfServer;
  let port: number;
  const anyName = agentFor(undefined);
  before(async () => {
    port = await freePort();
    const config = join(tempDir('config'), 'wharf.yaml');
    writeFileSync(
      config,
      ['registries:', '  - name: team', '  - name: frozen', `    loginServer: frozen.example.test:${port}`, '    deletesEnabled: false'].join('\n'),
    );
    server = await startWharf({ http: true, port, args: ['--config', config] });
  });
  after(async () => {
    await server?.stop();
    await anyName.close();
  });

  const at = (host: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}) =>
    request(`http://127.0.0.1:${port}${path}`, { ...opts, headers: { host, ...(opts.headers ?? {}) }, dispatcher: anyName });

  async function pushManifest(host: string, repo: string, tag: string) {
    const config = Buffer.from(`{"registry":"${host}"}`);
    const post = await at(host, `/v2/${repo}/blobs/uploads/?digest=${sha256(config)}`, { method: 'POST', body: config });
    assert.equal(post.status, 201, post.text());
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
        layers: [],
      }),
    );
    const put = await at(host, `/v2/${repo}/manifests/${tag}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      body: manifest,
    });
    assert.equal(put.status, 201, put.text());
    return put.headers['docker-content-digest']!;
  }

  it("keeps each registry's repositories apart, chosen by the Host header", async () => {
    await pushManifest(`team.localhost:${port}`, 'app/web', 'v1');
    await pushManifest(`localhost:${port}`, 'base/os', 'v1');
    const team = await at(`team.localhost:${port}`, '/v2/_catalog');
    assert.deepEqual(team.json().repositories, ['app/web']);
    const byIp = await at(`127.0.0.1:${port}`, '/v2/_catalog');
    assert.deepEqual(byIp.json().repositories, ['base/os'], 'a bare IP reaches the default registry');
    const wharfName = await at(`wharf.localhost:${port}`, '/v2/_catalog');
    assert.deepEqual(wharfName.json().repositories, ['base/os'], 'the default registry answers at <name>.<domain>');
    const missing = await at(`team.localhost:${port}`, '/v2/base/os/manifests/v1');
    assert.equal(missing.status, 404);
    assert.deepEqual(errorCodes(missing), ['MANIFEST_UNKNOWN']);
  });

  it('names the host when no registry answers there', async () => {
    const res = await at(`tema.localhost:${port}`, '/v2/');
    assert.equal(res.status, 404);
    assert.match(res.json().errors[0].message, /no registry is served at 'tema\.localhost:\d+'/);
  });

  it('refuses deletes on a registry whose deletes are disabled, and keeps the content', async () => {
    const host = `frozen.example.test:${port}`;
    const digest = await pushManifest(host, 'keep/me', 'v1');
    for (const path of [`/v2/keep/me/manifests/${digest}`, '/v2/keep/me/manifests/v1']) {
      const res = await at(host, path, { method: 'DELETE' });
      assert.equal(res.status, 405, res.text());
      assert.deepEqual(errorCodes(res), ['UNSUPPORTED']);
      assert.match(res.json().errors[0].message, /deletes are disabled on registry 'frozen'/);
    }
    assert.equal((await at(host, '/v2/keep/me/manifests/v1')).status, 200);
  });
});

describe('starting and configuring', () => {
  it('refuses a bad configuration with every problem named, exit code 2', async () => {
    const config = join(tempDir('config'), 'bad.yaml');
    writeFileSync(config, 'port: 99999\nregistries:\n  - name: Not_Valid\n');
    const result = await run(process.execPath, [WHARF_CLI, 'serve', '--config', config, '--data', tempDir('data')]).then(
      () => assert.fail('wharf serve accepted a bad configuration'),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(result.code, 2);
    assert.match(result.stderr, /port/);
    assert.match(result.stderr, /registries\.0\.name/);
  });

  it('refuses a second server on the same data directory', async () => {
    const first = await startWharf({ http: true });
    try {
      const second = await run(process.execPath, [WHARF_CLI, 'serve', '--http', '--data', first.dataDir, '--port', String(await freePort())]).then(
        () => assert.fail('a second server started on the same data directory'),
        (error: { code: number; stderr: string }) => error,
      );
      assert.equal(second.code, 1);
      assert.match(second.stderr, /in use by another process/);
    } finally {
      await first.stop();
    }
  });

  it('`wharf ca` tells where the CA is and how to trust it', async () => {
    const server = await startWharf();
    await server.stop();
    const { stdout } = await run(process.execPath, [WHARF_CLI, 'ca', '--data', server.dataDir]);
    assert.match(stdout, new RegExp(`${server.caFile!.replace(/[.]/g, '\\.')}`));
    for (const variable of ['SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS', 'REQUESTS_CA_BUNDLE', '--cert-dir']) assert.match(stdout, new RegExp(variable));
  });
});

describe('metadata on PostgreSQL, through the wire', () => {
  let postgres: PostgresServer;
  let server: WharfServer;
  const sandbox = new ClientSandbox();
  before(async () => {
    postgres = await startPostgres();
    server = await startWharf({ args: ['--postgres', await postgres.createDatabase('wire')] });
  });
  after(async () => {
    await server?.stop();
    await postgres?.stop();
  });

  it('skopeo pushes, lists, pulls back and deletes an image', async () => {
    const image = buildImageLayout({ tag: 'v1' });
    const target = { host: server.host, http: false, caDir: server.caDir };
    ok(await sandbox.skopeo(['copy', ...skopeoTls(target, 'dest'), image.ref, dockerRef(target, 'pg/app', 'v1')]));
    ok(await sandbox.skopeo(['copy', ...skopeoTls(target, 'dest'), image.ref, dockerRef(target, 'pg/app', 'v2')]));
    const tags = ok(await sandbox.skopeo(['list-tags', ...skopeoTls(target, 'single'), dockerRef(target, 'pg/app', 'v1').replace(/:v1$/, '')]));
    assert.deepEqual(JSON.parse(tags.stdout).Tags, ['v1', 'v2']);
    const back = tempDir('pg-back');
    ok(await sandbox.skopeo(['copy', ...skopeoTls(target, 'src'), dockerRef(target, 'pg/app', 'v1'), `oci:${back}:v1`]));
    const raw = ok(await sandbox.skopeo(['inspect', '--raw', ...skopeoTls(target, 'single'), dockerRef(target, 'pg/app', 'v1')]));
    assert.equal(sha256(raw.stdout), image.descriptor.digest);
    ok(await sandbox.skopeo(['delete', ...skopeoTls(target, 'single'), dockerRef(target, 'pg/app', image.descriptor.digest)]));
    const gone = await server.request('/v2/pg/app/manifests/v1');
    assert.equal(gone.status, 404);
  });
});
