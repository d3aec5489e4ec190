/** Table shapes of the metadata store, shared by every SQL dialect. Times are ISO-8601 text. */
import type { Generated } from 'kysely';

interface RegistriesTable {
  name: string;
  login_server: string | null;
  deletes_enabled: number;
  created_at: string;
}

interface RepositoriesTable {
  registry: string;
  name: string;
  created_at: string;
}

interface BlobsTable {
  digest: string;
  size: number | string; // pg returns bigint as string
  created_at: string;
}

interface RepositoryBlobsTable {
  registry: string;
  repository: string;
  digest: string;
  created_at: string;
}

interface ManifestsTable {
  registry: string;
  repository: string;
  digest: string;
  media_type: string;
  size: number | string;
  content: Uint8Array;
  subject: string | null;
  artifact_type: string | null;
  annotations: string | null;
  created_at: string;
}

interface ManifestReferencesTable {
  registry: string;
  repository: string;
  digest: string;
  child_digest: string;
  child_kind: 'blob' | 'manifest';
}

interface TagsTable {
  registry: string;
  repository: string;
  name: string;
  digest: string;
  updated_at: string;
}

interface UploadsTable {
  id: string;
  registry: string;
  repository: string;
  size: number | string;
  created_at: string;
  updated_at: string;
}

interface CoreTables {
  registries: RegistriesTable;
  repositories: RepositoriesTable;
  blobs: BlobsTable;
  repository_blobs: RepositoryBlobsTable;
  manifests: ManifestsTable;
  manifest_references: ManifestReferencesTable;
  tags: TagsTable;
  uploads: UploadsTable;
}

// ---- 0002: ARM placement, identities, grants, tokens, signing keys, audit, changeable attributes

/** Columns added to `registries` by 0002 (ARM placement and access settings). */
interface RegistryAccessColumns {
  subscription_id: Generated<string>;
  resource_group: Generated<string>;
  location: Generated<string>;
  sku: Generated<string>;
  admin_user_enabled: Generated<number>;
  anonymous_pull_enabled: Generated<number>;
  /** JSON object of ARM resource tags. */
  tags: Generated<string>;
  updated_at: Generated<string>;
}

/** Read/write/delete/list switches on repositories, tags and manifests (ACR changeable attributes). */
interface ChangeableColumns {
  read_enabled: Generated<number>;
  write_enabled: Generated<number>;
  delete_enabled: Generated<number>;
  list_enabled: Generated<number>;
  /** Empty until the first change after creation; readers fall back to the creation time. */
  updated_at: Generated<string>;
}

interface TenantsTable {
  id: string;
  display_name: string;
  created_at: string;
}

interface SubscriptionsTable {
  id: string;
  tenant_id: string;
  display_name: string;
  created_at: string;
}

interface ResourceGroupsTable {
  subscription_id: string;
  name: string;
  location: string;
  created_at: string;
  /** JSON object of ARM resource tags (0007). */
  tags: Generated<string>;
}

interface IdentitiesTable {
  object_id: string;
  tenant_id: string;
  /** User | ServicePrincipal | ManagedIdentity */
  type: string;
  /** Client id of a service principal or managed identity. */
  app_id: string | null;
  display_name: string;
  /** Sign-in name of a user. */
  user_name: string | null;
  /** scrypt hash of a user's password. */
  password_hash: string | null;
  created_at: string;
}

interface ClientSecretsTable {
  key_id: string;
  object_id: string;
  display_name: string;
  hint: string;
  hash: string;
  start_at: string;
  end_at: string;
  created_at: string;
}

interface RoleAssignmentsTable {
  id: string;
  scope: string;
  role_name: string;
  principal_id: string;
  principal_type: string;
  created_at: string;
}

interface AdminPasswordsTable {
  registry: string;
  /** password | password2 */
  name: string;
  hash: string;
  /** The value sealed with the server's master key: ARM listCredentials shows it again. */
  sealed_value: string;
  created_at: string;
}

interface ScopeMapsTable {
  registry: string;
  name: string;
  description: string;
  /** JSON array of action strings. */
  actions: string;
  created_at: string;
  updated_at: string;
}

interface RepositoryTokensTable {
  registry: string;
  name: string;
  scope_map: string;
  status: string;
  created_at: string;
  updated_at: string;
}

interface TokenPasswordsTable {
  registry: string;
  token: string;
  /** password1 | password2 */
  name: string;
  hash: string;
  created_at: string;
  expires_at: string | null;
}

interface SigningKeysTable {
  kid: string;
  algorithm: string;
  public_jwk: string;
  sealed_private_key: string;
  created_at: string;
  retired_at: string | null;
}

interface LoginEventsTable {
  id: Generated<number>;
  time_generated: string;
  registry: string;
  login_server: string;
  caller_ip: string;
  correlation_id: string;
  duration_ms: number;
  identity: string;
  identity_type: string;
  jwt_id: string | null;
  operation_name: string;
  result_type: string;
  result_description: string;
  reason: string;
  user_agent: string;
  tenant_id: string | null;
  region: string;
  /** Since 0004: the private endpoint listener (`address:port`) the request arrived at. */
  listener: string | null;
  /** Since 0005: how many requests the row stands for (coalesced failures); 1 for one request. */
  event_count: Generated<number>;
  /** Since 0009: the reason's message key and its values (JSON); null before, or for a free-text reason. */
  reason_key: string | null;
  reason_values: string | null;
}

