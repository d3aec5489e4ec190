/**
 * The network index on Kysely (same queries for SQLite and PostgreSQL): registry network
 * settings with their ordered rules, virtual networks and subnets, private endpoints,
 * replications, resource provider registrations and trusted services. ARM ids are kept in lower
 * case; names keep the caller's spelling, with a lower-case key where ARM compares them.
 * List columns are JSON text, flags integers, times ISO text.
 */
import { sql, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import {
  PrivateEndpointConflictError,
  defaultRegistryNetwork,
  type BypassOption,
  type ConnectionStatus,
  type DefaultAction,
  type NetworkIndex,
  type PrivateEndpointRecord,
  type ProviderState,
  type PublicNetworkAccess,
  type RegistryNetworkSettings,
  type ReplicationRecord,
  type SubnetRecord,
  type TrustedServiceRecord,
  type VirtualNetworkRecord,
} from './network-records.js';

type Db = Kysely<Database> | Transaction<Database>;
type Binary = (column: string) => RawBuilder<string>;
const deletedAny = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows) > 0;
const lower = (text: string) => text.toLowerCase();

/** What a deleted registry leaves behind: its endpoints' connections stay, Disconnected. */
const REGISTRY_DELETED_DESCRIPTION = 'The registry was deleted.';

/**
 * Removes a registry's network settings and replications and disconnects its private endpoints,
 * inside the caller's transaction (the registry delete runs it in its own).
 */
export async function forgetRegistryNetwork(db: Db, registry: string): Promise<void> {
  await db.deleteFrom('registry_network_rules').where('registry', '=', registry).execute();
  await db.deleteFrom('registry_networks').where('registry', '=', registry).execute();
  await db.deleteFrom('replications').where('registry', '=', registry).execute();
  await db.deleteFrom('replication_tags').where('registry', '=', registry).execute();
  await db
    .updateTable('private_endpoints')
    .set({ status: 'Disconnected', status_description: REGISTRY_DELETED_DESCRIPTION })
    .where('registry', '=', registry)
    .execute();
}

export class KyselyNetworkIndex implements NetworkIndex {
  constructor(
    private readonly db: Kysely<Database>,
    /** Byte order whatever the database's locale, so listings are the same on every dialect. */
    private readonly binary: Binary,
  ) {}

  // ------------------------------------------------------------ registry settings

  async registrySettings(registry: string): Promise<RegistryNetworkSettings> {
    return readSettings(this.db, registry);
  }

  async saveRegistrySettings(registry: string, settings: Omit<RegistryNetworkSettings, 'updatedAt'>): Promise<RegistryNetworkSettings> {
    await this.db.transaction().execute((trx) => writeRegistrySettings(trx, registry, settings));
    return readSettings(this.db, registry);
  }

  // ------------------------------------------------------------ virtual networks and subnets

  async virtualNetwork(id: string): Promise<VirtualNetworkRecord | undefined> {
    const row = await this.db.selectFrom('virtual_networks').selectAll().where('id', '=', lower(id)).executeTakeFirst();
    return row && toVirtualNetwork(row);
  }

  async virtualNetworks(filter: { subscriptionId?: string; resourceGroup?: string }): Promise<VirtualNetworkRecord[]> {
    let query = this.db.selectFrom('virtual_networks').selectAll().orderBy(this.binary('id'));
    if (filter.subscriptionId !== undefined) query = query.where(sql`lower(subscription_id)`, '=', lower(filter.subscriptionId));
    if (filter.resourceGroup !== undefined) query = query.where(sql`lower(resource_group)`, '=', lower(filter.resourceGroup));
    return (await query.execute()).map(toVirtualNetwork);
  }

