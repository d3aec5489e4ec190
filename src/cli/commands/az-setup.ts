/**
 * `wharf az-setup [--run]`: how to point the real Azure CLI at this Wharf server offline — the
 * CA it must trust (REQUESTS_CA_BUNDLE), `az cloud register` with Wharf as the ARM endpoint, an
 * ADFS-shaped authority and the Microsoft Graph endpoint, `az cloud set`, then
 * `az login --service-principal`. It prints the
 * commands; with --run it registers (or updates) and selects the cloud itself. The settings come
 * from src/cli/az-cloud.ts, which the end-to-end tests' az sandbox uses too.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  DEFAULT_AZ_CLOUD_NAME,
  azCloudRegisterArgs,
  azCloudSetArgs,
  azCloudUpdateArgs,
  azLoginArgs,
  isCloudAlreadyRegistered,
  shellLine,
  type AzCloudSettings,
} from '../az-cloud.js';
import { registryId } from '../arm-ids.js';
import type { GlobalOptions } from '../command-context.js';
import { ManagementClient } from '../management-client.js';
import { printJson } from '../output.js';
import { DEFAULT_REGISTRY, NotLoggedIn, activeProfile, type Profile } from '../profile.js';
import { examples, helpKey, languageOfCommand } from '../localized-command.js';
import type { Language } from '../../i18n/index.js';
import { cliError } from '../cli-error.js';
import { cliTranslator } from '../cli-messages.js';

interface AzSetupFlags {
  run?: boolean;
  cloudName?: string;
  domain?: string;
}

/** What az needs, whichever way it is shown. */
interface AzSetup {
  cloud: string;
  server: string;
  domain: string;
  environment: { REQUESTS_CA_BUNDLE?: string };
  commands: string[][];
}

const AZ_TIMEOUT_MS = 60_000;
const FALLBACK_DOMAIN = 'localhost';

/** The profile, or none when --server says where the server is and nobody has logged in. */
function profileOrNone(globals: GlobalOptions): Profile | undefined {
  try {
    return activeProfile(globals);
  } catch (error) {
    if (error instanceof NotLoggedIn && globals.server) return undefined;
    throw error;
  }
}

/**
 * The login-server suffix, from the profile's registry when its login server is
 * `<registry>.<domain>`; az takes each registry's real login server from ARM anyway.
 */
async function domainOf(profile: Profile | undefined, language: Language): Promise<string | undefined> {
  if (!profile) return undefined;
  const name = profile.registry ?? DEFAULT_REGISTRY;
  const client = ManagementClient.fromProfile(profile);
  try {
    const registry = await client.get<{ properties?: { loginServer?: string } }>(registryId(profile.subscriptionId, profile.resourceGroup, name));
    const host = (registry.properties?.loginServer ?? '').replace(/:\d+$/, '').toLowerCase();
    return host.startsWith(`${name.toLowerCase()}.`) ? host.slice(name.length + 1) : undefined;
  } catch (error) {
    // Only the login-server suffix depends on it, and az barely uses that: say so and go on.
    process.stderr.write(`${cliTranslator(language)('azSetupRegistryUnreadable', { name, cause: (error as Error).message, domain: FALLBACK_DOMAIN })}\n`);
    return undefined;
  } finally {
    await client.close();
  }
}

function originOf(server: string): string {
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw cliError('notServerUrl', { value: server });
  }
  if (url.protocol !== 'https:') {
    throw cliError('azNeedsHttps', { server });
  }
  return url.origin;
}

function runAz(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn('az', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), AZ_TIMEOUT_MS);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      fail(error.code === 'ENOENT' ? cliError('azNotOnPath') : error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

async function azOk(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const result = await runAz(args, env);
  if (result.code !== 0) throw cliError('azFailed', { command: args.slice(0, 2).join(' '), code: String(result.code), stderr: result.stderr.trim() });
  return result;
}

/** Registers the cloud, or updates it when a cloud of that name exists, then selects it. */
async function registerCloud(settings: AzCloudSettings, caFile: string | undefined): Promise<void> {
  const env = { ...process.env, ...(caFile ? { REQUESTS_CA_BUNDLE: caFile } : {}) };
  const registered = await runAz(azCloudRegisterArgs(settings), env);
  if (registered.code !== 0) {
    if (!isCloudAlreadyRegistered(registered.stderr)) {
      throw cliError('azFailed', { command: 'cloud register', code: String(registered.code), stderr: registered.stderr.trim() });
    }
    await azOk(azCloudUpdateArgs(settings), env);
  }
  await azOk(azCloudSetArgs(settings), env);
}

async function azSetup(flags: AzSetupFlags, command: Command): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const language = languageOfCommand(command);
  const profile = profileOrNone(globals);
  const server = globals.server ?? profile!.server;
  const origin = originOf(server);
  const caFile = globals.caFile ? resolve(globals.caFile) : profile?.caFile;
  if (caFile && !existsSync(caFile)) throw cliError('caFileMissing', { file: caFile });
  const domain = flags.domain ?? (await domainOf(profile, language)) ?? FALLBACK_DOMAIN;
  const settings: AzCloudSettings = { origin, domain, name: flags.cloudName ?? DEFAULT_AZ_CLOUD_NAME };
  const login = azLoginArgs({ appId: '<app-id>', secret: '<client-secret>', tenantId: profile?.tenantId ?? '<tenant-id>' });
  const setup: AzSetup = {
    cloud: settings.name!,
    server: origin,
    domain,
    environment: caFile ? { REQUESTS_CA_BUNDLE: caFile } : {},
    commands: [azCloudRegisterArgs(settings), azCloudSetArgs(settings), login].map((args) => ['az', ...args]),
  };

  if (flags.run) {
    await registerCloud(settings, caFile);
    if (globals.output === 'json') return printJson({ ...setup, registered: true });
    process.stdout.write(`${cliTranslator(language)('azCloudRegistered', { cloud: setup.cloud, server: origin })}\n`);
    if (caFile) process.stdout.write(`export REQUESTS_CA_BUNDLE=${shellLine([caFile])}\n`);
    process.stdout.write(`${shellLine(setup.commands[2]!)}\n`);
    return;
  }
  if (globals.output === 'json') return printJson(setup);
  const lines = [
    `# az (azure-cli) against the Wharf server at ${origin}, offline:`,
    ...(caFile ? ['# trust its CA (MSAL, ARM and az acr read REQUESTS_CA_BUNDLE)', `export REQUESTS_CA_BUNDLE=${shellLine([caFile])}`] : []),
    '# a cloud whose ARM endpoint, (ADFS-shaped) authority and Microsoft Graph endpoint are Wharf',
    shellLine(setup.commands[0]!),
    shellLine(setup.commands[1]!),
    '# sign in as a service principal (make one with: wharf sp create -n <name> --role Contributor)',
    shellLine(setup.commands[2]!),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerAzSetupCommand(program: Command): void {
  program
    .command('az-setup')
    .description('azSetup')
    .option('--run', 'azSetupOptRun')
    .option('--cloud-name <name>', helpKey('azSetupOptCloudName', { name: DEFAULT_AZ_CLOUD_NAME }))
    .option('--domain <suffix>', 'azSetupOptDomain')
    .addHelpText('after', examples('azSetupExamples'))
    .action(azSetup);
}
