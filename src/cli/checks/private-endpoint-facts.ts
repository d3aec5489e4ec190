/**
 * The registry's private endpoints as the management API shows them, for the checks that must
 * name one: where each listens (Wharf's `listener` property), the state of its connection to
 * the registry, and a listener that failed to bind (provisioningState Failed with the server's
 * own cause). Loaded once per run, only when a check needs it; an identity that may not read
 * the endpoints gets none (the checks then say what they can without them).
 */
import { ApiError, type ManagementClient } from '../management-client.js';
import type { PrivateEndpoint } from '../network-resources.js';
import type { EndpointFacts, RegistryTarget } from './context.js';

type Listener = { address?: string; port?: number };

export function factsOf(endpoint: PrivateEndpoint, connection: { name: string; status: string } | undefined): EndpointFacts {
  const props = endpoint.properties ?? {};
  const listener = (props.listener ?? {}) as Listener;
  const error = props.error as { code?: string; message?: string } | undefined;
  const own = [...(props.privateLinkServiceConnections ?? []), ...(props.manualPrivateLinkServiceConnections ?? [])][0];
  return {
    id: endpoint.id,
    name: endpoint.name,
    address: listener.address,
    port: typeof listener.port === 'number' ? listener.port : undefined,
    connection: connection?.name ?? own?.name ?? endpoint.name,
    status: connection?.status ?? own?.properties?.privateLinkServiceConnectionState?.status ?? 'Unknown',
    listenerError: props.provisioningState === 'Failed' ? (error?.message ?? error?.code ?? 'Failed') : undefined,
    dnsConfigs: (props.customDnsConfigs ?? [])
      .filter((c) => c.fqdn && c.ipAddresses?.[0])
      .map((c) => ({ fqdn: c.fqdn!.toLowerCase().replace(/:\d+$/, ''), address: c.ipAddresses![0]! })),
  };
}

/** A loader that asks the management API once, on first use. */
export function endpointLoader(client: ManagementClient, target: RegistryTarget): () => Promise<EndpointFacts[]> {
  let loaded: Promise<EndpointFacts[]> | undefined;
  return () => (loaded ??= load(client, target));
}

async function load(client: ManagementClient, target: RegistryTarget): Promise<EndpointFacts[]> {
  const facts: EndpointFacts[] = [];
  for (const connection of target.privateEndpointConnections) {
    try {
      facts.push(factsOf(await client.get<PrivateEndpoint>(connection.endpointId), connection));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }
  return facts;
}

/** The endpoint whose listener is address:port. */
export function endpointAt(facts: EndpointFacts[], address: string | undefined, port: number): EndpointFacts | undefined {
  if (!address) return undefined;
  return facts.find((f) => f.address === address && f.port === port);
}
