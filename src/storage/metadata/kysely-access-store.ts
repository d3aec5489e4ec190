/**
 * The access-control indexes on Kysely (same queries for SQLite and PostgreSQL): ARM
 * scaffolding, identities and their secrets, role assignments, admin passwords, scope maps,
 * repository tokens and signing keys. Flags are integers, JSON is text, times ISO text.
 */
import { sql, type ExpressionBuilder, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import type {
  AdminPasswordIndex,
  AdminPasswordName,
  AdminPasswordRecord,
  BuiltInRole,
  ClientSecretRecord,
  IdentityIndex,
  IdentityRecord,
  IdentityType,
  RepositoryTokenIndex,
  RepositoryTokenRecord,
  ResourceGroupRecord,
  RoleAssignmentIndex,
  RoleAssignmentRecord,
  ScaffoldIndex,
  ScopeMapIndex,
  ScopeMapRecord,
  SigningKeyIndex,
  SigningKeyRecord,
  SubscriptionRecord,
  TenantRecord,
  TokenPasswordName,
  TokenPasswordRecord,
  TokenStatus,
} from './access-records.js';

type Binary = (column: string) => RawBuilder<string>;
const now = () => new Date().toISOString();
const deletedAny = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows) > 0;

// ---------------------------------------------------------------- ARM scaffolding

export class KyselyScaffoldIndex implements ScaffoldIndex {
  constructor(private readonly db: Kysely<Database>) {}

  async tenants(): Promise<TenantRecord[]> {
    const rows = await this.db.selectFrom('tenants').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, displayName: r.display_name, createdAt: r.created_at }));
  }

  async ensureTenant(tenant: { id: string; displayName: string }): Promise<TenantRecord> {
    await this.db
      .insertInto('tenants')
      .values({ id: tenant.id, display_name: tenant.displayName, created_at: now() })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const row = await this.db.selectFrom('tenants').selectAll().where('id', '=', tenant.id).executeTakeFirstOrThrow();
    return { id: row.id, displayName: row.display_name, createdAt: row.created_at };
  }

  async subscriptions(): Promise<SubscriptionRecord[]> {
    const rows = await this.db.selectFrom('subscriptions').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(toSubscription);
  }

  async ensureSubscription(subscription: { id: string; tenantId: string; displayName: string }, owner?: RoleAssignmentRecord): Promise<SubscriptionRecord> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .insertInto('subscriptions')
        .values({ id: subscription.id, tenant_id: subscription.tenantId, display_name: subscription.displayName, created_at: now() })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      if (owner && Number(result.numInsertedOrUpdatedRows ?? 0) > 0) await insertRoleAssignment(trx, owner);
      return toSubscription(await trx.selectFrom('subscriptions').selectAll().where('id', '=', subscription.id).executeTakeFirstOrThrow());
    });
  }

  async resourceGroups(subscriptionId: string): Promise<ResourceGroupRecord[]> {
    const rows = await this.db.selectFrom('resource_groups').selectAll().where('subscription_id', '=', subscriptionId).orderBy('name').execute();
    return rows.map(toResourceGroup);
  }

  async ensureResourceGroup(group: { subscriptionId: string; name: string; location: string }): Promise<ResourceGroupRecord> {
    await this.db
      .insertInto('resource_groups')
      .values({ subscription_id: group.subscriptionId, name: group.name, location: group.location, created_at: now() })
      .onConflict((oc) => oc.columns(['subscription_id', 'name']).doNothing())
      .execute();
    const row = await this.db
      .selectFrom('resource_groups')
      .selectAll()
      .where('subscription_id', '=', group.subscriptionId)
      .where('name', '=', group.name)
      .executeTakeFirstOrThrow();
    return toResourceGroup(row);
  }

  async setResourceGroupTags(subscriptionId: string, name: string, tags: Record<string, string>): Promise<boolean> {
    const result = await this.db
      .updateTable('resource_groups')
      .set({ tags: JSON.stringify(tags) })
      .where('subscription_id', '=', subscriptionId)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deleteResourceGroup(subscriptionId: string, name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('resource_groups').where('subscription_id', '=', subscriptionId).where('name', '=', name).executeTakeFirst();
    return deletedAny(result);
  }
}

function toSubscription(row: Selectable<Database['subscriptions']>): SubscriptionRecord {
  return { id: row.id, tenantId: row.tenant_id, displayName: row.display_name, createdAt: row.created_at };
}

