/**
 * Debian's docker-registry (CNCF distribution 2.8.2) behind the same handle as startWharf,
 * selected with WHARF_E2E_SERVER=distribution. It lets the client wrappers and most spec tests
 * be checked against a known-good registry; it has no /readyz, no host routing and absolute
 * Locations, so the Wharf-specific tests fail against it by design.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, launch, type StartOptions, type WharfServer } from './server-process.js';
import { tempDir } from './tmp.js';

/** A CA and a server cert laid out like Wharf's <data>/tls, made with openssl once per dir. */
function ensureCerts(tls: string): void {
  if (existsSync(join(tls, 'server.crt'))) return;
  mkdirSync(tls, { recursive: true });
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: tls, stdio: 'pipe' });
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=wharf e2e peer CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(
    join(tls, 'ext.cnf'),
    'subjectAltName=DNS:localhost,DNS:*.localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\n' +
      'keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
  );
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'ext.cnf']);
}

export async function startDistribution(opts: StartOptions): Promise<WharfServer> {
  const dataDir = opts.dataDir ?? tempDir('peer');
  const port = opts.port ?? (await freePort());
  const debugPort = await freePort();
  const http = opts.http ?? false;
  const tls = join(dataDir, 'tls');
  if (!http) ensureCerts(tls);
  const config = join(dataDir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log: {level: warn, accesslog: {disabled: true}}',
      'storage:',
      `  filesystem: {rootdirectory: ${join(dataDir, 'data')}}`,
      '  delete: {enabled: true}',
      '  maintenance: {uploadpurging: {enabled: false}}',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '  secret: wharf-e2e-not-secret',
      `  debug: {addr: 127.0.0.1:${debugPort}}`,
      ...(http ? [] : [`  tls: {certificate: ${join(tls, 'server.crt')}, key: ${join(tls, 'server.key')}}`]),
      '',
    ].join('\n'),
  );
  return launch({
    command: 'docker-registry',
    args: ['serve', config],
    env: opts.env ?? {},
    port,
    dataDir,
    http,
    readyPath: '/v2/',
    options: { ...opts, dataDir, port, http },
    name: 'docker-registry',
  });
}