interface RepositoryEventsTable {
  id: Generated<number>;
  time_generated: string;
  registry: string;
  login_server: string;
  caller_ip: string;
  correlation_id: string;
  duration_ms: number;
  identity: string;
  identity_type: string;
  operation_name: string;
  repository: string;
  tag: string | null;
  digest: string | null;
  media_type: string | null;
  artifact_type: string | null;
  size: number | string | null;
  result_type: string;
  result_description: string;
  reason: string;
  user_agent: string;
  user_tenant_id: string | null;
  region: string;
  /** Since 0004: the private endpoint listener (`address:port`) the request arrived at. */
  listener: string | null;
  /** Since 0005: how many requests the row stands for (coalesced failures); 1 for one request. */
  event_count: Generated<number>;
  /** Since 0009: the reason's message key and its values (JSON); null before, or for a free-text reason. */
  reason_key: string | null;
  reason_values: string | null;
}

interface TablesV2 {
  registries: RegistriesTable & RegistryAccessColumns;
  repositories: RepositoriesTable & ChangeableColumns;
  manifests: ManifestsTable & ChangeableColumns;
  tags: TagsTable & ChangeableColumns & { created_at: Generated<string> };
  tenants: TenantsTable;
  subscriptions: SubscriptionsTable;
  resource_groups: ResourceGroupsTable;
  identities: IdentitiesTable;
  client_secrets: ClientSecretsTable;
  role_assignments: RoleAssignmentsTable;
  admin_passwords: AdminPasswordsTable;
  scope_maps: ScopeMapsTable;
  repository_tokens: RepositoryTokensTable;
  token_passwords: TokenPasswordsTable;
  signing_keys: SigningKeysTable;
  login_events: LoginEventsTable;
  repository_events: RepositoryEventsTable;
}

// ---- 0003: network access (settings, virtual networks, private endpoints, replications, providers)

interface RegistryNetworksTable {
  registry: string;
  public_network_access: string;
  default_action: string;
  bypass: string;
  data_endpoint_enabled: number;
  updated_at: string;
}

interface RegistryNetworkRulesTable {
  registry: string;
  /** ip | vnet */
  kind: string;
  /** Order within (registry, kind), from 0. */
  position: number;
  /** IPv4 address or CIDR (ip), lower-case subnet id (vnet). */
  value: string;
}

interface VirtualNetworksTable {
  /** Lower-case ARM id. */
  id: string;
  subscription_id: string;
  resource_group: string;
  name: string;
  location: string;
  /** JSON array of CIDRs. */
  address_prefixes: string;
  /** JSON object of ARM resource tags. */
  tags: string;
  created_at: string;
}

interface SubnetsTable {
  /** Lower-case ARM id. */
  id: string;
  vnet_id: string;
  name: string;
  /** JSON array of CIDRs. */
  address_prefixes: string;
  /** JSON array of service names. */
  service_endpoints: string;
}

interface PrivateEndpointsTable {
  /** Lower-case ARM id. */
  id: string;
  subscription_id: string;
  resource_group: string;
  name: string;
  location: string;
  subnet_id: string;
  address: string;
  port: number;
  registry: string;
  connection_name: string;
  /** lower(connection_name), unique per registry. */
  connection_key: string;
  manual: number;
  request_message: string;
  status: string;
  status_description: string;
  created_at: string;
}

/** ---- 0007: tags of replications (keyed like `replications`, the home replication included). */
interface ReplicationTagsTable {
  registry: string;
  name_key: string;
  /** JSON object of ARM resource tags. */
  tags: string;
}

interface ReplicationsTable {
  registry: string;
  /** lower(name): ARM names are case-insensitive. */
  name_key: string;
  name: string;
  location: string;
  region_endpoint_enabled: number;
  created_at: string;
}

interface ProviderRegistrationsTable {
  /** Lower case. */
  subscription_id: string;
  /** lower(namespace). */
  namespace_key: string;
  state: string;
  updated_at: string;
}

interface TrustedServicesTable {
  /** Lower case. */
  subscription_id: string;
  name_key: string;
  name: string;
  principal_id: string;
  service_type: string;
  created_at: string;
}

interface TablesV3 {
  registry_networks: RegistryNetworksTable;
  registry_network_rules: RegistryNetworkRulesTable;
  virtual_networks: VirtualNetworksTable;
  subnets: SubnetsTable;
  private_endpoints: PrivateEndpointsTable;
  replications: ReplicationsTable;
  replication_tags: ReplicationTagsTable;
  provider_registrations: ProviderRegistrationsTable;
  trusted_services: TrustedServicesTable;
}

// ---- 0006: directory roles and application owners (who may change the directory)

interface DirectoryRoleMembersTable {
  object_id: string;
  /** Entra's role template id (Global Administrator, Application Administrator, …). */
  role_id: string;
  created_at: string;
}

interface ApplicationOwnersTable {
  /** Object id of the application (its service principal: one object in Wharf). */
  app_object_id: string;
  owner_object_id: string;
  created_at: string;
}

interface TablesV6 {
  directory_role_members: DirectoryRoleMembersTable;
  application_owners: ApplicationOwnersTable;
}

/** Every table, as of the latest migration. */
export type Database = CoreTables & TablesV2 & TablesV3 & TablesV6;