function toResourceGroup(row: Selectable<Database['resource_groups']>): ResourceGroupRecord {
  return {
    subscriptionId: row.subscription_id,
    name: row.name,
    location: row.location,
    createdAt: row.created_at,
    tags: JSON.parse(row.tags) as Record<string, string>,
  };
}

// ---------------------------------------------------------------- identities

export class KyselyIdentityIndex implements IdentityIndex {
  constructor(private readonly db: Kysely<Database>) {}

  async create(identity: IdentityRecord): Promise<void> {
    await this.db
      .insertInto('identities')
      .values({
        object_id: identity.objectId,
        tenant_id: identity.tenantId,
        type: identity.type,
        app_id: identity.appId,
        display_name: identity.displayName,
        user_name: identity.userName,
        password_hash: identity.passwordHash,
        created_at: identity.createdAt,
      })
      .execute();
  }

  async get(objectId: string): Promise<IdentityRecord | undefined> {
    const row = await this.db.selectFrom('identities').selectAll().where('object_id', '=', objectId).executeTakeFirst();
    return row && toIdentity(row);
  }

  /** Client ids are GUIDs: compared without regard to case, as Entra does. */
  async getByAppId(appId: string): Promise<IdentityRecord | undefined> {
    const row = await this.db
      .selectFrom('identities')
      .selectAll()
      .where(sql`lower(app_id)`, '=', appId.toLowerCase())
      .executeTakeFirst();
    return row && toIdentity(row);
  }

  /** Sign-in names are case-insensitive in Entra. */
  async getByUserName(userName: string): Promise<IdentityRecord | undefined> {
    const row = await this.db
      .selectFrom('identities')
      .selectAll()
      .where(sql`lower(user_name)`, '=', userName.toLowerCase())
      .executeTakeFirst();
    return row && toIdentity(row);
  }

  async list(filter: { tenantId?: string; type?: IdentityType } = {}): Promise<IdentityRecord[]> {
    let query = this.db.selectFrom('identities').selectAll().orderBy('created_at').orderBy('object_id');
    if (filter.tenantId !== undefined) query = query.where('tenant_id', '=', filter.tenantId);
    if (filter.type !== undefined) query = query.where('type', '=', filter.type);
    return (await query.execute()).map(toIdentity);
  }

  async setPasswordHash(objectId: string, hash: string): Promise<void> {
    await this.db.updateTable('identities').set({ password_hash: hash }).where('object_id', '=', objectId).execute();
  }

  transaction<T>(work: (identities: IdentityIndex) => Promise<T>): Promise<T> {
    // Inside a transaction already: Kysely does not nest them, and the outer one covers this work.
    if (this.db.isTransaction) return work(this);
    return this.db.transaction().execute((trx) => work(new KyselyIdentityIndex(trx)));
  }

  async delete(objectId: string): Promise<boolean> {
    const remove = async (db: Kysely<Database>) => {
      await db.deleteFrom('client_secrets').where('object_id', '=', objectId).execute();
      await db.deleteFrom('role_assignments').where('principal_id', '=', objectId).execute();
      await db.deleteFrom('directory_role_members').where('object_id', '=', objectId).execute();
      await db.deleteFrom('application_owners').where('app_object_id', '=', objectId).execute();
      await db.deleteFrom('application_owners').where('owner_object_id', '=', objectId).execute();
      return deletedAny(await db.deleteFrom('identities').where('object_id', '=', objectId).executeTakeFirst());
    };
    return this.db.isTransaction ? remove(this.db) : this.db.transaction().execute(remove);
  }

  async addSecret(secret: ClientSecretRecord): Promise<void> {
    await this.db
      .insertInto('client_secrets')
      .values({
        key_id: secret.keyId,
        object_id: secret.objectId,
        display_name: secret.displayName,
        hint: secret.hint,
        hash: secret.hash,
        start_at: secret.startAt,
        end_at: secret.endAt,
        created_at: secret.createdAt,
      })
      .execute();
  }

  async secrets(objectId: string): Promise<ClientSecretRecord[]> {
    const rows = await this.db.selectFrom('client_secrets').selectAll().where('object_id', '=', objectId).orderBy('created_at').orderBy('key_id').execute();
    return rows.map((r) => ({
      keyId: r.key_id,
      objectId: r.object_id,
      displayName: r.display_name,
      hint: r.hint,
      hash: r.hash,
      startAt: r.start_at,
      endAt: r.end_at,
      createdAt: r.created_at,
    }));
  }

