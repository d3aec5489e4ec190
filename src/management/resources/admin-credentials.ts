/**
 * The admin user of a registry (username = registry name, passwords `password` and
 * `password2`): POST listCredentials and regenerateCredential. ACR shows the passwords again
 * on every listCredentials, so they are kept sealed with the master key beside their scrypt
 * hash (the hash is what logins check).
 */
import type { AdminPasswordName, AdminPasswordRecord } from '../../storage/metadata/access-records.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import { generateSecret, type Sealer, type SecretHasher } from '../../kernel/secrets.js';
import { ArmError, armErrors, armReason, armText } from '../../kernel/arm-errors.js';
import { addressedRegistry, type ManagementContext, type ManagementResult, type ManagementServices, ok } from '../context.js';
import { requiredString } from '../../kernel/json-body.js';
import { onRegistry, type RouteSpec } from '../route-table.js';
import { REGISTRY_PATH, registryActions } from './lookup.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'sealer' | 'secrets' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

const ADMIN_PASSWORD_NAMES: AdminPasswordName[] = ['password', 'password2'];

/** 39 random bytes: 52 characters, the length of ACR's admin passwords. */
const ADMIN_PASSWORD_BYTES = 39;

/** A new admin password, hashed and sealed, not yet stored. */
export async function newAdminPassword(
  services: { sealer: Pick<Sealer, 'seal'>; secrets: Pick<SecretHasher, 'hash'> },
  registry: string,
  name: AdminPasswordName,
): Promise<AdminPasswordRecord> {
  const value = generateSecret(ADMIN_PASSWORD_BYTES);
  return { registry, name, hash: await services.secrets.hash(value), sealedValue: services.sealer.seal(value), createdAt: new Date().toISOString() };
}

async function storeNewPassword(services: HandlerServices, registry: string, name: AdminPasswordName): Promise<AdminPasswordRecord> {
  const record = await newAdminPassword(services, registry, name);
  await services.store.adminPasswords.put(record);
  return record;
}

/** Creates whichever of the two passwords is missing (when the admin user is turned on). */
async function ensureAdminPasswords(services: HandlerServices, registry: string): Promise<AdminPasswordRecord[]> {
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

async function credentialsResult(services: HandlerServices, registry: RegistryRecord): Promise<ManagementResult> {
  const passwords = await ensureAdminPasswords(services, registry.name);
  return ok({
    username: registry.name,
    passwords: passwords.map((p) => ({ name: p.name, value: services.sealer.open(p.sealedValue) })),
  });
}

async function listCredentials(context: HandlerContext): Promise<ManagementResult> {
  const { registry, id } = addressedRegistry(context);
  if (!registry.adminUserEnabled) throw adminUserDisabled(registry.name, id);
  return credentialsResult(context.services, registry);
}

async function regenerateCredential(context: HandlerContext): Promise<ManagementResult> {
  const { registry, id } = addressedRegistry(context);
  const body = await context.body();
  const requested = requiredString(body, 'name', 'name');
  const name = ADMIN_PASSWORD_NAMES.find((n) => n === requested.toLowerCase());
  if (!name) throw armErrors.invalidParameter('name', armReason('adminPasswordName', { name: requested }));
  if (!registry.adminUserEnabled) throw adminUserDisabled(registry.name, id);
  await storeNewPassword(context.services, registry.name, name);
  return credentialsResult(context.services, registry);
}

export const adminCredentialRoutes: RouteSpec[] = [
  {
    id: 'registries.listCredentials',
    template: `${REGISTRY_PATH}/listCredentials`,
    methods: {
      POST: { handler: listCredentials, needs: onRegistry('write', registryActions.listCredentials) },
    },
  },
  {
    id: 'registries.regenerateCredential',
    template: `${REGISTRY_PATH}/regenerateCredential`,
    methods: {
      POST: { handler: regenerateCredential, needs: onRegistry('write', registryActions.regenerateCredential) },
    },
  },
];
