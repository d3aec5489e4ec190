/**
 * `--vnet` (az acr check-health's private endpoint check): for the registry's private endpoint in that virtual
 * network, every name it serves (login server, data endpoints) must resolve to the endpoint's
 * private address; otherwise clients in the network go to the public endpoint (and meet its
 * firewall) or nowhere.
 */
import { ApiError, type ManagementClient } from '../management-client.js';
import type { PrivateEndpoint } from '../network-resources.js';
import type { HealthContext, RegistryTarget } from './context.js';
import { resolveHost } from './probes/dns.js';
import { factsOf } from './private-endpoint-facts.js';
import { sudoPrefix } from './privilege.js';

function inVnet(endpoint: PrivateEndpoint, vnet: string): boolean {
  const subnet = (endpoint.properties?.subnet?.id ?? '').toLowerCase();
  const wanted = vnet.toLowerCase();
  if (wanted.startsWith('/subscriptions/')) return subnet.startsWith(`${wanted.replace(/\/$/, '')}/subnets/`);
  return subnet.includes(`/virtualnetworks/${wanted}/subnets/`);
}

export async function checkPrivateEndpointDns(context: HealthContext, client: ManagementClient, target: RegistryTarget, vnet: string): Promise<void> {
  const { t, log } = context;
  const fail = (cause: string) =>
    log.fail({
      check: 'private-endpoint',
      code: 'PRIVATE_ENDPOINT_DNS_ERROR',
      message: t('peDnsFailed', { registry: target.name }),
      cause,
      fix: t('peMissingFix', { registry: target.name, vnet }),
    });
  if (target.privateEndpointIds.length === 0) throw fail(t('peNoneCause', { registry: target.name }));
  const endpoints: PrivateEndpoint[] = [];
  for (const id of target.privateEndpointIds) {
    try {
      endpoints.push(await client.get<PrivateEndpoint>(id));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }
  const here = endpoints.filter((e) => inVnet(e, vnet));
  if (here.length === 0) throw fail(t('peNotInVnetCause', { registry: target.name, vnet }));
  if (here.length > 1) throw fail(t('peSeveralCause', { registry: target.name, vnet, endpoints: here.map((e) => e.name).join(', ') }));
  const endpoint = here[0]!;
  const connection = target.privateEndpointConnections.find((c) => c.endpointId.toLowerCase() === endpoint.id.toLowerCase());
  const facts = factsOf(endpoint, connection);
  if (facts.status !== 'Approved') {
    // No DNS record helps before the connection is approved: the endpoint refuses every request.
    const command = `wharf private-endpoint-connection approve -r ${target.name} -n ${facts.connection}`;
    throw log.fail({
      check: 'private-endpoint',
      code: 'PRIVATE_ENDPOINT_CONNECTION_ERROR',
      message: t('peConnectionError', { endpoint: endpoint.name, registry: target.name, status: facts.status }),
      cause: t('peConnectionVnetCause', { endpoint: endpoint.name, registry: target.name, status: facts.status, vnet }),
      fix: t('peApproveFix', { command, registry: target.name, connection: facts.connection }),
      commands: [command],
      details: { privateEndpoint: endpoint.id, connection: facts.connection, connectionStatus: facts.status },
    });
  }
  // A data endpoint's name matters only while data endpoints are on (blobs come from the login server otherwise).
  const served = new Set([target.host, ...target.dataHosts]);
  const wrong: { fqdn: string; expected: string; actual: string }[] = [];
  for (const config of endpoint.properties?.customDnsConfigs ?? []) {
    const fqdn = config.fqdn?.toLowerCase().replace(/:\d+$/, '');
    const expected = config.ipAddresses?.[0];
    if (!fqdn || !expected || !served.has(fqdn)) continue;
    const resolved = await resolveHost(fqdn, context.timeoutMs);
    const actual = resolved.ok ? resolved.addresses[0]! : t('unresolved', { code: resolved.code });
    if (resolved.ok && resolved.addresses.includes(expected)) {
      log.ok('private-endpoint', t('peDnsOk', { fqdn, address: expected, endpoint: endpoint.name }));
    } else {
      log.info('private-endpoint', t('peDnsWrongLine', { registry: target.name, fqdn, expected, actual }));
      wrong.push({ fqdn, expected, actual });
    }
  }
  if (wrong.length === 0) return;
  const first = wrong[0]!;
  throw log.fail({
    check: 'private-endpoint',
    code: 'PRIVATE_ENDPOINT_DNS_ERROR',
    message: t('peDnsFailed', { registry: target.name }),
    cause: t('peDnsWrongCause', { fqdn: first.fqdn, actual: first.actual, expected: first.expected, endpoint: endpoint.name, vnet }),
    fix: t('peDnsFix', { registry: target.name, records: wrong.map((w) => `${w.expected} ${w.fqdn}`).join('; '), sudo: sudoPrefix(context.env) }),
    commands: [`wharf private-dns -n ${target.name} --format hosts | ${sudoPrefix(context.env)}tee -a /etc/hosts`],
    details: { privateEndpoint: endpoint.id, mismatches: wrong },
  });
}
