/**
 * Real registry clients (skopeo, podman, buildah, docker CLI) run in an isolated sandbox: every
 * file they read or write (storage, auth, registries.conf, policy, docker config, runtime dir,
 * HOME) lives in one temp dir, so nothing touches the real home or system state, and tests
 * cannot leak credentials or images into each other. Each run has a timeout, because a client
 * waiting on a broken server would otherwise hang the whole suite (skopeo has no default one).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tmp.js';

export interface ClientResult {
  command: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  timeoutMs?: number;
  env?: Record<string, string>;
  cwd?: string;
}

const DEFAULT_TIMEOUT_MS = 120_000;

export function run(cmd: string, args: string[], env: Record<string, string>, opts: RunOptions = {}): Promise<ClientResult> {
  const command = [cmd, ...args].join(' ');
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...env, ...opts.env }, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ command, code: null, signal: null, timedOut, stdout, stderr: stderr + String(err) });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ command, code, signal, timedOut, stdout, stderr });
    });
  });
}

/** Throws with the full command output unless the client exited 0. */
export function ok(r: ClientResult): ClientResult {
  if (r.code !== 0) {
    throw new Error(
      `${r.command}\n exited ${r.code}${r.signal ? ` (${r.signal})` : ''}${r.timedOut ? ' after timing out' : ''}\n--- stdout:\n${r.stdout}\n--- stderr:\n${r.stderr}`,
    );
  }
  return r;
}

/** The TLS / credential flags a client needs for a server; over HTTP, TLS checks are off. */
export interface Target {
  host: string;
  http: boolean;
  caDir: string | undefined;
}

export class ClientSandbox {
  readonly root: string;
  readonly env: Record<string, string>;

  constructor() {
    this.root = tempDir('clients');
    const d = (name: string) => {
      const p = join(this.root, name);
      mkdirSync(p, { recursive: true, mode: 0o700 });
      return p;
    };
    const home = d('home');
    const runtime = d('xdg-runtime');
    const storage = d('storage');
    const run = d('storage-run');
    const tmp = d('tmp');
    const docker = d('docker-config');
    const conf = d('conf');
    // vfs: overlay needs privileges and kernel support this machine does not give.
    writeFileSync(join(conf, 'storage.conf'), `[storage]\ndriver = "vfs"\nrunroot = "${run}"\ngraphroot = "${storage}"\n`);
    // No search registries: only fully qualified references, and no docker.io look-ups.
    writeFileSync(join(conf, 'registries.conf'), 'unqualified-search-registries = []\nshort-name-mode = "disabled"\n');
    writeFileSync(join(conf, 'policy.json'), JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
    writeFileSync(join(conf, 'auth.json'), '{"auths":{}}');
    mkdirSync(join(conf, 'registries.d'));
    // podman as root keeps its own state under /run and journald; send it all here instead.
    writeFileSync(
      join(conf, 'containers.conf'),
      `[engine]\ntmp_dir = "${d('libpod-tmp')}"\nevents_logger = "file"\nevents_logfile_path = "${join(tmp, 'events.log')}"\n` +
        `volume_path = "${d('volumes')}"\nstatic_dir = "${d('libpod-static')}"\n`,
    );
    writeFileSync(join(docker, 'config.json'), '{}');
    this.env = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: home,
      TMPDIR: tmp,
      XDG_RUNTIME_DIR: runtime,
      XDG_CONFIG_HOME: d('xdg-config'),
      XDG_DATA_HOME: d('xdg-data'),
      CONTAINERS_STORAGE_CONF: join(conf, 'storage.conf'),
      CONTAINERS_REGISTRIES_CONF: join(conf, 'registries.conf'),
      CONTAINERS_CONF: join(conf, 'containers.conf'),
      REGISTRY_AUTH_FILE: join(conf, 'auth.json'),
      DOCKER_CONFIG: docker,
      // The docker CLI must not look for a daemon elsewhere than the (absent) default socket.
      DOCKER_HOST: 'unix:///var/run/docker.sock',
    };
  }

  get policyFile(): string {
    return join(this.root, 'conf', 'policy.json');
  }

  skopeo(args: string[], opts?: RunOptions): Promise<ClientResult> {
    // skopeo 1.9 ignores CONTAINERS_REGISTRIES_CONF; its hidden --registries-conf flag works.
    const conf = join(this.root, 'conf');
    return run(
      'skopeo',
      [
        '--policy',
        this.policyFile,
        '--registries-conf',
        join(conf, 'registries.conf'),
        '--registries.d',
        join(conf, 'registries.d'),
        '--command-timeout',
        '110s',
        ...args,
      ],
      this.env,
      opts,
    );
  }

  podman(args: string[], opts?: RunOptions): Promise<ClientResult> {
    return run('podman', args, this.env, opts);
  }

  buildah(args: string[], opts?: RunOptions): Promise<ClientResult> {
    return run('buildah', args, this.env, opts);
  }

  docker(args: string[], opts?: RunOptions): Promise<ClientResult> {
    return run('docker', args, this.env, opts);
  }
}

/** skopeo flags for a docker:// source (`src`), destination (`dest`) or a single-image command. */
export function skopeoTls(t: Target, side: 'src' | 'dest' | 'single'): string[] {
  const p = side === 'single' ? '' : `${side}-`;
  const creds = `--${p}no-creds`;
  if (t.http) return [creds, `--${p}tls-verify=false`];
  return [creds, `--${p}tls-verify=true`, `--${p}cert-dir`, t.caDir!];
}

/** podman / buildah push and pull flags. */
export function containersTls(t: Target): string[] {
  if (t.http) return ['--tls-verify=false'];
  return ['--tls-verify=true', '--cert-dir', t.caDir!];
}

export function dockerRef(t: Target, repo: string, tagOrDigest: string): string {
  const sep = tagOrDigest.includes(':') && tagOrDigest.startsWith('sha') ? '@' : ':';
  return `docker://${t.host}/${repo}${sep}${tagOrDigest}`;
}
