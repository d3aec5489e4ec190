/** ACR's per-SKU limits that Wharf enforces or reports. */
import type { RegistrySku } from '../storage/metadata/store.js';

interface SkuLimits {
  /** Included storage, bytes. */
  storageBytes: number;
  scopeMaps: number;
  tokens: number;
  actionsPerScopeMap: number;
  ipRules: number;
  virtualNetworkRules: number;
  privateEndpointConnections: number;
}

const GIB = 1024 ** 3;

export const SKU_LIMITS: Record<RegistrySku, SkuLimits> = {
  Basic: { storageBytes: 10 * GIB, scopeMaps: 100, tokens: 100, actionsPerScopeMap: 500, ipRules: 0, virtualNetworkRules: 0, privateEndpointConnections: 0 },
  Standard: {
    storageBytes: 100 * GIB,
    scopeMaps: 500,
    tokens: 500,
    actionsPerScopeMap: 500,
    ipRules: 0,
    virtualNetworkRules: 0,
    privateEndpointConnections: 0,
  },
  Premium: {
    storageBytes: 500 * GIB,
    scopeMaps: 50_000,
    tokens: 50_000,
    actionsPerScopeMap: 500,
    ipRules: 200,
    virtualNetworkRules: 100,
    privateEndpointConnections: 200,
  },
};
