/**
 * `wharf login` / `wharf logout`: sign in as a service principal, check the credential against
 * the server (a token from the identity plane, then GET /subscriptions), and keep it in the
 * profile for the other commands. With --registry (and `wharf registry-login`), also sign in to
 * that registry as `az acr login` does and leave its ACR refresh token in the Docker config,
 * so docker, skopeo and podman pull and push with it.
 */
import { lookup } from 'node:dns/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { checkJsonFile, type SchemaOf } from '../json-file-check.js';
import { registryId } from '../arm-ids.js';
import { runCommand, type GlobalOptions } from '../command-context.js';
import { NULL_GUID, storeIdentityToken } from '../docker-config.js';
import { ManagementClient } from '../management-client.js';
import { DEFAULT_REGISTRY, DEFAULT_RESOURCE_GROUP, deleteProfile, profilePath, saveProfile, type Profile } from '../profile.js';
import { RegistryDataClient } from '../registry-data-client.js';
import { readSecretFromStdin } from '../stdin-secret.js';
import { registryNameOf, type RegistryFlags } from '../registry-flags.js';
import { examples, helpKey, helpText, languageOfCommand } from '../localized-command.js';
import type { Language } from '../../i18n/index.js';
import { cliError, CliError, cliText, listOf } from '../cli-error.js';
import { cliTranslator } from '../cli-messages.js';

/** Where `wharf serve` listens unless told otherwise. */
const DEFAULT_SERVER = 'https://localhost:8443';

/** What a fresh server writes for its first owner (`<data>/private/bootstrap-owner.json`). */
interface BootstrapOwner {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  resourceGroup?: string;
  server?: string;
}

