/**
 * The first owner of a fresh installation. A new Wharf is secure by default: nobody may do
 * anything until someone holds a role. So when no role assignment exists at all, Wharf creates
 * a service principal 'wharf-bootstrap-owner' with Owner on the subscription and the Global
 * Administrator directory role (domain/directory-roles.ts), and writes its
 * credentials to `<data>/private/bootstrap-owner.json` (0600, in a 0700 directory), the one
 * place they ever appear: never in logs. `wharf login --data <dir>` reads that file.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WharfConfig } from '../kernel/config.js';
import type { ArmDefaults } from '../domain/scaffold.js';
import type { MetadataStore } from '../storage/metadata/store.js';
import { IdentityDirectory } from './directory.js';
import { GLOBAL_ADMINISTRATOR } from '../domain/directory-roles.js';

const BOOTSTRAP_OWNER_NAME = 'wharf-bootstrap-owner';

interface BootstrapOwnerFile {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  resourceGroup: string;
  /** Where to sign in; null means the Wharf server itself (its identity plane). */
  authorityHost: string | null;
}

function bootstrapOwnerPath(dataDir: string): string {
  return join(dataDir, 'private', 'bootstrap-owner.json');
}

/** Writes the file atomically, readable by its owner only. */
function writePrivate(path: string, content: string): void {
  const dir = join(path, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Creates the bootstrap owner when no role assignment exists yet; returns the credentials
 * file's path when it did, null otherwise (someone already holds a role).
 */
export async function ensureBootstrapOwner(services: {
  store: MetadataStore;
  arm: ArmDefaults;
  config: WharfConfig;
  directory: IdentityDirectory;
}): Promise<string | null> {
  const { store, arm, config, directory } = services;
  if ((await store.roleAssignments.list()).length > 0) return null;
  const principal = await directory.createServicePrincipal({ tenantId: arm.tenantId, displayName: BOOTSTRAP_OWNER_NAME });
  const { secret } = await directory.addClientSecret(principal.objectId, { displayName: 'bootstrap' });
  const path = bootstrapOwnerPath(config.data);
  const file: BootstrapOwnerFile = {
    tenantId: arm.tenantId,
    clientId: principal.appId!,
    clientSecret: secret,
    subscriptionId: arm.subscriptionId,
    resourceGroup: arm.resourceGroup,
    authorityHost: null,
  };
  // The file first: if writing it fails, no role exists yet and the next start tries again.
  writePrivate(path, JSON.stringify(file, null, 2) + '\n');
  await store.identities.addDirectoryRole(principal.objectId, GLOBAL_ADMINISTRATOR);
  await store.roleAssignments.create({
    id: randomUUID(),
    scope: `/subscriptions/${arm.subscriptionId}`,
    roleName: 'Owner',
    principalId: principal.objectId,
    principalType: 'ServicePrincipal',
    createdAt: new Date().toISOString(),
  });
  return path;
}

/**
 * Installations made before directory roles existed have no Global Administrator: the bootstrap
 * owner (the oldest one) becomes it, so someone can still manage the directory. Idempotent.
 */
export async function ensureDirectoryAdministrator(services: { store: MetadataStore; arm: ArmDefaults }): Promise<void> {
  const { store, arm } = services;
  if ((await store.identities.directoryRoleMembers(GLOBAL_ADMINISTRATOR)).length > 0) return;
  const owner = (await store.identities.list({ tenantId: arm.tenantId, type: 'ServicePrincipal' })).find((i) => i.displayName === BOOTSTRAP_OWNER_NAME);
  if (owner) await store.identities.addDirectoryRole(owner.objectId, GLOBAL_ADMINISTRATOR);
}
