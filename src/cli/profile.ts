/**
 * The `wharf` CLI's login profile: which server to talk to, the CA that server's certificate
 * chains to, and the service principal the CLI signs in as. It holds a client secret, so it is
 * kept like ~/.azure: a file only its owner can read (0600) in a directory only its owner can
 * enter (0700).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { cliError, CliError, cliText } from './cli-error.js';
import { checkJsonFile, type SchemaOf } from './json-file-check.js';

export interface Profile {
  server: string;
  /** PEM file of the CA to trust; absent over plain HTTP or for publicly trusted certificates. */
  caFile?: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  resourceGroup: string;
  /** Registry used when a command is given no --registry. */
  registry?: string;
}

const profileSchema: SchemaOf<Profile> = (z) =>
  z.object({
    server: z.string().min(1),
    caFile: z.string().optional(),
    tenantId: z.string().min(1),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    subscriptionId: z.string().min(1),
    resourceGroup: z.string().min(1),
    registry: z.string().min(1).optional(),
  });

export const DEFAULT_RESOURCE_GROUP = 'wharf';
export const DEFAULT_REGISTRY = 'wharf';

/** `$WHARF_HOME`, default ~/.wharf. */
function wharfHome(): string {
  return resolve(process.env.WHARF_HOME || join(homedir(), '.wharf'));
}

export function profilePath(): string {
  return join(wharfHome(), 'profile.json');
}

export class NotLoggedIn extends CliError {
  constructor(path: string) {
    super(cliText('notLoggedInProfile', { path }));
  }
}

function loadProfile(): Profile {
  const path = profilePath();
  if (!existsSync(path)) throw new NotLoggedIn(path);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw cliError('profileNotJson', { path, cause: (error as Error).message });
  }
  const checked = checkJsonFile(profileSchema, raw);
  if (!checked.ok) throw cliError('profileIncomplete', { path, field: checked.field, cause: cliText(checked.cause) });
  return checked.value;
}

/** Writes the profile atomically, readable by its owner only. */
export function saveProfile(profile: Profile): string {
  const dir = wharfHome();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const path = profilePath();
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(profile, null, 2) + '\n', { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  return path;
}

/** Deletes the profile; false when there was none. */
export function deleteProfile(): boolean {
  const path = profilePath();
  if (!existsSync(path)) return false;
  rmSync(path);
  return true;
}

/** Options every command that talks to a server accepts (defined once on the program). */
export interface ConnectionOptions {
  server?: string;
  caFile?: string;
}

/** The saved profile, with --server and --ca-file taking precedence. */
export function activeProfile(options: ConnectionOptions): Profile {
  const profile = loadProfile();
  return {
    ...profile,
    ...(options.server ? { server: options.server } : {}),
    ...(options.caFile ? { caFile: resolve(options.caFile) } : {}),
  };
}
