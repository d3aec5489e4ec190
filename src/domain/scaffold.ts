/**
 * The ARM scaffolding one Wharf installation lives in: a tenant, a subscription and a resource
 * group, created on first start with random ids (as Azure's are) and kept from then on.
 * Registries from the configuration are placed in this resource group.
 */
import { randomUUID } from 'node:crypto';
import type { MetadataStore } from '../storage/metadata/store.js';

export interface ArmDefaults {
  tenantId: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
}

const DEFAULT_RESOURCE_GROUP = 'wharf';
const DEFAULT_LOCATION = 'local';

export async function ensureScaffold(store: MetadataStore): Promise<ArmDefaults> {
  const tenant = (await store.scaffold.tenants())[0] ?? (await store.scaffold.ensureTenant({ id: randomUUID(), displayName: 'Wharf' }));
  const subscription =
    (await store.scaffold.subscriptions()).find((s) => s.tenantId === tenant.id) ??
    (await store.scaffold.ensureSubscription({ id: randomUUID(), tenantId: tenant.id, displayName: 'Wharf' }));
  await store.scaffold.ensureResourceGroup({ subscriptionId: subscription.id, name: DEFAULT_RESOURCE_GROUP, location: DEFAULT_LOCATION });
  return { tenantId: tenant.id, subscriptionId: subscription.id, resourceGroup: DEFAULT_RESOURCE_GROUP, location: DEFAULT_LOCATION };
}
