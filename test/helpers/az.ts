/**
 * The real Azure CLI (Debian azure-cli 2.45) against a Wharf server, isolated in a sandbox: its
 * own AZURE_CONFIG_DIR in a temp dir, no telemetry, no colour, Wharf's CA as REQUESTS_CA_BUNDLE
 * (MSAL, ARM and az's own data-plane `requests` all read it), and a custom cloud whose ARM
 * endpoint and ADFS-shaped authority are Wharf (an AAD-shaped authority would make MSAL call
 * login.microsoftonline.com for instance discovery; an ADFS one skips it). az is python and slow
 * (1–3 s a command), so every run has a timeout and tests should keep their runs few.
 *
 * `run(args, {hostsFile})` runs az in a private mount namespace (`unshare -m`, needs root) that
 * sees `hostsFile` as /etc/hosts and a resolv.conf pointing at 127.0.0.1, where nothing answers:
 * names resolve only through that file and no DNS query leaves the host.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { azCloudRegisterArgs, azCloudSetArgs, azLoginArgs } from '../../src/cli/az-cloud.js';
import { run as runProcess, type ClientResult } from './clients.js';
import { tempDir } from './tmp.js';

export interface AzRunOptions {
  /** Hosts-file text az resolves names with (a `127.0.0.1 localhost` line is prepended). */
  hosts?: string;
  /** A ready hosts file; `hosts` wins when both are given. */
  hostsFile?: string;
  timeoutMs?: number;
}

export interface AzResult extends ClientResult {
  /** stdout parsed as JSON (az's default output); undefined when it is not JSON. */
  json: any;
}

export interface AzCloud {
  /** Wharf's origin as az sees it, e.g. https://localhost:8443 (no trailing slash). */
  origin: string;
  /** The DNS suffix of login servers (Wharf's --domain). */
  domain: string;
  /** PEM file az must trust (the Wharf CA). */
  caFile: string;
  name?: string;
}

export interface AzServicePrincipal {
  appId: string;
  secret: string;
  tenantId: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The command line without the secret after -p/--password (secrets never reach logs). */
function redact(args: string[]): string[] {
  return args.map((a, i) => (i > 0 && ['-p', '--password'].includes(args[i - 1]!) ? '***' : a));
}

export class AzSandbox {
  readonly root: string;
  readonly env: Record<string, string>;
  /** Every az command line run so far, for reports and for keeping the count small. */
  readonly history: string[] = [];
  private readonly resolvConf: string;
  private hostsCount = 0;

  constructor(readonly cloud: AzCloud) {
    this.root = tempDir('az');
    const config = join(this.root, 'config');
    mkdirSync(config, { recursive: true, mode: 0o700 });
    this.resolvConf = join(this.root, 'resolv.conf');
    writeFileSync(this.resolvConf, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
    this.env = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: this.root,
      AZURE_CONFIG_DIR: config,
      AZURE_CORE_COLLECT_TELEMETRY: 'no',
      AZURE_CORE_NO_COLOR: '1',
      AZURE_CORE_ONLY_SHOW_ERRORS: '0',
      // No survey or upgrade prompts in non-interactive runs.
      AZURE_CORE_SURVEY_MESSAGE: 'no',
      AZURE_CORE_CHECK_UPGRADE: 'no',
      REQUESTS_CA_BUNDLE: cloud.caFile,
      LANG: 'C.UTF-8',
    };
  }

  get cloudName(): string {
    return this.cloud.name ?? 'WharfLab';
  }

  /** A hosts file with `hosts` after a localhost line, in the sandbox. */
  hostsFile(hosts: string): string {
    const file = join(this.root, `hosts-${++this.hostsCount}`);
    writeFileSync(file, `127.0.0.1 localhost\n${hosts.endsWith('\n') || hosts === '' ? hosts : `${hosts}\n`}`);
    return file;
  }

  async run(args: string[], opts: AzRunOptions = {}): Promise<AzResult> {
    const hostsFile = opts.hosts !== undefined ? this.hostsFile(opts.hosts) : opts.hostsFile;
    const shown = `az ${redact(args)
      .map((a) => (/[\s'"]/.test(a) ? shellQuote(a) : a))
      .join(' ')}`;
    this.history.push(shown);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const result = hostsFile
      ? await runProcess(
          'unshare',
          [
            '-m',
            'sh',
            '-c',
            'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf && shift 2 && exec az "$@"',
            'sh',
            hostsFile,
            this.resolvConf,
            ...args,
          ],
          this.env,
          { timeoutMs },
        )
      : await runProcess('az', args, this.env, { timeoutMs });
    let json: unknown;
    try {
      json = result.stdout.trim() === '' ? undefined : JSON.parse(result.stdout);
    } catch {
      json = undefined;
    }
    // WHARF_E2E_AZ_LOG=1 shows each run's output, to see what az really printed.
    if (process.env.WHARF_E2E_AZ_LOG === '1') {
      process.stderr.write(
        `\n$ ${shown}${hostsFile ? ` (hosts: ${hostsFile})` : ''}\n→ exit ${result.code}\n${result.stdout.slice(0, 2000)}${result.stderr}\n`,
      );
    }
    return { ...result, command: shown, json };
  }

  /** Like run, but throws with az's whole output unless it exited 0. */
  async ok(args: string[], opts: AzRunOptions = {}): Promise<AzResult> {
    const result = await this.run(args, opts);
    if (result.code !== 0) {
      throw new Error(
        `${result.command}\n exited ${result.code}${result.timedOut ? ' after timing out' : ''}\n--- stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}`,
      );
    }
    return result;
  }

  /**
   * Registers and selects the custom cloud, with the very arguments `wharf az-setup` prints
   * (src/cli/az-cloud.ts): an ADFS-shaped authority, the ACR login-server suffix (without it
   * every `az acr` command fails; ARM's `properties.loginServer` is what az really uses).
   */
  async registerCloud(): Promise<void> {
    const settings = { origin: this.cloud.origin, domain: this.cloud.domain, name: this.cloudName };
    await this.ok(azCloudRegisterArgs(settings));
    await this.ok(azCloudSetArgs(settings));
  }

  /** `az login --service-principal`; returns the subscriptions az found (its stdout). */
  async login(sp: AzServicePrincipal): Promise<{ id: string; name: string; isDefault: boolean; tenantId: string; state: string }[]> {
    const result = await this.ok(azLoginArgs({ appId: sp.appId, secret: sp.secret, tenantId: sp.tenantId }));
    return result.json;
  }

  /** `az account set`: the subscription commands without --subscription act on. */
  async useSubscription(subscriptionId: string): Promise<void> {
    await this.ok(['account', 'set', '--subscription', subscriptionId]);
  }

  /** A sandbox with the cloud registered and the principal signed in (3 az runs). */
  static async signedIn(cloud: AzCloud, sp: AzServicePrincipal): Promise<{ az: AzSandbox; subscriptions: Awaited<ReturnType<AzSandbox['login']>> }> {
    const az = new AzSandbox(cloud);
    await az.registerCloud();
    const subscriptions = await az.login(sp);
    return { az, subscriptions };
  }
}
