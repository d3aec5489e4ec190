/**
 * What a Wharf leaves on the machine it runs on, through the wire on a secure server: after a
 * push, the data directory (created 0755 by the test, as an older Wharf left it) is its owner's
 * only, and so is every file in it (database, blobs, keys); and a `wharf token create` that the
 * server refuses leaves no scope map behind.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MEDIA } from '../helpers/contract.js';
import type { RequestOptions } from '../helpers/http.js';
import { putManifest, uploadImage } from '../helpers/registry-api.js';
import { tempDir } from '../helpers/tmp.js';
import { runWharfCli } from '../helpers/wharf-cli.js';
import { WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const REPOSITORY = 'hygiene/app';

function modeOf(path: string): string {
  return (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
}

/** Every path under `dir`, itself included. */
function walk(dir: string): string[] {
  const paths = [dir];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) paths.push(...walk(path));
    else paths.push(path);
  }
  return paths;
}

describe('local hygiene', () => {
  let server: WharfServer;
  let admin: WharfAdmin;
  let home: string;

  before(async () => {
    // As an older Wharf (or a plain mkdir) left it: open to every local user.
    const dataDir = join(tempDir('hygiene'), 'data');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    server = await startWharf({ secure: true, dataDir, args: ['--log-level', 'info'] });
    admin = new WharfAdmin(server);
    home = tempDir('hygiene-home');
    const login = await runWharfCli(home, ['login', '--data', server.dataDir, '--server', server.baseUrl]);
    assert.equal(login.code, 0, login.stderr);
  });
  after(async () => server?.stop());

  it('keeps the data directory and every file in it to its owner after a push', async () => {
    const challenge = (await server.request('/v2/')).headers['www-authenticate'] ?? '';
    const service = /service="([^"]+)"/.exec(challenge)?.[1] ?? '';
    const credentials = Buffer.from(`${admin.owner.clientId}:${admin.owner.clientSecret}`).toString('base64');
    const tokenRes = await server.request(
      `/oauth2/token?service=${encodeURIComponent(service)}&scope=${encodeURIComponent(`repository:${REPOSITORY}:push,pull`)}`,
      { headers: { authorization: `Basic ${credentials}` } },
    );
    assert.equal(tokenRes.status, 200, tokenRes.text());
    const token = tokenRes.json<{ access_token: string }>().access_token;
    const client: WharfServer = {
      ...server,
      request: (path: string, opts: RequestOptions = {}) => server.request(path, { ...opts, headers: { authorization: `Bearer ${token}`, ...opts.headers } }),
    };
    const image = await uploadImage(client, REPOSITORY);
    const push = await putManifest(client, REPOSITORY, 'v1', image.manifest, MEDIA.ociManifest);
    assert.equal(push.status, 201, push.text());

    assert.equal(modeOf(server.dataDir), '0700', 'the data directory');
    assert.match(server.logs(), /data directory was open to other local users; its mode is now 0700/, 'the tightening is logged');
    const paths = walk(server.dataDir).filter((path) => !path.endsWith('wharf-test-config.json'));
    const names = paths.map((path) => path.slice(server.dataDir.length));
    for (const expected of ['/metadata.sqlite', '/private/master.key', '/tls/private/server.key']) {
      assert.ok(names.includes(expected), `${expected} exists: ${names.join(' ')}`);
    }
    assert.ok(names.filter((name) => name.startsWith('/blobs/')).length >= 2, `the pushed blobs are on disk: ${names.join(' ')}`);
    const open = paths.filter((path) => (statSync(path).mode & 0o077) !== 0).map((path) => `${path.slice(server.dataDir.length)} ${modeOf(path)}`);
    assert.deepEqual(open, [], 'files and directories other local users could read');
  });

  it('leaves no scope map behind when wharf token create fails', async () => {
    // "abc" is too short for a token name (5 to 50 characters); "abc-scope-map" is a fine scope map name.
    const failed = await runWharfCli(home, ['token', 'create', '-n', 'abc', '--repository', REPOSITORY, 'content/read']);
    assert.notEqual(failed.code, 0, `the create fails: ${failed.stdout}`);
    const map = await admin.call('GET', `${admin.registryId}/scopeMaps/abc-scope-map`);
    assert.equal(map.status, 404, `the scope map the failed create made is gone: ${map.text()}`);

    // A create that works still creates both.
    const ok = await runWharfCli(home, ['token', 'create', '-n', 'hygiene-reader', '--repository', REPOSITORY, 'content/read']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((await admin.call('GET', `${admin.registryId}/scopeMaps/hygiene-reader-scope-map`)).status, 200);
    assert.equal((await admin.call('GET', `${admin.registryId}/tokens/hygiene-reader`)).status, 200);
  });
});