  /** A replaced network keeps its creation time. */
  async saveVirtualNetwork(vnet: VirtualNetworkRecord, subnets?: SubnetRecord[]): Promise<void> {
    const id = lower(vnet.id);
    const changed = {
      subscription_id: vnet.subscriptionId,
      resource_group: vnet.resourceGroup,
      name: vnet.name,
      location: vnet.location,
      address_prefixes: JSON.stringify(vnet.addressPrefixes),
      tags: JSON.stringify(vnet.tags),
    };
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('virtual_networks')
        .values({ id, created_at: vnet.createdAt, ...changed })
        .onConflict((oc) => oc.column('id').doUpdateSet(changed))
        .execute();
      if (subnets === undefined) return;
      await trx.deleteFrom('subnets').where('vnet_id', '=', id).execute();
      for (const subnet of subnets) await upsertSubnet(trx, { ...subnet, vnetId: id });
    });
  }

  async deleteVirtualNetwork(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('subnets').where('vnet_id', '=', lower(id)).execute();
      return deletedAny(await trx.deleteFrom('virtual_networks').where('id', '=', lower(id)).executeTakeFirst());
    });
  }

  async subnet(id: string): Promise<SubnetRecord | undefined> {
    const row = await this.db.selectFrom('subnets').selectAll().where('id', '=', lower(id)).executeTakeFirst();
    return row && toSubnet(row);
  }

  async subnets(vnetId: string): Promise<SubnetRecord[]> {
    const rows = await this.db.selectFrom('subnets').selectAll().where('vnet_id', '=', lower(vnetId)).orderBy(this.binary('id')).execute();
    return rows.map(toSubnet);
  }

  async allSubnets(): Promise<SubnetRecord[]> {
    const rows = await this.db.selectFrom('subnets').selectAll().orderBy(this.binary('id')).execute();
    return rows.map(toSubnet);
  }

  async saveSubnet(subnet: SubnetRecord): Promise<void> {
    await upsertSubnet(this.db, subnet);
  }

  async deleteSubnet(id: string): Promise<boolean> {
    return deletedAny(await this.db.deleteFrom('subnets').where('id', '=', lower(id)).executeTakeFirst());
  }

  // ------------------------------------------------------------ private endpoints

  async privateEndpoint(id: string): Promise<PrivateEndpointRecord | undefined> {
    const row = await this.db.selectFrom('private_endpoints').selectAll().where('id', '=', lower(id)).executeTakeFirst();
    return row && toPrivateEndpoint(row);
  }

  async privateEndpoints(filter: { subscriptionId?: string; resourceGroup?: string; registry?: string; subnetId?: string }): Promise<PrivateEndpointRecord[]> {
    let query = this.db.selectFrom('private_endpoints').selectAll().orderBy(this.binary('id'));
    if (filter.subscriptionId !== undefined) query = query.where(sql`lower(subscription_id)`, '=', lower(filter.subscriptionId));
    if (filter.resourceGroup !== undefined) query = query.where(sql`lower(resource_group)`, '=', lower(filter.resourceGroup));
    if (filter.registry !== undefined) query = query.where('registry', '=', filter.registry);
    if (filter.subnetId !== undefined) query = query.where('subnet_id', '=', lower(filter.subnetId));
    return (await query.execute()).map(toPrivateEndpoint);
  }

  /**
   * Creates or replaces the endpoint (a replaced one keeps its creation time). Throws
   * PrivateEndpointConflictError when another endpoint holds the address and port, or the
   * registry already has a connection of that name.
   */
  async savePrivateEndpoint(endpoint: PrivateEndpointRecord): Promise<void> {
    const id = lower(endpoint.id);
    const changed = {
      subscription_id: endpoint.subscriptionId,
      resource_group: endpoint.resourceGroup,
      name: endpoint.name,
      location: endpoint.location,
      subnet_id: lower(endpoint.subnetId),
      address: endpoint.address,
      port: endpoint.port,
      registry: endpoint.registry,
      connection_name: endpoint.connectionName,
      connection_key: lower(endpoint.connectionName),
      manual: endpoint.manual ? 1 : 0,
      request_message: endpoint.requestMessage,
      status: endpoint.status,
      status_description: endpoint.statusDescription,
    };
    try {
      await this.db.transaction().execute(async (trx) => {
        await refuseConflicts(trx, id, endpoint);
        await trx
          .insertInto('private_endpoints')
          .values({ id, created_at: endpoint.createdAt, ...changed })
          .onConflict((oc) => oc.column('id').doUpdateSet(changed))
          .execute();
      });
    } catch (error) {
      // Another writer got there between the check and the insert: name the holder now.
      if (isUniqueViolation(error)) await refuseConflicts(this.db, id, endpoint);
      throw error;
    }
  }

  async deletePrivateEndpoint(id: string): Promise<boolean> {
    return deletedAny(await this.db.deleteFrom('private_endpoints').where('id', '=', lower(id)).executeTakeFirst());
  }

  async setConnectionState(registry: string, connectionName: string, status: ConnectionStatus, description: string): Promise<boolean> {
    const result = await this.db
      .updateTable('private_endpoints')
      .set({ status, status_description: description })
      .where('registry', '=', registry)
      .where('connection_key', '=', lower(connectionName))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  // ------------------------------------------------------------ replications

  async replications(registry: string): Promise<ReplicationRecord[]> {
    const rows = await this.db
      .selectFrom('replications')
      .selectAll()
      .where('registry', '=', registry)
      .orderBy('created_at')
      .orderBy(this.binary('name_key'))
      .execute();
    return rows.map((r) => ({
      registry: r.registry,
      name: r.name,
      location: r.location,
      regionEndpointEnabled: Number(r.region_endpoint_enabled) !== 0,
      createdAt: r.created_at,
    }));
  }

  /**
   * Creates or replaces the replication (names compared ignoring case), keeping its creation
   * time, and replaces its tags when given: one transaction, so a PUT never leaves a replication
   * without the tags it asked for.
   */
  async saveReplication(replication: ReplicationRecord, tags?: Record<string, string>): Promise<void> {
    const changed = {
      name: replication.name,
      location: replication.location,
      region_endpoint_enabled: replication.regionEndpointEnabled ? 1 : 0,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('replications')
        .values({ registry: replication.registry, name_key: lower(replication.name), created_at: replication.createdAt, ...changed })
        .onConflict((oc) => oc.columns(['registry', 'name_key']).doUpdateSet(changed))
        .execute();
      if (tags) await writeReplicationTags(trx, replication.registry, replication.name, tags);
    });
  }

  /** Deletes the replication with its tags, in one transaction. */
  async deleteReplication(registry: string, name: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('replication_tags').where('registry', '=', registry).where('name_key', '=', lower(name)).execute();
      const result = await trx.deleteFrom('replications').where('registry', '=', registry).where('name_key', '=', lower(name)).executeTakeFirst();
      return deletedAny(result);
    });
  }

  async replicationTags(registry: string): Promise<Map<string, Record<string, string>>> {
    const rows = await this.db.selectFrom('replication_tags').selectAll().where('registry', '=', registry).execute();
    return new Map(rows.map((r) => [r.name_key, JSON.parse(r.tags) as Record<string, string>]));
  }

  async saveReplicationTags(registry: string, name: string, tags: Record<string, string>): Promise<void> {
    await writeReplicationTags(this.db, registry, name, tags);
  }

  // ------------------------------------------------------------ resource providers

  async providerState(subscriptionId: string, namespace: string): Promise<ProviderState | undefined> {
    const row = await this.db
      .selectFrom('provider_registrations')
      .select('state')
      .where('subscription_id', '=', lower(subscriptionId))
      .where('namespace_key', '=', lower(namespace))
      .executeTakeFirst();
    return row?.state as ProviderState | undefined;
  }

  async setProviderState(subscriptionId: string, namespace: string, state: ProviderState): Promise<void> {
    const changed = { state, updated_at: new Date().toISOString() };
    await this.db
      .insertInto('provider_registrations')
      .values({ subscription_id: lower(subscriptionId), namespace_key: lower(namespace), ...changed })
      .onConflict((oc) => oc.columns(['subscription_id', 'namespace_key']).doUpdateSet(changed))
      .execute();
  }

  // ------------------------------------------------------------ trusted services

  async trustedServices(subscriptionId?: string): Promise<TrustedServiceRecord[]> {
    let query = this.db.selectFrom('trusted_services').selectAll().orderBy(this.binary('subscription_id')).orderBy(this.binary('name_key'));
    if (subscriptionId !== undefined) query = query.where('subscription_id', '=', lower(subscriptionId));
    const rows = await query.execute();
    return rows.map((r) => ({
      subscriptionId: r.subscription_id,
      name: r.name,
      principalId: r.principal_id,
      serviceType: r.service_type,
      createdAt: r.created_at,
    }));
  }

  /** Creates or replaces the service (names compared ignoring case, per subscription); keeps its creation time. */
  async saveTrustedService(service: TrustedServiceRecord): Promise<void> {
    const changed = { name: service.name, principal_id: service.principalId, service_type: service.serviceType };
    await this.db
      .insertInto('trusted_services')
      .values({ subscription_id: lower(service.subscriptionId), name_key: lower(service.name), created_at: service.createdAt, ...changed })
      .onConflict((oc) => oc.columns(['subscription_id', 'name_key']).doUpdateSet(changed))
      .execute();
  }

  async deleteTrustedService(subscriptionId: string, name: string): Promise<boolean> {
    return deletedAny(
      await this.db.deleteFrom('trusted_services').where('subscription_id', '=', lower(subscriptionId)).where('name_key', '=', lower(name)).executeTakeFirst(),
    );
  }

  // ------------------------------------------------------------ registry deletion

  async forgetRegistry(registry: string): Promise<void> {
    await this.db.transaction().execute((trx) => forgetRegistryNetwork(trx, registry));
  }
}

