/**
 * The admin user of a registry (username = registry name, passwords `password` and
 * `password2`): POST listCredentials and regenerateCredential. ACR shows the passwords again
 * on every listCredentials, so they are kept sealed with the master key beside their scrypt
 * hash (the hash is what logins check).
 */
import type { AdminPasswordName, AdminPasswordRecord } from '../../storage/metadata/access-records.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import { generateSecret, hashSecret, type Sealer } from '../../server/secrets.js';
import type { WharfServices } from '../../server/services.js';
import { ArmError, armErrors, armText } from '../arm-errors.js';
import { ok, type ManagementContext, type ManagementResult } from '../context.js';
import { requiredString } from '../json-body.js';
import type { RouteSpec } from '../route-table.js';
import { REGISTRY_PATH, registryActions, requireRegistry } from './lookup.js';

export const ADMIN_PASSWORD_NAMES: AdminPasswordName[] = ['password', 'password2'];

/** 39 random bytes: 52 characters, the length of ACR's admin passwords. */
const ADMIN_PASSWORD_BYTES = 39;

/** A new admin password, hashed and sealed, not yet stored. */
export async function newAdminPassword(sealer: Pick<Sealer, 'seal'>, registry: string, name: AdminPasswordName): Promise<AdminPasswordRecord> {
  const value = generateSecret(ADMIN_PASSWORD_BYTES);
  return { registry, name, hash: await hashSecret(value), sealedValue: sealer.seal(value), createdAt: new Date().toISOString() };
}

async function storeNewPassword(services: WharfServices, registry: string, name: AdminPasswordName): Promise<AdminPasswordRecord> {
  const record = await newAdminPassword(services.sealer, registry, name);
  await services.store.adminPasswords.put(record);
  return record;
}

/** Creates whichever of the two passwords is missing (when the admin user is turned on). */
export async function ensureAdminPasswords(services: WharfServices, registry: string): Promise<AdminPasswordRecord[]> {
  const existing = await services.store.adminPasswords.list(registry);
  const records: AdminPasswordRecord[] = [];
  for (const name of ADMIN_PASSWORD_NAMES) {
    records.push(existing.find((p) => p.name === name) ?? (await storeNewPassword(services, registry, name)));
  }
  return records;
}

/** ACR's refusal of credential operations while the admin user is off (not a missing right). */
function adminUserDisabled(registry: string, registryId: string): ArmError {
  return new ArmError(400, 'UnAuthorizedForCredentialOperations', armText('adminUserDisabled', { registry, registryId }));
}

async function credentialsResult(services: WharfServices, registry: RegistryRecord): Promise<ManagementResult> {
  const passwords = await ensureAdminPasswords(services, registry.name);
  return ok({
    username: registry.name,
    passwords: passwords.map((p) => ({ name: p.name, value: services.sealer.open(p.sealedValue) })),
  });
}

async function listCredentials(context: ManagementContext): Promise<ManagementResult> {
  const { registry, id } = await requireRegistry(context, 'write', registryActions.listCredentials);
  if (!registry.adminUserEnabled) throw adminUserDisabled(registry.name, id);
  return credentialsResult(context.services, registry);
}

async function regenerateCredential(context: ManagementContext): Promise<ManagementResult> {
  const { registry, id } = await requireRegistry(context, 'write', registryActions.regenerateCredential);
  const body = await context.body();
  const requested = requiredString(body, 'name', 'name');
  const name = ADMIN_PASSWORD_NAMES.find((n) => n === requested.toLowerCase());
  if (!name) throw armErrors.invalidParameter('name', `'${requested}' is not an admin password name: use 'password' or 'password2'.`);
  if (!registry.adminUserEnabled) throw adminUserDisabled(registry.name, id);
  await storeNewPassword(context.services, registry.name, name);
  return credentialsResult(context.services, registry);
}

export const adminCredentialRoutes: RouteSpec[] = [
  { id: 'registries.listCredentials', template: `${REGISTRY_PATH}/listCredentials`, methods: { POST: listCredentials } },
  { id: 'registries.regenerateCredential', template: `${REGISTRY_PATH}/regenerateCredential`, methods: { POST: regenerateCredential } },
];
