/** What every health check runs with, and the registry it checks. */
import type { Language } from '../../i18n/index.js';
import type { FindingLog } from './finding-log.js';
import type { HealthTranslate } from './messages/health-messages.js';

export interface HealthContext {
  t: HealthTranslate;
  language: Language;
  log: FindingLog;
  /** Deadline of each network step (DNS, connect, TLS, one HTTP exchange). */
  timeoutMs: number;
  /** Proxy variables are read from here. */
  env: NodeJS.ProcessEnv;
  /** PEM of the CA the client trusts (the profile's --ca-file); undefined: Node's default store. */
  ca?: string;
  caFile?: string;
  /** The registry's private endpoints from the management API (loaded on first use); absent without one. */
  endpoints?: () => Promise<EndpointFacts[]>;
}

/** The registry as the client reaches it. */
export interface RegistryTarget {
  /** Registry name (ARM). */
  name: string;
  /** ARM id, when known. */
  id?: string;
  /** Login server host, no port. */
  host: string;
  port: number;
  scheme: 'https' | 'http';
  /** host, or host:port when the port is not the scheme's default. */
  authority: string;
  publicNetworkAccess?: string;
  /** Dedicated data endpoint host names (dataEndpointHostNames), no ports. */
  dataHosts: string[];
  /** The server's own address as the profile names it, for hints (e.g. an /etc/hosts line). */
  serverAddress?: string;
  privateEndpointIds: string[];
  /** The registry side of its private endpoint connections: name, endpoint and state. */
  privateEndpointConnections: { name: string; endpointId: string; status: string }[];
}

export function authorityOf(host: string, port: number, scheme: 'https' | 'http'): string {
  return port === (scheme === 'https' ? 443 : 80) ? host : `${host}:${port}`;
}

/** A private endpoint of the registry, as the management API describes it (see private-endpoint-facts.ts). */
export interface EndpointFacts {
  id: string;
  name: string;
  /** Where its listener is (address, port), when the server says. */
  address?: string;
  port?: number;
  /** The registry side's connection name (what `private-endpoint-connection approve -n` takes). */
  connection: string;
  /** Approved, Pending, Rejected, Disconnected. */
  status: string;
  /** The server's cause of a listener that does not listen (e.g. the port is in use). */
  listenerError?: string;
  /** The full DNS names it serves, with the address each should resolve to. */
  dnsConfigs: { fqdn: string; address: string }[];
}