/** Replaces the tags of a replication (names compared ignoring case), in the caller's transaction or not. */
async function writeReplicationTags(db: Db, registry: string, name: string, tags: Record<string, string>): Promise<void> {
  await db
    .insertInto('replication_tags')
    .values({ registry, name_key: lower(name), tags: JSON.stringify(tags) })
    .onConflict((oc) => oc.columns(['registry', 'name_key']).doUpdateSet({ tags: JSON.stringify(tags) }))
    .execute();
}

/**
 * Replaces a registry's network settings and rules, inside the caller's transaction (the
 * registry's own save runs it with the registry row, so both change together or not at all).
 */
export async function writeRegistrySettings(trx: Db, registry: string, settings: Omit<RegistryNetworkSettings, 'updatedAt'>): Promise<void> {
  const previous = await trx.selectFrom('registry_networks').select('updated_at').where('registry', '=', registry).executeTakeFirst();
  const row = {
    public_network_access: settings.publicNetworkAccess,
    default_action: settings.defaultAction,
    bypass: settings.bypass,
    data_endpoint_enabled: settings.dataEndpointEnabled ? 1 : 0,
    updated_at: laterThan(previous?.updated_at),
  };
  await trx
    .insertInto('registry_networks')
    .values({ registry, ...row })
    .onConflict((oc) => oc.column('registry').doUpdateSet(row))
    .execute();
  await trx.deleteFrom('registry_network_rules').where('registry', '=', registry).execute();
  const rules = [
    ...settings.ipRules.map((value, position) => ({ registry, kind: 'ip', position, value })),
    ...settings.virtualNetworkRules.map((value, position) => ({ registry, kind: 'vnet', position, value: lower(value) })),
  ];
  // Chunked: SQLite binds at most 32766 values per statement (4 per row here).
  for (let i = 0; i < rules.length; i += 500) {
    await trx
      .insertInto('registry_network_rules')
      .values(rules.slice(i, i + 500))
      .execute();
  }
}