const bootstrapOwnerSchema: SchemaOf<BootstrapOwner> = (z) =>
  z.object({
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
  exposeToken?: boolean;
  /** false with --no-docker-config. */
  dockerConfig?: boolean;
}

interface RegistryLoginFlags {
  exposeToken?: boolean;
  dockerConfig?: boolean;
}

function readBootstrap(dataDir: string): BootstrapOwner {
  const file = join(dataDir, 'private', 'bootstrap-owner.json');
  if (!existsSync(file)) {
    throw cliError('noBootstrapFile', { file });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw cliError('cannotReadFile', { file, cause: (error as Error).message });
  }
  const checked = checkJsonFile(bootstrapOwnerSchema, raw);
  if (!checked.ok) throw cliError('notBootstrapFile', { file, field: checked.field, cause: cliText(checked.cause) });
  return checked.value;
}

/** The profile the flags describe, before it is checked against the server. */
async function profileFromFlags(flags: LoginFlags, globals: GlobalOptions): Promise<Omit<Profile, 'subscriptionId'> & { subscriptionId?: string }> {
  const caFile = globals.caFile ? resolve(globals.caFile) : undefined;
  if (flags.data) {
    if (flags.tenant || flags.clientId || flags.clientSecret || flags.clientSecretStdin) {
      throw cliError('dataExcludesCredentials');
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
  if (!globals.server) throw cliError('loginNeedsDataOrServer');
  const missing = [!flags.tenant && '--tenant', !flags.clientId && '--client-id'].filter(Boolean);
  if (missing.length > 0) throw cliError('loginMissingFlags', { flags: listOf(missing as string[]) });
  if (flags.clientSecret && flags.clientSecretStdin) throw cliError('clientSecretOnce');
  const clientSecret = flags.clientSecretStdin ? await readSecretFromStdin() : (flags.clientSecret ?? process.env.WHARF_CLIENT_SECRET);
  if (!clientSecret) throw cliError('clientSecretMissing');
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
      throw cliError('subscriptionNotVisible', { subscription: wanted, visible: ids.join(', ') });
    }
    return wanted;
  }
  if (ids.length === 1) return ids[0]!;
  if (ids.length === 0) throw cliError('noSubscriptionVisible');
  throw cliError('severalSubscriptions', { visible: ids.join(', ') });
}

/** Whether the host of `host[:port]` resolves here, as the clients that use the stored credential resolve it. */
async function resolvable(loginServer: string): Promise<boolean> {
  const host = loginServer.startsWith('[') ? loginServer.slice(1, loginServer.indexOf(']')) : loginServer.replace(/:\d+$/, '');
  try {
    await lookup(host);
    return true;
  } catch {
    return false;
  }
}

/**
 * `az acr login`'s job for one registry: an ACR refresh token for the signed-in identity, printed
 * (--expose-token) or stored in the Docker config (unless --no-docker-config).
 */
async function registryLogin(
  client: ManagementClient,
  profile: Profile,
  registry: string,
  resourceGroup: string | undefined,
  flags: RegistryLoginFlags,
  language: Language,
): Promise<void> {
  const t = cliTranslator(language);
  const data = await RegistryDataClient.open(client, profile, {
    name: registry,
    id: registryId(profile.subscriptionId, resourceGroup ?? profile.resourceGroup, registry),
  });
  try {
    const refreshToken = await data.refreshToken();
    if (flags.exposeToken) {
      // As az acr login --expose-token: the token is the command's output, so it goes to stdout.
      process.stderr.write(`${t('exposeTokenHint', { loginServer: data.loginServer, user: NULL_GUID })}\n`);
      process.stdout.write(JSON.stringify({ accessToken: refreshToken, loginServer: data.loginServer }, null, 2) + '\n');
      return;
    }
    if (flags.dockerConfig === false) {
      process.stdout.write(`${t('signedInNoDockerConfig', { loginServer: data.loginServer })}\n`);
      return;
    }
    const stored = storeIdentityToken(data.loginServer, refreshToken);
    process.stdout.write(`${t('loginSucceeded', { loginServer: data.loginServer, path: stored.path, registry })}\n`);
    if (!(await resolvable(data.loginServer))) {
      process.stderr.write(`${t('loginServerUnresolvable', { loginServer: data.loginServer, registry })}\n`);
    }
    if (stored.helper) {
      process.stderr.write(`${t('credentialHelperWins', { path: stored.path, helper: stored.helper, loginServer: data.loginServer })}\n`);
    }
  } finally {
    await data.close();
  }
}

async function login(flags: LoginFlags, command: Command): Promise<void> {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const draft = await profileFromFlags(flags, globals);
  const client = ManagementClient.fromProfile({ ...draft, subscriptionId: draft.subscriptionId ?? '' });
  // With --expose-token stdout carries only the token's JSON, as az's does.
  const say = (text: string) => (flags.exposeToken ? process.stderr : process.stdout).write(text);
  try {
    await client.token();
    const subscriptions = await client.list<{ subscriptionId: string }>('/subscriptions');
    const profile: Profile = { ...draft, subscriptionId: chooseSubscription(draft.subscriptionId, subscriptions) };
    const path = saveProfile(profile);
    say(
      `Logged in to ${client.server} as ${profile.clientId} (tenant ${profile.tenantId}, subscription ${profile.subscriptionId}).\n` +
        `Profile saved to ${path}; it holds the client secret: keep it private ('wharf logout' deletes it).\n`,
    );
    if (flags.registry !== undefined || flags.exposeToken) {
      const registry = flags.registry ?? DEFAULT_REGISTRY;
      try {
        await registryLogin(client, profile, registry, undefined, flags, languageOfCommand(command));
      } catch (error) {
        throw cliError('loggedInButNotRegistry', { server: client.server, registry, cause: error instanceof CliError ? error.text : (error as Error).message });
      }
    }
  } finally {
    await client.close();
  }
}

export function registerLoginCommands(program: Command): void {
  program
    .command('login')
    .description('login')
    .option('-d, --data <dir>', 'loginOptData')
    .option('-t, --tenant <id>', 'loginOptTenant')
    .option('-u, --client-id <id>', 'loginOptClientId')
    .option('-p, --client-secret <secret>', 'loginOptClientSecret')
    .option('--client-secret-stdin', 'loginOptClientSecretStdin')
    .option('-s, --subscription <id>', 'loginOptSubscription')
    .option('-g, --resource-group <name>', helpKey('loginOptResourceGroup', { name: DEFAULT_RESOURCE_GROUP }))
    .option('-r, --registry <name>', 'loginOptRegistry')
    .option('--expose-token', 'loginOptExposeToken')
    .option('--no-docker-config', 'loginOptNoDockerConfig')
    .addHelpText('after', helpText(helpKey('loginHelp', { nullGuid: NULL_GUID })))
    .action(login);

  program
    .command('registry-login')
    .description('registryLogin')
    .option('-n, --name <name>', 'optName')
    .option('-r, --registry <name>', 'optRegistry')
    .option('-g, --resource-group <name>', 'optResourceGroup')
    .option('--expose-token', 'registryLoginOptExposeToken')
    .option('--no-docker-config', 'registryLoginOptNoDockerConfig')
    .addHelpText(
      'after',
      examples(`
  wharf registry-login -n myregistry && docker pull myregistry.example.com/team/app:v1
  wharf registry-login -n myregistry --expose-token
  DOCKER_CONFIG=/tmp/ci-docker wharf registry-login -n myregistry`),
    )
    .action(async (flags: RegistryLoginFlags & RegistryFlags, command: Command) =>
      runCommand(command, async (context) => {
        await registryLogin(context.client, context.profile, registryNameOf(context, flags), flags.resourceGroup, flags, context.language);
      }),
    );

  program
    .command('logout')
    .description('logout')
    .addHelpText(
      'after',
      examples(`
  wharf logout`),
    )
    .action((_flags: unknown, command: Command) => {
      const path = profilePath();
      process.stdout.write(`${cliTranslator(languageOfCommand(command))(deleteProfile() ? 'loggedOut' : 'notLoggedIn', { path })}\n`);
    });
}
