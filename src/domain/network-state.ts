/** A registry's network state as the domain services and the ARM views read it. */
import type { PrivateEndpointRecord, RegistryNetworkSettings, ReplicationRecord } from '../storage/metadata/network-records.js';

/** Connections the registry side shows: a Disconnected one is gone from it (its endpoint keeps the state). */
export function activeConnections(endpoints: PrivateEndpointRecord[]): PrivateEndpointRecord[] {
  return endpoints.filter((e) => e.status !== 'Disconnected');
}

export interface RegistryNetworkState {
  settings: RegistryNetworkSettings;
  replications: ReplicationRecord[];
  /** The registry's private endpoints (every state). */
  endpoints: PrivateEndpointRecord[];
}