/** A registry's network settings (the defaults when none are saved), in the caller's transaction or not. */
export async function readSettings(db: Db, registry: string): Promise<RegistryNetworkSettings> {
  const row = await db.selectFrom('registry_networks').selectAll().where('registry', '=', registry).executeTakeFirst();
  if (!row) return defaultRegistryNetwork();
  const rules = await db
    .selectFrom('registry_network_rules')
    .select(['kind', 'value'])
    .where('registry', '=', registry)
    .orderBy('kind')
    .orderBy('position')
    .execute();
  return {
    publicNetworkAccess: row.public_network_access as PublicNetworkAccess,
    defaultAction: row.default_action as DefaultAction,
    ipRules: rules.filter((r) => r.kind === 'ip').map((r) => r.value),
    virtualNetworkRules: rules.filter((r) => r.kind === 'vnet').map((r) => r.value),
    bypass: row.bypass as BypassOption,
    dataEndpointEnabled: Number(row.data_endpoint_enabled) !== 0,
    updatedAt: row.updated_at,
  };
}

/** Now, or 1 ms after the previous stamp: caches compare updatedAt, so two saves never share one. */
function laterThan(previous: string | undefined): string {
  const at = Date.now();
  const before = previous ? Date.parse(previous) : NaN;
  return new Date(Number.isNaN(before) || at > before ? at : before + 1).toISOString();
}

