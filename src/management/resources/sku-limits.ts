/** ACR's per-SKU limits that Wharf enforces or reports (reference/acr.md §2.4). */
import type { RegistrySku } from '../../storage/metadata/store.js';

export interface SkuLimits {
  scopeMaps: number;
  tokens: number;
  actionsPerScopeMap: number;
  ipRules: number;
  virtualNetworkRules: number;
  privateEndpointConnections: number;
}

export const SKU_LIMITS: Record<RegistrySku, SkuLimits> = {
  Basic: { scopeMaps: 100, tokens: 100, actionsPerScopeMap: 500, ipRules: 0, virtualNetworkRules: 0, privateEndpointConnections: 0 },
  Standard: { scopeMaps: 500, tokens: 500, actionsPerScopeMap: 500, ipRules: 0, virtualNetworkRules: 0, privateEndpointConnections: 0 },
  Premium: { scopeMaps: 50_000, tokens: 50_000, actionsPerScopeMap: 500, ipRules: 200, virtualNetworkRules: 100, privateEndpointConnections: 200 },
};
