/**
 * Schema migrations, one list for every dialect. Kysely's Migrator keeps track of what ran
 * (in kysely_migration) and takes a lock, so several nodes starting at once on one
 * PostgreSQL apply each migration exactly once.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

function migrationsFor(dialect: Dialect): Record<string, Migration> {
  const bytes = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  return {
    '0001_core': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('registries')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('login_server', 'text', (c) => c.unique())
          .addColumn('deletes_enabled', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('repositories')
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('repositories_pk', ['registry', 'name'])
          .execute();
        await db.schema
          .createTable('blobs')
          .addColumn('digest', 'text', (c) => c.primaryKey())
          .addColumn('size', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('repository_blobs')
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('repository', 'text', (c) => c.notNull())
          .addColumn('digest', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('repository_blobs_pk', ['registry', 'repository', 'digest'])
          .execute();
        await db.schema.createIndex('repository_blobs_digest').on('repository_blobs').column('digest').execute();
        await db.schema
          .createTable('manifests')
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('repository', 'text', (c) => c.notNull())
          .addColumn('digest', 'text', (c) => c.notNull())
          .addColumn('media_type', 'text', (c) => c.notNull())
          .addColumn('size', 'bigint', (c) => c.notNull())
          .addColumn('content', bytes, (c) => c.notNull())
          .addColumn('subject', 'text')
          .addColumn('artifact_type', 'text')
          .addColumn('annotations', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('manifests_pk', ['registry', 'repository', 'digest'])
          .execute();
        await db.schema.createIndex('manifests_subject').on('manifests').columns(['registry', 'repository', 'subject']).execute();
        await db.schema
          .createTable('manifest_references')
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('repository', 'text', (c) => c.notNull())
          .addColumn('digest', 'text', (c) => c.notNull())
          .addColumn('child_digest', 'text', (c) => c.notNull())
          .addColumn('child_kind', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('manifest_references_pk', ['registry', 'repository', 'digest', 'child_digest'])
          .execute();
        await db.schema.createIndex('manifest_references_child').on('manifest_references').columns(['registry', 'repository', 'child_digest']).execute();
        await db.schema
          .createTable('tags')
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('repository', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('digest', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('tags_pk', ['registry', 'repository', 'name'])
          .execute();
        await db.schema.createIndex('tags_digest').on('tags').columns(['registry', 'repository', 'digest']).execute();
        await db.schema
          .createTable('uploads')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('repository', 'text', (c) => c.notNull())
          .addColumn('size', 'bigint', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0002_identity_access_audit': {
      async up(db: Kysely<unknown>) {
        const text = (table: string, column: string, fallback: string) =>
          db.schema
            .alterTable(table)
            .addColumn(column, 'text', (c) => c.notNull().defaultTo(fallback))
            .execute();
        const flag = (table: string, column: string, fallback: 0 | 1) =>
          db.schema
            .alterTable(table)
            .addColumn(column, 'integer', (c) => c.notNull().defaultTo(fallback))
            .execute();
        // Placement in the ARM hierarchy; the defaults are the scaffolding created on first start.
        await text('registries', 'subscription_id', '00000000-0000-0000-0000-000000000001');
        await text('registries', 'resource_group', 'wharf');
        await text('registries', 'location', 'local');
        await text('registries', 'sku', 'Premium');
        await flag('registries', 'admin_user_enabled', 0);
        await flag('registries', 'anonymous_pull_enabled', 0);
        await text('registries', 'tags', '{}');
        await text('registries', 'updated_at', '');
        for (const table of ['repositories', 'manifests', 'tags']) {
          for (const column of ['read_enabled', 'write_enabled', 'delete_enabled', 'list_enabled']) await flag(table, column, 1);
          // tags.updated_at exists since 0001 (the time the tag last moved).
          if (table !== 'tags') await text(table, 'updated_at', '');
        }
        await text('tags', 'created_at', '');

        await db.schema
          .createTable('tenants')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('subscriptions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('resource_groups')
          .addColumn('subscription_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('location', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('resource_groups_pk', ['subscription_id', 'name'])
          .execute();
        await db.schema
          .createTable('identities')
          .addColumn('object_id', 'text', (c) => c.primaryKey())
          .addColumn('tenant_id', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('app_id', 'text', (c) => c.unique())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('user_name', 'text', (c) => c.unique())
          .addColumn('password_hash', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('client_secrets')
          .addColumn('key_id', 'text', (c) => c.primaryKey())
          .addColumn('object_id', 'text', (c) => c.notNull())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('hint', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addColumn('start_at', 'text', (c) => c.notNull())
          .addColumn('end_at', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('client_secrets_object').on('client_secrets').column('object_id').execute();
        await db.schema
          .createTable('role_assignments')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('role_name', 'text', (c) => c.notNull())
          .addColumn('principal_id', 'text', (c) => c.notNull())
          .addColumn('principal_type', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('role_assignments_principal').on('role_assignments').column('principal_id').execute();
        await db.schema
          .createTable('admin_passwords')
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addColumn('sealed_value', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('admin_passwords_pk', ['registry', 'name'])
          .execute();
        await db.schema
          .createTable('scope_maps')
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('actions', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('scope_maps_pk', ['registry', 'name'])
          .execute();
        await db.schema
          .createTable('repository_tokens')
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('scope_map', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('repository_tokens_pk', ['registry', 'name'])
          .execute();
        await db.schema
          .createTable('token_passwords')
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('token', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .addPrimaryKeyConstraint('token_passwords_pk', ['registry', 'token', 'name'])
          .execute();
        await db.schema
          .createTable('signing_keys')
          .addColumn('kid', 'text', (c) => c.primaryKey())
          .addColumn('algorithm', 'text', (c) => c.notNull())
          .addColumn('public_jwk', 'text', (c) => c.notNull())
          .addColumn('sealed_private_key', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('retired_at', 'text')
          .execute();
        const serial = dialect === 'postgres' ? sql`bigserial` : sql`integer`;
        const auditColumns = (table: string) =>
          db.schema
            .createTable(table)
            .addColumn('id', serial, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
            .addColumn('time_generated', 'text', (c) => c.notNull())
            .addColumn('registry', 'text', (c) => c.notNull())
            .addColumn('login_server', 'text', (c) => c.notNull())
            .addColumn('caller_ip', 'text', (c) => c.notNull())
            .addColumn('correlation_id', 'text', (c) => c.notNull())
            .addColumn('duration_ms', 'integer', (c) => c.notNull())
            .addColumn('identity', 'text', (c) => c.notNull())
            .addColumn('identity_type', 'text', (c) => c.notNull())
            .addColumn('operation_name', 'text', (c) => c.notNull())
            .addColumn('result_type', 'text', (c) => c.notNull())
            .addColumn('result_description', 'text', (c) => c.notNull())
            .addColumn('reason', 'text', (c) => c.notNull())
            .addColumn('user_agent', 'text', (c) => c.notNull())
            .addColumn('region', 'text', (c) => c.notNull());
        await auditColumns('login_events').addColumn('jwt_id', 'text').addColumn('tenant_id', 'text').execute();
        await auditColumns('repository_events')
          .addColumn('repository', 'text', (c) => c.notNull())
          .addColumn('tag', 'text')
          .addColumn('digest', 'text')
          .addColumn('media_type', 'text')
          .addColumn('artifact_type', 'text')
          .addColumn('size', 'bigint')
          .addColumn('user_tenant_id', 'text')
          .execute();
        for (const table of ['login_events', 'repository_events']) {
          await db.schema.createIndex(`${table}_time`).on(table).columns(['registry', 'time_generated']).execute();
          await db.schema.createIndex(`${table}_correlation`).on(table).column('correlation_id').execute();
        }
      },
    },
    '0003_network': {
      async up(db: Kysely<unknown>) {
        // One row per registry that saved network settings; no row means the defaults.
        await db.schema
          .createTable('registry_networks')
          .addColumn('registry', 'text', (c) => c.primaryKey())
          .addColumn('public_network_access', 'text', (c) => c.notNull())
          .addColumn('default_action', 'text', (c) => c.notNull())
          .addColumn('bypass', 'text', (c) => c.notNull())
          .addColumn('data_endpoint_enabled', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        // IP rules (kind 'ip') and virtual network rules (kind 'vnet'), in the order saved.
        await db.schema
          .createTable('registry_network_rules')
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('registry_network_rules_pk', ['registry', 'kind', 'position'])
          .execute();
        await db.schema
          .createTable('virtual_networks')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('subscription_id', 'text', (c) => c.notNull())
          .addColumn('resource_group', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('location', 'text', (c) => c.notNull())
          .addColumn('address_prefixes', 'text', (c) => c.notNull())
          .addColumn('tags', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('subnets')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('vnet_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('address_prefixes', 'text', (c) => c.notNull())
          .addColumn('service_endpoints', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('subnets_vnet').on('subnets').column('vnet_id').execute();
        await db.schema
          .createTable('private_endpoints')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('subscription_id', 'text', (c) => c.notNull())
          .addColumn('resource_group', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('location', 'text', (c) => c.notNull())
          .addColumn('subnet_id', 'text', (c) => c.notNull())
          .addColumn('address', 'text', (c) => c.notNull())
          .addColumn('port', 'integer', (c) => c.notNull())
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('connection_name', 'text', (c) => c.notNull())
          // lower(connection_name): ARM names are case-insensitive.
          .addColumn('connection_key', 'text', (c) => c.notNull())
          .addColumn('manual', 'integer', (c) => c.notNull())
          .addColumn('request_message', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('status_description', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('private_endpoints_listener', ['address', 'port'])
          .addUniqueConstraint('private_endpoints_connection', ['registry', 'connection_key'])
          .execute();
        await db.schema.createIndex('private_endpoints_subnet').on('private_endpoints').column('subnet_id').execute();
        await db.schema
          .createTable('replications')
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('name_key', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('location', 'text', (c) => c.notNull())
          .addColumn('region_endpoint_enabled', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('replications_pk', ['registry', 'name_key'])
          .execute();
        await db.schema
          .createTable('provider_registrations')
          .addColumn('subscription_id', 'text', (c) => c.notNull())
          .addColumn('namespace_key', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('provider_registrations_pk', ['subscription_id', 'namespace_key'])
          .execute();
        await db.schema
          .createTable('trusted_services')
          // A trusted service belongs to one subscription (it passes only that subscription's registries).
          .addColumn('subscription_id', 'text', (c) => c.notNull())
          .addColumn('name_key', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('principal_id', 'text', (c) => c.notNull())
          .addColumn('service_type', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('trusted_services_pk', ['subscription_id', 'name_key'])
          .execute();
      },
    },
    '0004_audit_listener': {
      async up(db: Kysely<unknown>) {
        // The private endpoint listener a request arrived at, so `wharf diagnose` can replay it.
        for (const table of ['login_events', 'repository_events']) {
          await db.schema.alterTable(table).addColumn('listener', 'text').execute();
        }
      },
    },
    '0005_audit_event_count': {
      async up(db: Kysely<unknown>) {
        // How many refused requests a row stands for: floods of failures are coalesced (audit/failure-coalescer.ts).
        for (const table of ['login_events', 'repository_events']) {
          await db.schema
            .alterTable(table)
            .addColumn('event_count', 'integer', (c) => c.notNull().defaultTo(1))
            .execute();
        }
      },
    },
    '0006_directory_roles': {
      async up(db: Kysely<unknown>) {
        // Changing the directory needs a directory-level right, never a subscription role.
        await db.schema
          .createTable('directory_role_members')
          .addColumn('object_id', 'text', (c) => c.notNull())
          .addColumn('role_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('directory_role_members_pk', ['object_id', 'role_id'])
          .execute();
        await db.schema
          .createTable('application_owners')
          .addColumn('app_object_id', 'text', (c) => c.notNull())
          .addColumn('owner_object_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('application_owners_pk', ['app_object_id', 'owner_object_id'])
          .execute();
        await db.schema.createIndex('application_owners_owner').on('application_owners').column('owner_object_id').execute();
      },
    },
    '0007_migration_versions': {
      async up(db: Kysely<unknown>) {
        // Which Wharf applied each migration (schema-versions.ts), from this one on.
        await db.schema
          .createTable('wharf_migration_versions')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('wharf_version', 'text', (c) => c.notNull())
          .addColumn('applied_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0008_resource_tags': {
      async up(db: Kysely<unknown>) {
        // ARM tags of resource groups, and of replications, the home one included (which has no row in `replications`).
        await db.schema
          .alterTable('resource_groups')
          .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
          .execute();
        await db.schema
          .createTable('replication_tags')
          .addColumn('registry', 'text', (c) => c.notNull())
          .addColumn('name_key', 'text', (c) => c.notNull())
          .addColumn('tags', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('replication_tags_pk', ['registry', 'name_key'])
          .execute();
      },
    },
    '0009_audit_reason_keys': {
      async up(db: Kysely<unknown>) {
        // The decision's reason as a message key and values beside its English text, so `wharf logs` and diagnose show it in the reader's language.
        for (const table of ['login_events', 'repository_events']) {
          await db.schema.alterTable(table).addColumn('reason_key', 'text').execute();
          await db.schema.alterTable(table).addColumn('reason_values', 'text').execute();
        }
      },
    },
  };
}

/** The names of the migrations this code knows, in order. */
export function knownMigrations(dialect: Dialect): string[] {
  return Object.keys(migrationsFor(dialect)).sort();
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => migrationsFor(dialect) };
}