async function upsertSubnet(db: Db, subnet: SubnetRecord): Promise<void> {
  const changed = {
    vnet_id: lower(subnet.vnetId),
    name: subnet.name,
    address_prefixes: JSON.stringify(subnet.addressPrefixes),
    service_endpoints: JSON.stringify(subnet.serviceEndpoints),
  };
  await db
    .insertInto('subnets')
    .values({ id: lower(subnet.id), ...changed })
    .onConflict((oc) => oc.column('id').doUpdateSet(changed))
    .execute();
}

async function refuseConflicts(db: Db, id: string, endpoint: PrivateEndpointRecord): Promise<void> {
  const listener = await db
    .selectFrom('private_endpoints')
    .select('id')
    .where('address', '=', endpoint.address)
    .where('port', '=', endpoint.port)
    .where('id', '!=', id)
    .executeTakeFirst();
  if (listener) {
    throw new PrivateEndpointConflictError(
      'address',
      listener.id,
      `address ${endpoint.address}:${endpoint.port} is in use by private endpoint '${listener.id}'`,
    );
  }
  const connection = await db
    .selectFrom('private_endpoints')
    .select('id')
    .where('registry', '=', endpoint.registry)
    .where('connection_key', '=', lower(endpoint.connectionName))
    .where('id', '!=', id)
    .executeTakeFirst();
  if (connection) {
    throw new PrivateEndpointConflictError(
      'connectionName',
      connection.id,
      `registry '${endpoint.registry}' already has a private endpoint connection named '${endpoint.connectionName}' (private endpoint '${connection.id}')`,
    );
  }
}

/** SQLite (better-sqlite3) and PostgreSQL (pg) spell a unique-constraint violation differently. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

function parseList(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function toVirtualNetwork(row: Selectable<Database['virtual_networks']>): VirtualNetworkRecord {
  let tags: Record<string, string> = {};
  try {
    const value: unknown = JSON.parse(row.tags);
    if (value && typeof value === 'object' && !Array.isArray(value)) tags = value as Record<string, string>;
  } catch {
    // unreadable tags read as none
  }
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    resourceGroup: row.resource_group,
    name: row.name,
    location: row.location,
    addressPrefixes: parseList(row.address_prefixes),
    tags,
    createdAt: row.created_at,
  };
}

function toSubnet(row: Selectable<Database['subnets']>): SubnetRecord {
  return {
    id: row.id,
    vnetId: row.vnet_id,
    name: row.name,
    addressPrefixes: parseList(row.address_prefixes),
    serviceEndpoints: parseList(row.service_endpoints),
  };
}

function toPrivateEndpoint(row: Selectable<Database['private_endpoints']>): PrivateEndpointRecord {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    resourceGroup: row.resource_group,
    name: row.name,
    location: row.location,
    subnetId: row.subnet_id,
    address: row.address,
    port: Number(row.port),
    registry: row.registry,
    connectionName: row.connection_name,
    manual: Number(row.manual) !== 0,
    requestMessage: row.request_message,
    status: row.status as ConnectionStatus,
    statusDescription: row.status_description,
    createdAt: row.created_at,
  };
}
