/**
 * The network gate through the wire, rules configured over ARM as az and the Azure SDK do:
 * ACR's 403 on every data-plane endpoint (/v2/, /oauth2/token, /oauth2/exchange, /acr/v1,
 * data endpoint hosts) for addresses the rules deny, with a 'Network' login event naming the
 * decision; IP rules by source address (undici binding 127.0.0.2 / 127.0.0.3); public network
 * access Disabled; X-Forwarded-For believed only from configured proxies; private endpoint
 * listeners on their own loopback address, with their connection states; a trusted service's
 * managed identity passing a denial only while bypass is AzureServices.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import type { HttpResponse, RequestOptions } from '../helpers/http.js';
import { request } from '../helpers/http.js';
import { ROLE, WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';
import { eventually } from '../helpers/eventually.js';

const HELP = 'docs/network-access.md#firewall';

function deniedBody(ip: string): string {
  return JSON.stringify({ errors: [{ code: 'DENIED', message: `client with IP '${ip}' is not allowed access. Refer ${HELP} to grant access.` }] });
}

function assertDenied(res: HttpResponse, ip: string, what: string): void {
  assert.equal(res.status, 403, `${what}: ${res.status} ${res.text()}`);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/, what);
  assert.equal(res.text(), deniedBody(ip), what);
}

/** An undici agent whose connections leave from `localAddress`; `anyName` skips the name check (other Host headers). */
function agentFrom(server: WharfServer, localAddress: string, anyName = false): Agent {
  const ca = readFileSync(server.caFile!, 'utf8');
  return new Agent({ localAddress, connect: { ca, ...(anyName ? { checkServerIdentity: () => undefined } : {}) }, keepAliveTimeout: 500 });
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

interface LoginRow {
  OperationName: string;
  CallerIpAddress: string;
  ResultType: string;
  ResultDescription: string;
  Reason: string;
  Identity: string;
}

describe('network gate: IP rules, public access, bypass, private endpoints', () => {
  let w: WharfServer;
  let admin: WharfAdmin;
  let from2: Agent;
  let from1: Agent;
  let password: string;
  let service: string;
  let region: string;
  /** The address of the approved private endpoint, once created. */
  let approvedAddress = '';

  const at = (agent: Agent, path: string, opts: RequestOptions = {}) => request(`${w.baseUrl}${path}`, { ...opts, dispatcher: agent });

  async function setRules(properties: Record<string, unknown>): Promise<void> {
    await admin.ok('PATCH', `${admin.registryId}?force=true`, { properties });
  }

  async function networkEvents(): Promise<LoginRow[]> {
    return (await admin.ok<{ value: LoginRow[] }>('GET', `${admin.registryId}/loginEvents?operationName=Network`)).value;
  }

  before(async () => {
    // 10.213.0.0/24: the subnet of the endpoint whose address this host does not have (last case).
    w = await startWharf({ secure: true, env: { WHARF_PRIVATE_ENDPOINT_RANGES: '127.0.0.0/8,10.213.0.0/24' } });
    admin = new WharfAdmin(w);
    const registry = await admin.ok<{ location: string }>('PATCH', admin.registryId, { sku: { name: 'Premium' } });
    region = registry.location.toLowerCase();
    password = await admin.enableAdmin();
    from1 = agentFrom(w, '127.0.0.1');
    from2 = agentFrom(w, '127.0.0.2');
    const challenge = (await w.request('/v2/')).headers['www-authenticate'] ?? '';
    service = /service="([^"]+)"/.exec(challenge)?.[1] ?? '';
    assert.ok(service, challenge);
  });
  after(async () => {
    await from1?.close();
    await from2?.close();
    await w?.stop();
  });

  it('with the default rules every address reaches authentication', async () => {
    assert.equal((await at(from2, '/v2/')).status, 401);
    assert.equal((await at(from1, '/v2/', { headers: { authorization: basic('wharf', password) } })).status, 200);
  });

  it("an IP rule admits 127.0.0.2; 127.0.0.1 gets ACR's 403 on every data-plane endpoint, and a Network login event", async () => {
    await setRules({ networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.2' }] }, networkRuleBypassOptions: 'None' });
    // Allowed: the request reaches authentication (401 challenge), and credentials work.
    assert.equal((await at(from2, '/v2/')).status, 401);
    assert.equal((await at(from2, '/v2/', { headers: { authorization: basic('wharf', password) } })).status, 200);
    assert.equal((await at(from2, '/acr/v1/_catalog', { headers: { authorization: basic('wharf', password) } })).status, 200);

    const scope = encodeURIComponent('repository:any/thing:pull');
    assertDenied(await at(from1, '/v2/'), '127.0.0.1', 'GET /v2/');
    assertDenied(await at(from1, '/v2/', { headers: { authorization: basic('wharf', password) } }), '127.0.0.1', 'GET /v2/ with credentials, bypass None');
    assertDenied(await at(from1, '/v2/_catalog'), '127.0.0.1', 'GET /v2/_catalog');
    assertDenied(await at(from1, `/oauth2/token?service=${service}&scope=${scope}`), '127.0.0.1', 'GET /oauth2/token');
    assertDenied(
      await at(from1, '/oauth2/token', {
        method: 'POST',
        headers: FORM,
        body: `grant_type=password&service=${service}&username=wharf&password=${encodeURIComponent(password)}`,
      }),
      '127.0.0.1',
      'POST /oauth2/token',
    );
    assertDenied(
      await at(from1, '/oauth2/exchange', { method: 'POST', headers: FORM, body: `grant_type=access_token&service=${service}&access_token=x` }),
      '127.0.0.1',
      'POST /oauth2/exchange',
    );
    assertDenied(await at(from1, '/acr/v1/_catalog'), '127.0.0.1', 'GET /acr/v1/_catalog');
    // A data endpoint host is gated too, before its own routing.
    const dataHost = agentFrom(w, '127.0.0.1', true);
    try {
      const res = await at(dataHost, '/docker/registry/v2/blobs/sha256/ab/abcd/data', { headers: { host: `wharf.${region}.data.localhost:${w.port}` } });
      assertDenied(res, '127.0.0.1', 'data endpoint');
    } finally {
      await dataHost.close();
    }
    // The other planes are not gated: this test's ARM calls come from 127.0.0.1 too.
    assert.equal((await at(from1, '/readyz')).status, 200);

    const rows = await eventually(async () => {
      const found = (await networkEvents()).filter((row) => row.CallerIpAddress === '127.0.0.1');
      assert.ok(found.length >= 8, `network events so far: ${found.length}`);
      return found;
    });
    for (const row of rows) {
      assert.equal(row.ResultType, 'Failed');
      assert.equal(row.ResultDescription, '403');
    }
    assert.ok(
      rows.some(
        (row) =>
          row.Reason ===
          "denied by the network rules of registry 'wharf': public network access Enabled, default action Deny, 1 IP rule, 0 virtual network rules; no rule matches 127.0.0.1 (public endpoint)",
      ),
      rows.map((r) => r.Reason).join('\n'),
    );
    assert.ok(!(await networkEvents()).some((row) => row.CallerIpAddress === '127.0.0.2'), 'allowed requests are not network events');
  });

  it('X-Forwarded-For is ignored from peers that are not trusted proxies', async () => {
    assertDenied(await at(from1, '/v2/', { headers: { 'x-forwarded-for': '127.0.0.2' } }), '127.0.0.1', 'XFF from an untrusted peer');
  });

  it('bypass AzureServices: credentials that are not a trusted service still get the 403 (never a 401)', async () => {
    await setRules({ networkRuleBypassOptions: 'AzureServices' });
    assertDenied(await at(from1, '/v2/', { headers: { authorization: basic('wharf', password) } }), '127.0.0.1', 'admin user');
    assertDenied(await at(from1, '/v2/', { headers: { authorization: basic('wharf', 'wrong') } }), '127.0.0.1', 'wrong password');
    assertDenied(
      await at(from1, '/oauth2/token', {
        method: 'POST',
        headers: FORM,
        body: `grant_type=password&service=${service}&username=wharf&password=${encodeURIComponent(password)}`,
      }),
      '127.0.0.1',
      'POST /oauth2/token',
    );
    assertDenied(await at(from1, '/v2/'), '127.0.0.1', 'no credentials: denied at once');
    await eventually(async () => {
      const reasons = (await networkEvents()).map((row) => row.Reason);
      assert.ok(
        reasons.some((reason) => /; the admin user 'wharf' is not a registered trusted service$/.test(reason)),
        reasons.join('\n'),
      );
    });
  });

  it("a trusted service's managed identity passes a denial while bypass is AzureServices, and only then", async () => {
    const identityPath = `/subscriptions/${admin.owner.subscriptionId}/resourceGroups/${admin.owner.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities`;
    const trusted = await admin.ok<{ properties: { clientId: string; principalId: string } }>('PUT', `${identityPath}/tasks-mi`, { location: 'local' });
    const stranger = await admin.ok<{ properties: { clientId: string; principalId: string } }>('PUT', `${identityPath}/other-mi`, { location: 'local' });
    await admin.assignRole(trusted.properties.principalId, ROLE.AcrPull);
    await admin.assignRole(stranger.properties.principalId, ROLE.AcrPull);
    await admin.ok('PUT', `/subscriptions/${admin.owner.subscriptionId}/providers/Wharf.Network/trustedServices/tasks`, {
      properties: { principalId: trusted.properties.principalId, serviceType: 'Tasks' },
    });
    await sleep(3200); // grants and trusted services are cached for up to 3 s

    const miToken = async (clientId: string) => {
      const res = await at(
        from1,
        `/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent('https://management.azure.com/')}&client_id=${clientId}`,
        {
          headers: { metadata: 'true' },
        },
      );
      assert.equal(res.status, 200, res.text());
      return res.json<{ access_token: string }>().access_token;
    };
    const exchange = (token: string) =>
      at(from1, '/oauth2/exchange', { method: 'POST', headers: FORM, body: `grant_type=access_token&service=${service}&access_token=${token}` });

    // Public access Disabled too: the trusted service still passes.
    await setRules({ publicNetworkAccess: 'Disabled', networkRuleBypassOptions: 'AzureServices' });
    const exchanged = await exchange(await miToken(trusted.properties.clientId));
    assert.equal(exchanged.status, 200, exchanged.text());
    const refresh = exchanged.json<{ refresh_token: string }>().refresh_token;
    const token = await at(from1, '/oauth2/token', {
      method: 'POST',
      headers: FORM,
      body: `grant_type=refresh_token&service=${service}&scope=${encodeURIComponent('registry:catalog:*')}&refresh_token=${refresh}`,
    });
    assert.equal(token.status, 200, token.text());
    const access = token.json<{ access_token: string }>().access_token;
    const catalog = await at(from1, '/v2/_catalog', { headers: { authorization: `Bearer ${access}` } });
    assert.equal(catalog.status, 200, catalog.text());
    await eventually(async () => {
      const rows = (await admin.ok<{ value: LoginRow[] }>('GET', `${admin.registryId}/loginEvents?operationName=ExchangeToken`)).value;
      assert.ok(
        rows.some(
          (row) => row.ResultType === 'Succeeded' && /network: .*is the trusted service 'tasks' \(Tasks\) and bypass AzureServices is on/.test(row.Reason),
        ),
        rows.map((r) => r.Reason).join('\n'),
      );
    });

    // Another managed identity is not a trusted service.
    assertDenied(await exchange(await miToken(stranger.properties.clientId)), '127.0.0.1', 'untrusted managed identity');

    // Bypass None: the trusted service is refused too, at once.
    await setRules({ networkRuleBypassOptions: 'None' });
    assertDenied(await exchange(await miToken(trusted.properties.clientId)), '127.0.0.1', 'trusted service, bypass None');
    assertDenied(await at(from1, '/v2/_catalog', { headers: { authorization: `Bearer ${access}` } }), '127.0.0.1', 'its access token, bypass None');
  });

  it('public network access Disabled denies every public address, the allowed one too', async () => {
    await setRules({ publicNetworkAccess: 'Disabled' });
    assertDenied(await at(from2, '/v2/'), '127.0.0.2', 'GET /v2/ from 127.0.0.2');
    await eventually(async () => {
      const rows = (await networkEvents()).filter((row) => row.CallerIpAddress === '127.0.0.2');
      assert.ok(
        rows.some((row) => /public network access Disabled; 127\.0\.0\.2 arrived at the public endpoint/.test(row.Reason)),
        rows.map((r) => r.Reason).join('\n'),
      );
    });
  });

  it("a private endpoint's listener answers while public access is Disabled; Pending and Rejected connections are denied", async () => {
    const group = `/subscriptions/${admin.owner.subscriptionId}/resourceGroups/${admin.owner.resourceGroup}`;
    const vnetId = `${group}/providers/Microsoft.Network/virtualNetworks/net1`;
    await admin.ok('PUT', vnetId, {
      location: region,
      properties: { addressSpace: { addressPrefixes: ['127.0.7.0/24'] }, subnets: [{ name: 'pe-subnet', properties: { addressPrefix: '127.0.7.0/24' } }] },
    });
    const subnetId = `${vnetId}/subnets/pe-subnet`;
    const createEndpoint = async (name: string, manual: boolean) => {
      const connection = { name: `${name}-conn`, properties: { privateLinkServiceId: admin.registryId, groupIds: ['registry'], requestMessage: 'please' } };
      await admin.ok('PUT', `${group}/providers/Microsoft.Network/privateEndpoints/${name}`, {
        location: region,
        properties: { subnet: { id: subnetId }, [manual ? 'manualPrivateLinkServiceConnections' : 'privateLinkServiceConnections']: [connection] },
      });
      const endpoint = await admin.ok<{ properties: { customDnsConfigs: { fqdn: string; ipAddresses: string[] }[] } }>(
        'GET',
        `${group}/providers/Microsoft.Network/privateEndpoints/${name}`,
      );
      const address = endpoint.properties.customDnsConfigs[0]?.ipAddresses[0];
      assert.match(address ?? '', /^127\.0\.7\.\d+$/, JSON.stringify(endpoint));
      return address!;
    };
    const approved = await createEndpoint('pe1', false);
    const pending = await createEndpoint('pe2', true);
    approvedAddress = approved;
    assert.notEqual(approved, pending);

    // Public access stays Disabled from the previous test: the main listener refuses.
    assertDenied(await at(from2, '/v2/'), '127.0.0.2', 'public endpoint');
    // The endpoint's own listener, with a certificate that names its address (hot-swapped in).
    const viaEndpoint = (address: string, headers: Record<string, string> = {}) =>
      eventually(() => request(`https://${address}:${w.port}/v2/`, { headers, dispatcher: from1 }), 8000);
    const challenge = await viaEndpoint(approved);
    assert.equal(challenge.status, 401, challenge.text());
    assert.equal((await viaEndpoint(approved, { authorization: basic('wharf', password) })).status, 200);

    assertDenied(await viaEndpoint(pending), '127.0.0.1', 'pending connection');
    await eventually(async () => {
      const reasons = (await networkEvents()).map((row) => row.Reason);
      assert.ok(
        reasons.some((reason) => /the connection of private endpoint 'pe2' to registry 'wharf' is Pending/.test(reason)),
        reasons.join('\n'),
      );
    });

    const connections = (
      await admin.ok<{ value: { name: string; properties: { privateEndpoint: { id: string } } }[] }>('GET', `${admin.registryId}/privateEndpointConnections`)
    ).value;
    const connection = connections.find((c) => /\/pe2$/i.test(c.properties.privateEndpoint.id));
    assert.ok(connection, JSON.stringify(connections));
    const setStatus = (status: string) =>
      admin.ok('PUT', `${admin.registryId}/privateEndpointConnections/${connection.name}`, {
        properties: { privateLinkServiceConnectionState: { status, description: `${status} by the test` } },
      });
    await setStatus('Approved');
    assert.equal((await viaEndpoint(pending)).status, 401);
    await setStatus('Rejected');
    assertDenied(await viaEndpoint(pending), '127.0.0.1', 'rejected connection');
  });

  it('an endpoint whose address this host does not have is Failed, with the bind error (no traffic is sent to it)', async () => {
    const group = `/subscriptions/${admin.owner.subscriptionId}/resourceGroups/${admin.owner.resourceGroup}`;
    const vnetId = `${group}/providers/Microsoft.Network/virtualNetworks/net-remote`;
    await admin.ok('PUT', vnetId, {
      location: region,
      properties: { addressSpace: { addressPrefixes: ['10.213.0.0/24'] }, subnets: [{ name: 'remote', properties: { addressPrefix: '10.213.0.0/24' } }] },
    });
    const path = `${group}/providers/Microsoft.Network/privateEndpoints/pe-remote`;
    await admin.ok('PUT', path, {
      location: region,
      properties: {
        subnet: { id: `${vnetId}/subnets/remote` },
        privateLinkServiceConnections: [{ name: 'remote-conn', properties: { privateLinkServiceId: admin.registryId, groupIds: ['registry'] } }],
      },
    });
    const endpoint = await admin.ok<{ properties: { provisioningState: string; error?: { message: string } } }>('GET', path);
    assert.equal(endpoint.properties.provisioningState, 'Failed', JSON.stringify(endpoint));
    assert.match(endpoint.properties.error?.message ?? '', /cannot listen on 10\.213\.0\.\d+:\d+: the address is not on this host \(EADDRNOTAVAIL\)/);
    // The other endpoints keep working.
    assert.equal((await request(`https://${approvedAddress}:${w.port}/v2/`, { dispatcher: from1 })).status, 401);
  });
});

describe('network gate behind a trusted proxy', () => {
  let w: WharfServer;
  let admin: WharfAdmin;

  before(async () => {
    w = await startWharf({ secure: true, env: { WHARF_TRUSTED_PROXIES: '127.0.0.1' } });
    admin = new WharfAdmin(w);
    await admin.ok('PATCH', `${admin.registryId}?force=true`, {
      sku: { name: 'Premium' },
      properties: { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.2' }] }, networkRuleBypassOptions: 'None' },
    });
  });
  after(async () => w?.stop());

  it('X-Forwarded-For names the client when the peer is a trusted proxy, and only then', async () => {
    const proxy = agentFrom(w, '127.0.0.1');
    const other = agentFrom(w, '127.0.0.3');
    try {
      const viaProxy = await request(`${w.baseUrl}/v2/`, { headers: { 'x-forwarded-for': '127.0.0.2' }, dispatcher: proxy });
      assert.equal(viaProxy.status, 401, viaProxy.text());
      assertDenied(
        await request(`${w.baseUrl}/v2/`, { headers: { 'x-forwarded-for': '127.0.0.9' }, dispatcher: proxy }),
        '127.0.0.9',
        'the forwarded client is denied',
      );
      assertDenied(await request(`${w.baseUrl}/v2/`, { headers: { 'x-forwarded-for': '127.0.0.2' }, dispatcher: other }), '127.0.0.3', 'not a trusted proxy');
    } finally {
      await proxy.close();
      await other.close();
    }
  });
});