  async removeSecret(objectId: string, keyId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('client_secrets').where('object_id', '=', objectId).where('key_id', '=', keyId).executeTakeFirst();
    return deletedAny(result);
  }

  async directoryRoles(objectId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('directory_role_members').select('role_id').where('object_id', '=', objectId).orderBy('role_id').execute();
    return rows.map((r) => r.role_id);
  }

  async directoryRoleMembers(roleId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('directory_role_members')
      .select('object_id')
      .where('role_id', '=', roleId)
      .orderBy('created_at')
      .orderBy('object_id')
      .execute();
    return rows.map((r) => r.object_id);
  }

  async addDirectoryRole(objectId: string, roleId: string): Promise<boolean> {
    const result = await this.db
      .insertInto('directory_role_members')
      .values({ object_id: objectId, role_id: roleId, created_at: new Date().toISOString() })
      .onConflict((c) => c.columns(['object_id', 'role_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async removeDirectoryRole(objectId: string, roleId: string): Promise<boolean> {
    return deletedAny(await this.db.deleteFrom('directory_role_members').where('object_id', '=', objectId).where('role_id', '=', roleId).executeTakeFirst());
  }

  async owners(appObjectId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('application_owners')
      .select('owner_object_id')
      .where('app_object_id', '=', appObjectId)
      .orderBy('created_at')
      .orderBy('owner_object_id')
      .execute();
    return rows.map((r) => r.owner_object_id);
  }

  async addOwner(appObjectId: string, ownerObjectId: string): Promise<boolean> {
    const result = await this.db
      .insertInto('application_owners')
      .values({ app_object_id: appObjectId, owner_object_id: ownerObjectId, created_at: new Date().toISOString() })
      .onConflict((c) => c.columns(['app_object_id', 'owner_object_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async removeOwner(appObjectId: string, ownerObjectId: string): Promise<boolean> {
    return deletedAny(
      await this.db.deleteFrom('application_owners').where('app_object_id', '=', appObjectId).where('owner_object_id', '=', ownerObjectId).executeTakeFirst(),
    );
  }
}

function toIdentity(row: Selectable<Database['identities']>): IdentityRecord {
  return {
    objectId: row.object_id,
    tenantId: row.tenant_id,
    type: row.type as IdentityType,
    appId: row.app_id,
    displayName: row.display_name,
    userName: row.user_name,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}

// ---------------------------------------------------------------- role assignments

export class KyselyRoleAssignmentIndex implements RoleAssignmentIndex {
  constructor(private readonly db: Kysely<Database>) {}

  async create(assignment: RoleAssignmentRecord): Promise<void> {
    await insertRoleAssignment(this.db, assignment);
  }

  async get(id: string): Promise<RoleAssignmentRecord | undefined> {
    const row = await this.db.selectFrom('role_assignments').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toAssignment(row);
  }

  async delete(id: string): Promise<boolean> {
    return deletedAny(await this.db.deleteFrom('role_assignments').where('id', '=', id).executeTakeFirst());
  }

  async forPrincipal(principalId: string): Promise<RoleAssignmentRecord[]> {
    const rows = await this.db.selectFrom('role_assignments').selectAll().where('principal_id', '=', principalId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toAssignment);
  }

  async list(scopePrefix?: string): Promise<RoleAssignmentRecord[]> {
    let query = this.db.selectFrom('role_assignments').selectAll().orderBy('created_at').orderBy('id');
    if ((scopePrefix ?? '').replace(/\/+$/, '') !== '') query = query.where(scopeAtOrBelow(scopePrefix!));
    return (await query.execute()).map(toAssignment);
  }
}

/**
 * The role assignments whose scope is `scopePrefix` or below it (prefix + '/'): ARM paths are
 * case-insensitive, so compared lower-cased; substr rather than LIKE so `_` or `%` in names
 * match literally. Shared by listing and by deletions in another index's transaction.
 */
export function scopeAtOrBelow(scopePrefix: string) {
  const prefix = scopePrefix.replace(/\/+$/, '').toLowerCase();
  const below = `${prefix}/`;
  // Length in code points, as both SQLite and PostgreSQL count characters.
  const length = [...below].length;
  return (eb: ExpressionBuilder<Database, 'role_assignments'>) =>
    eb.or([eb(sql`lower(scope)`, '=', prefix), eb(sql`lower(substr(scope, 1, ${sql.lit(length)}))`, '=', below)]);
}

/** Inserts a role assignment, in the caller's transaction or not. */
async function insertRoleAssignment(db: Kysely<Database> | Transaction<Database>, assignment: RoleAssignmentRecord): Promise<void> {
  await db
    .insertInto('role_assignments')
    .values({
      id: assignment.id,
      scope: assignment.scope,
      role_name: assignment.roleName,
      principal_id: assignment.principalId,
      principal_type: assignment.principalType,
      created_at: assignment.createdAt,
    })
    .execute();
}

function toAssignment(row: Selectable<Database['role_assignments']>): RoleAssignmentRecord {
  return {
    id: row.id,
    scope: row.scope,
    roleName: row.role_name as BuiltInRole,
    principalId: row.principal_id,
    principalType: row.principal_type as IdentityType,
    createdAt: row.created_at,
  };
}

// ---------------------------------------------------------------- admin user

export class KyselyAdminPasswordIndex implements AdminPasswordIndex {
  constructor(private readonly db: Kysely<Database>) {}

  async list(registry: string): Promise<AdminPasswordRecord[]> {
    const rows = await this.db.selectFrom('admin_passwords').selectAll().where('registry', '=', registry).orderBy('name').execute();
    return rows.map((r) => ({
      registry: r.registry,
      name: r.name as AdminPasswordName,
      hash: r.hash,
      sealedValue: r.sealed_value,
      createdAt: r.created_at,
    }));
  }

  async put(record: AdminPasswordRecord): Promise<void> {
    const values = { hash: record.hash, sealed_value: record.sealedValue, created_at: record.createdAt };
    await this.db
      .insertInto('admin_passwords')
      .values({ registry: record.registry, name: record.name, ...values })
      .onConflict((oc) => oc.columns(['registry', 'name']).doUpdateSet(values))
      .execute();
  }
}

// ---------------------------------------------------------------- scope maps and tokens

export class KyselyScopeMapIndex implements ScopeMapIndex {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly binary: Binary,
  ) {}

  async list(registry: string): Promise<ScopeMapRecord[]> {
    const rows = await this.db.selectFrom('scope_maps').selectAll().where('registry', '=', registry).orderBy(this.binary('name')).execute();
    return rows.map(toScopeMap);
  }

  async get(registry: string, name: string): Promise<ScopeMapRecord | undefined> {
    const row = await this.db.selectFrom('scope_maps').selectAll().where('registry', '=', registry).where('name', '=', name).executeTakeFirst();
    return row && toScopeMap(row);
  }

  /** Creates or replaces the map; a replaced map keeps its creation time. */
  async put(record: ScopeMapRecord): Promise<void> {
    const changed = { description: record.description, actions: JSON.stringify(record.actions), updated_at: record.updatedAt };
    await this.db
      .insertInto('scope_maps')
      .values({ registry: record.registry, name: record.name, created_at: record.createdAt, ...changed })
      .onConflict((oc) => oc.columns(['registry', 'name']).doUpdateSet(changed))
      .execute();
  }

  async delete(registry: string, name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('scope_maps').where('registry', '=', registry).where('name', '=', name).executeTakeFirst();
    return deletedAny(result);
  }

  async usedBy(registry: string, name: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('repository_tokens')
      .select('name')
      .where('registry', '=', registry)
      .where('scope_map', '=', name)
      .orderBy(this.binary('name'))
      .execute();
    return rows.map((r) => r.name);
  }
}

function toScopeMap(row: Selectable<Database['scope_maps']>): ScopeMapRecord {
  return {
    registry: row.registry,
    name: row.name,
    description: row.description,
    actions: JSON.parse(row.actions) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class KyselyRepositoryTokenIndex implements RepositoryTokenIndex {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly binary: Binary,
  ) {}

  async list(registry: string): Promise<RepositoryTokenRecord[]> {
    const rows = await this.db.selectFrom('repository_tokens').selectAll().where('registry', '=', registry).orderBy(this.binary('name')).execute();
    return rows.map(toToken);
  }

  async get(registry: string, name: string): Promise<RepositoryTokenRecord | undefined> {
    const row = await this.db.selectFrom('repository_tokens').selectAll().where('registry', '=', registry).where('name', '=', name).executeTakeFirst();
    return row && toToken(row);
  }

  /** Creates or replaces the token; a replaced token keeps its creation time and passwords. */
  async put(record: RepositoryTokenRecord): Promise<void> {
    await putToken(this.db, record);
  }

  async save(record: RepositoryTokenRecord, keepPasswords?: TokenPasswordName[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (keepPasswords) {
        let removal = trx.deleteFrom('token_passwords').where('registry', '=', record.registry).where('token', '=', record.name);
        if (keepPasswords.length > 0) removal = removal.where('name', 'not in', keepPasswords);
        await removal.execute();
      }
      await putToken(trx, record);
    });
  }

  async delete(registry: string, name: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('token_passwords').where('registry', '=', registry).where('token', '=', name).execute();
      const result = await trx.deleteFrom('repository_tokens').where('registry', '=', registry).where('name', '=', name).executeTakeFirst();
      return deletedAny(result);
    });
  }

  async passwords(registry: string, token: string): Promise<TokenPasswordRecord[]> {
    const rows = await this.db.selectFrom('token_passwords').selectAll().where('registry', '=', registry).where('token', '=', token).orderBy('name').execute();
    return rows.map((r) => ({
      registry: r.registry,
      token: r.token,
      name: r.name as TokenPasswordName,
      hash: r.hash,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
    }));
  }

  /** Creates or replaces one of the token's two passwords. */
  async putPassword(record: TokenPasswordRecord): Promise<void> {
    await putTokenPassword(this.db, record);
  }

  async putPasswords(records: TokenPasswordRecord[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const record of records) await putTokenPassword(trx, record);
    });
  }

  async removePassword(registry: string, token: string, name: TokenPasswordName): Promise<boolean> {
    const result = await this.db
      .deleteFrom('token_passwords')
      .where('registry', '=', registry)
      .where('token', '=', token)
      .where('name', '=', name)
      .executeTakeFirst();
    return deletedAny(result);
  }
}

async function putToken(db: Kysely<Database> | Transaction<Database>, record: RepositoryTokenRecord): Promise<void> {
  const changed = { scope_map: record.scopeMap, status: record.status, updated_at: record.updatedAt };
  await db
    .insertInto('repository_tokens')
    .values({ registry: record.registry, name: record.name, created_at: record.createdAt, ...changed })
    .onConflict((oc) => oc.columns(['registry', 'name']).doUpdateSet(changed))
    .execute();
}

async function putTokenPassword(db: Kysely<Database> | Transaction<Database>, record: TokenPasswordRecord): Promise<void> {
  const values = { hash: record.hash, created_at: record.createdAt, expires_at: record.expiresAt };
  await db
    .insertInto('token_passwords')
    .values({ registry: record.registry, token: record.token, name: record.name, ...values })
    .onConflict((oc) => oc.columns(['registry', 'token', 'name']).doUpdateSet(values))
    .execute();
}

function toToken(row: Selectable<Database['repository_tokens']>): RepositoryTokenRecord {
  return {
    registry: row.registry,
    name: row.name,
    scopeMap: row.scope_map,
    status: row.status as TokenStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

// ---------------------------------------------------------------- signing keys

export class KyselySigningKeyIndex implements SigningKeyIndex {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<SigningKeyRecord[]> {
    const rows = await this.db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'desc').orderBy('kid', 'desc').execute();
    return rows.map((r) => ({
      kid: r.kid,
      algorithm: r.algorithm as SigningKeyRecord['algorithm'],
      publicJwk: JSON.parse(r.public_jwk) as JsonWebKey,
      sealedPrivateKey: r.sealed_private_key,
      createdAt: r.created_at,
      retiredAt: r.retired_at,
    }));
  }

  async add(key: SigningKeyRecord): Promise<void> {
    await this.db
      .insertInto('signing_keys')
      .values({
        kid: key.kid,
        algorithm: key.algorithm,
        public_jwk: JSON.stringify(key.publicJwk),
        sealed_private_key: key.sealedPrivateKey,
        created_at: key.createdAt,
        retired_at: key.retiredAt,
      })
      .execute();
  }

  /** Retires a key once; retiring it again keeps the first time (false). */
  async retire(kid: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('signing_keys').set({ retired_at: at }).where('kid', '=', kid).where('retired_at', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
