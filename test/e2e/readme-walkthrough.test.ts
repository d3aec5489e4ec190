/**
 * The README's "First steps" and the first-start banner, run as a newcomer runs them: a fresh
 * server on the defaults (a free port instead of 8443, the data in `.wharf` of the working
 * directory), then every command of the README's block, in order, through `sh`, with `wharf` on
 * the PATH, then every command the banner printed. Each must succeed: wharf login --registry,
 * an OCI image made offline with umoci (and with buildah), the push, the pull back (skopeo,
 * podman), curl with the CA, the admin user. And what the README says of curl holds: --cacert
 * always works; SSL_CERT_FILE loses to a CURL_CA_BUNDLE already set (as many images set it).
 */
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClientSandbox, run, type ClientResult } from '../helpers/clients.js';
import { WHARF_CLI } from '../helpers/contract.js';
import { tempDir } from '../helpers/tmp.js';
import { freePort, startWharf, type WharfServer } from '../helpers/wharf-server.js';

const README = resolve('README.md');

/** The commands of the README's "First steps" sh block. */
function readmeCommands(): string[] {
  const text = readFileSync(README, 'utf8');
  const section = text.slice(text.indexOf('### First steps'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the README has a sh block under "### First steps"');
  return block.split('\n').filter((line) => line.trim() !== '');
}

/** The commands the first-start banner printed: its lines indented by four spaces. */
function bannerCommands(stdout: string): string[] {
  const banner = stdout.slice(stdout.indexOf('First steps'));
  return banner
    .split('\n')
    .filter((line) => /^ {4}\S/.test(line))
    .map((line) => line.trim());
}

function shown(command: string, r: ClientResult): string {
  return `$ ${command}\n→ exit ${r.code}\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`;
}

describe('README walkthrough: a fresh server, then the README and banner commands in order', () => {
  let server: WharfServer;
  let port: number;
  const work = tempDir('readme-walkthrough');
  const clients = new ClientSandbox();
  let env: Record<string, string>;

  /** Runs one command line as a user's shell would, in `cwd`. */
  const sh = (command: string, cwd = work, extra: Record<string, string> = {}) => run('sh', ['-c', command], { ...env, ...extra }, { cwd, timeoutMs: 120_000 });

  before(async () => {
    copyFileSync(README, join(work, 'README.md'));
    port = await freePort();
    server = await startWharf({ secure: true, port, dataDir: join(work, '.wharf') });
    // `wharf` as `npm link` would install it.
    const bin = join(work, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'wharf'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(resolve(WHARF_CLI))} "$@"\n`);
    chmodSync(join(bin, 'wharf'), 0o755);
    env = { ...clients.env, PATH: `${bin}:${clients.env.PATH}` };
  });
  after(async () => server?.stop());

  it("every command of the README's First steps succeeds, in order (8443 read as the server's port)", async () => {
    const commands = readmeCommands();
    assert.ok(commands.length >= 6, commands.join('\n'));
    for (const line of commands) {
      const command = line.replaceAll(':8443', `:${port}`);
      const result = await sh(command);
      assert.equal(result.code, 0, shown(command, result));
      if (command.startsWith('curl ')) assert.match(result.stdout, /"code":"UNAUTHORIZED"/, shown(command, result));
      if (command.includes('credential show')) assert.match(result.stdout, /password2/, shown(command, result));
    }
    // The image pulled back is the one pushed.
    const digests = (layout: string) =>
      (JSON.parse(readFileSync(join(work, layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] }).manifests.map((m) => m.digest);
    assert.deepEqual(digests('pulled'), digests('image'));
    const profile = JSON.parse(readFileSync(join(clients.env.HOME!, '.wharf', 'profile.json'), 'utf8')) as { server: string };
    assert.equal(profile.server, `https://localhost:${port}`);
  });

  it("the README's curl advice holds: --cacert and CURL_CA_BUNDLE work, SSL_CERT_FILE loses to a CURL_CA_BUNDLE already set", async () => {
    const url = `https://localhost:${port}/v2/`;
    const bundle = await sh(`curl -sS ${url}`, work, { CURL_CA_BUNDLE: '.wharf/tls/ca.crt' });
    assert.equal(bundle.code, 0, shown('CURL_CA_BUNDLE=… curl', bundle));
    const system = { CURL_CA_BUNDLE: '/etc/ssl/certs/ca-certificates.crt' };
    const ignored = await sh(`curl -sS ${url}`, work, { ...system, SSL_CERT_FILE: '.wharf/tls/ca.crt' });
    assert.equal(ignored.code, 60, shown('CURL_CA_BUNDLE=<system> SSL_CERT_FILE=… curl', ignored));
    const cacert = await sh(`curl -sS --cacert .wharf/tls/ca.crt ${url}`, work, system);
    assert.equal(cacert.code, 0, shown('CURL_CA_BUNDLE=<system> curl --cacert …', cacert));
    const ca = await sh('wharf ca --data .wharf');
    assert.equal(ca.code, 0, shown('wharf ca', ca));
    assert.match(ca.stdout, /curl: +--cacert .*\/\.wharf\/tls\/ca\.crt +\(or CURL_CA_BUNDLE=/, ca.stdout);
    assert.doesNotMatch(ca.stdout, /curl[^\n]*SSL_CERT_FILE=/, ca.stdout);
  });

  it('every command the first-start banner printed succeeds, in order, in a fresh directory', async () => {
    const commands = bannerCommands(server.stdout());
    assert.deepEqual(
      commands.map((c) => c.split(' ')[0]),
      ['wharf', 'umoci', 'skopeo', 'skopeo', 'podman', 'curl'],
      server.stdout(),
    );
    assert.ok(commands.every((c) => !c.includes('SSL_CERT_FILE')));
    const fresh = tempDir('banner-walkthrough');
    copyFileSync(README, join(fresh, 'README.md'));
    for (const command of commands) {
      const result = await sh(command, fresh);
      assert.equal(result.code, 0, shown(command, result));
    }
    const pulled = JSON.parse(readFileSync(join(fresh, 'pulled', 'index.json'), 'utf8')) as { manifests: unknown[] };
    assert.equal(pulled.manifests.length, 1);
  });

  it('the buildah alternative the README and the banner give makes an image that pushes', async () => {
    const fresh = tempDir('buildah-walkthrough');
    copyFileSync(README, join(fresh, 'README.md'));
    const buildah = 'ctr=$(buildah from scratch) && buildah copy "$ctr" README.md / && buildah commit "$ctr" oci:./image:v1 && buildah rm "$ctr"';
    assert.ok(readFileSync(README, 'utf8').replace(/\s+/g, ' ').includes(buildah.replace(' && buildah rm "$ctr"', '')));
    assert.ok(server.stdout().includes(buildah.replace(' && buildah rm "$ctr"', '')));
    const made = await sh(buildah, fresh);
    assert.equal(made.code, 0, shown(buildah, made));
    const push = `skopeo copy --dest-cert-dir ${join(work, '.wharf', 'tls')} oci:./image:v1 docker://localhost:${port}/hello/buildah:v1`;
    const pushed = await sh(push, fresh);
    assert.equal(pushed.code, 0, shown(push, pushed));
  });
});
