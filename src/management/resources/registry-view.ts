/**
 * A registry as ARM shows it (Registry, api-version 2023-07-01 and later), and the rules for
 * its name and SKU. The login server is the address clients use (kernel/config.ts loginServerOf),
 * always lower-case, with a port unless clients reach Wharf on 443.
 */
import { registryResourceId } from '../../access/roles.js';
import { loginServerOf, type LoginServerSettings } from '../../kernel/config.js';
import type { RegistryRecord, RegistrySku } from '../../storage/metadata/store.js';
import { registryNetworkJson, type RegistryNetworkState } from '../network/network-views.js';
import { encryptionOf, fixedPropertiesOf, policiesOf } from '../../domain/registry-fixed-properties.js';
import { REGISTRY_TYPE } from './lookup.js';
export { validNewRegistryName, registryDnsNameOf } from '../../domain/registry-names.js';

/**
 * ACR allows 5 to 50 letters and digits; Wharf also allows 2 to 4 (its configuration always
 * has), and keeps names lower-case, since they are host names.
 */
const REGISTRY_NAME = /^[a-zA-Z0-9]{2,50}$/;

export function validRegistryName(name: string): boolean {
  return REGISTRY_NAME.test(name);
}

const SKUS: RegistrySku[] = ['Basic', 'Standard', 'Premium'];

/** The SKU named in a request (any case), or undefined. */
export function parseSku(name: string): RegistrySku | undefined {
  return SKUS.find((s) => s.toLowerCase() === name.toLowerCase());
}

/** What ARM shows as `loginServer`: the address clients use, with its port unless it is 443 (see loginServerOf). */
export function loginServerOfRecord(registry: RegistryRecord, settings: LoginServerSettings): string {
  return loginServerOf(registry, settings);
}

/** `network`: the registry's network settings, replications and private endpoints (registry-network.ts loads them). */
export function registryJson(registry: RegistryRecord, settings: LoginServerSettings, network: RegistryNetworkState): Record<string, unknown> {
  return {
    id: registryResourceId(registry),
    name: registry.name,
    type: REGISTRY_TYPE,
    location: registry.location,
    tags: registry.tags,
    sku: { name: registry.sku, tier: registry.sku },
    systemData: { createdAt: registry.createdAt, lastModifiedAt: registry.updatedAt },
    properties: {
      loginServer: loginServerOfRecord(registry, settings),
      creationDate: registry.createdAt,
      provisioningState: 'Succeeded',
      adminUserEnabled: registry.adminUserEnabled,
      anonymousPullEnabled: registry.anonymousPullEnabled,
      ...registryNetworkJson(registry, network, settings.domain),
      ...fixedPropertiesOf(registry),
      policies: policiesOf(registry),
      encryption: encryptionOf(registry),
    },
  };
}
