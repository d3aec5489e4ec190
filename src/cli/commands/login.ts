/**
 * `wharf login` / `wharf logout`: sign in as a service principal, check the credential against
 * the server (a token from the identity plane, then GET /subscriptions), and keep it in the
 * profile for the other commands.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import type { GlobalOptions } from '../command-context.js';
import { ManagementClient } from '../management-client.js';
import { DEFAULT_RESOURCE_GROUP, deleteProfile, profilePath, saveProfile, type Profile } from '../profile.js';

/** Where `wharf serve` listens unless told otherwise. */
const DEFAULT_SERVER = 'https://localhost:8443';

/** What a fresh server writes for its first owner (`<data>/private/bootstrap-owner.json`). */
const bootstrapOwnerSchema = z.object({
  tenantId: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  subscriptionId: z.string().min(1),
  resourceGroup: z.string().min(1).optional(),
  server: z.string().min(1).optional(),
});

interface LoginFlags {
  data?: string;
  tenant?: string;
  clientId?: string;
  clientSecret?: string;
  clientSecretStdin?: boolean;
  subscription?: string;
  resourceGroup?: string;
  registry?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function readBootstrap(dataDir: string): z.infer<typeof bootstrapOwnerSchema> {
  const file = join(dataDir, 'private', 'bootstrap-owner.json');
  if (!existsSync(file)) {
    throw new Error(`no ${file}: --data must be the data directory of a Wharf server that has started at least once`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  const parsed = bootstrapOwnerSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file} is not a bootstrap owner file: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** The profile the flags describe, before it is checked against the server. */
async function profileFromFlags(flags: LoginFlags, globals: GlobalOptions): Promise<Omit<Profile, 'subscriptionId'> & { subscriptionId?: string }> {
  const caFile = globals.caFile ? resolve(globals.caFile) : undefined;
  if (flags.data) {
    if (flags.tenant || flags.clientId || flags.clientSecret || flags.clientSecretStdin) {
      throw new Error('--data takes the credential from the data directory: leave out --tenant, --client-id and --client-secret');
    }
    const dataDir = resolve(flags.data);
    const owner = readBootstrap(dataDir);
    const server = globals.server ?? owner.server ?? DEFAULT_SERVER;
    const dataCa = join(dataDir, 'tls', 'ca.crt');
    return {
      server,
      caFile: caFile ?? (server.startsWith('https:') && existsSync(dataCa) ? dataCa : undefined),
      tenantId: owner.tenantId,
      clientId: owner.clientId,
      clientSecret: owner.clientSecret,
      subscriptionId: flags.subscription ?? owner.subscriptionId,
      resourceGroup: flags.resourceGroup ?? owner.resourceGroup ?? DEFAULT_RESOURCE_GROUP,
      registry: flags.registry,
    };
  }
  if (!globals.server) throw new Error('give --data <dir> (on the server machine) or --server <url> with --tenant, --client-id and a client secret');
  const missing = [!flags.tenant && '--tenant', !flags.clientId && '--client-id'].filter(Boolean);
  if (missing.length > 0) throw new Error(`missing ${missing.join(' and ')}`);
  if (flags.clientSecret && flags.clientSecretStdin) throw new Error('give the client secret once: --client-secret or --client-secret-stdin');
  const clientSecret = flags.clientSecretStdin ? await readStdin() : (flags.clientSecret ?? process.env.WHARF_CLIENT_SECRET);
  if (!clientSecret) throw new Error('missing the client secret: --client-secret-stdin, --client-secret or WHARF_CLIENT_SECRET');
  return {
    server: globals.server,
    caFile,
    tenantId: flags.tenant!,
    clientId: flags.clientId!,
    clientSecret,
    subscriptionId: flags.subscription,
    resourceGroup: flags.resourceGroup ?? DEFAULT_RESOURCE_GROUP,
    registry: flags.registry,
  };
}

/** Picks the subscription: the one asked for if the identity sees it, else the only one it sees. */
function chooseSubscription(wanted: string | undefined, visible: { subscriptionId: string }[]): string {
  const ids = visible.map((s) => s.subscriptionId);
  if (wanted) {
    if (ids.length > 0 && !ids.some((id) => id.toLowerCase() === wanted.toLowerCase())) {
      throw new Error(`subscription ${wanted} is not visible to this identity (it sees: ${ids.join(', ')})`);
    }
    return wanted;
  }
  if (ids.length === 1) return ids[0]!;
  if (ids.length === 0) throw new Error('this identity sees no subscription: give --subscription, or grant it a role first');
  throw new Error(`this identity sees several subscriptions (${ids.join(', ')}): choose one with --subscription`);
}

async function login(flags: LoginFlags, command: Command): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const draft = await profileFromFlags(flags, globals);
  const client = ManagementClient.fromProfile({ ...draft, subscriptionId: draft.subscriptionId ?? '' });
  try {
    await client.token();
    const subscriptions = await client.list<{ subscriptionId: string }>('/subscriptions');
    const profile: Profile = { ...draft, subscriptionId: chooseSubscription(draft.subscriptionId, subscriptions) };
    const path = saveProfile(profile);
    process.stdout.write(
      `Logged in to ${client.server} as ${profile.clientId} (tenant ${profile.tenantId}, subscription ${profile.subscriptionId}).\n` +
        `Profile saved to ${path}; it holds the client secret: keep it private ('wharf logout' deletes it).\n`,
    );
  } finally {
    await client.close();
  }
}

export function registerLoginCommands(program: Command): void {
  program
    .command('login')
    .description('sign in to a Wharf server as a service principal and save the profile the other commands use')
    .option('-d, --data <dir>', "on the server's machine: use the first owner's credential and the CA in this data directory")
    .option('-t, --tenant <id>', 'tenant id')
    .option('-u, --client-id <id>', 'application (client) id of the service principal')
    .option('-p, --client-secret <secret>', 'client secret (visible in the process list: prefer --client-secret-stdin or WHARF_CLIENT_SECRET)')
    .option('--client-secret-stdin', 'read the client secret from standard input')
    .option('-s, --subscription <id>', 'subscription to work in; default: the only one the identity sees')
    .option('-g, --resource-group <name>', `resource group of registries; default ${DEFAULT_RESOURCE_GROUP}`)
    .option('-r, --registry <name>', "registry the other commands use when given no --registry; default 'wharf'")
    .addHelpText('after', `
The profile is saved to $WHARF_HOME/profile.json (default ~/.wharf/profile.json), readable only by
you. Like ~/.azure, it is a credential file: it holds the client secret.

Examples:
  wharf login --data /var/lib/wharf --server https://localhost:8443
  wharf login --server https://registry.example.com:8443 --ca-file ca.crt \\
              --tenant <tenant id> --client-id <app id> --client-secret-stdin < secret.txt`)
    .action(login);

  program
    .command('logout')
    .description('delete the saved profile (and the client secret in it)')
    .action(() => {
      const path = profilePath();
      process.stdout.write(deleteProfile() ? `Logged out: deleted ${path}\n` : `Not logged in (no ${path})\n`);
    });
}
