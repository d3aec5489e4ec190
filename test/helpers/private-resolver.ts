/**
 * Runs clients with their own /etc/hosts and /etc/resolv.conf, the way a machine whose DNS
 * does (or does not) know a registry's names sees them. Go clients (skopeo, docker) resolve
 * through those two files, so a wrapper script of the same name, first on PATH, enters a
 * private mount namespace (`unshare -m`, needs root) and bind-mounts both before it execs the
 * real binary. The resolver is 127.0.0.1, where nothing answers on port 53: a name the hosts
 * file lacks fails (`dial tcp: lookup <name> on 127.0.0.1:53: …`) and no query leaves the host.
 */
import { accessSync, chmodSync, constants, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { tempDir } from './tmp.js';

/** The first executable `name` on PATH, outside `skip` (a wrapper dir must not find itself). */
function findBinary(name: string, skip: string[]): string {
  for (const dir of (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
    if (!dir || skip.includes(dir)) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} is not on PATH`);
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface PrivateResolver {
  /** The wrapper directory; put it first on the client's PATH (see `env`). */
  dir: string;
  hostsFile: string;
  /** Env overrides for ClientSandbox runs: PATH (default this process's) with the wrappers first. */
  env(basePath?: string): { PATH: string };
}

/**
 * Wrappers for `binaries` that see `hosts` (hosts-file text, e.g. what `wharf private-dns
 * --format hosts` prints) after a `127.0.0.1 localhost` line.
 */
export function privateResolver(hosts: string, binaries: string[] = ['skopeo', 'docker']): PrivateResolver {
  const dir = tempDir('resolver');
  const hostsFile = join(dir, 'hosts');
  const resolvConf = join(dir, 'resolv.conf');
  writeFileSync(hostsFile, `127.0.0.1 localhost\n${hosts.endsWith('\n') || hosts === '' ? hosts : `${hosts}\n`}`);
  writeFileSync(resolvConf, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  for (const name of binaries) {
    const real = findBinary(name, [dir]);
    const script =
      `#!/bin/sh\n` +
      `exec unshare -m sh -c 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf && shift 2 && exec "$@"' ` +
      `sh ${quote(hostsFile)} ${quote(resolvConf)} ${quote(real)} "$@"\n`;
    const wrapper = join(dir, name);
    writeFileSync(wrapper, script);
    chmodSync(wrapper, 0o755);
  }
  return { dir, hostsFile, env: (basePath = process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin') => ({ PATH: `${dir}${delimiter}${basePath}` }) };
}
