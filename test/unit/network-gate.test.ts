/**
 * The network gate's logic with its many cases: IPv4/CIDR parsing and validation messages,
 * the compiled matcher (against a brute-force scan), every decision branch (private endpoint
 * states, public access, default action, IP rules, subnet rules with and without the service
 * endpoint, IPv6, IPv4-mapped IPv6, bypass), and the request-path cache (refresh, invalidate).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GateInput } from '../../src/network/contracts.js';
import { CachedNetworkGate } from '../../src/network/gate.js';
import { localAddressKey } from '../../src/kernel/local-address.js';
import {
  clientIpv4,
  formatIpv4,
  Ipv4Matcher,
  parseAddressPrefix,
  parseCidr,
  parseIpRule,
  parseIpv4,
  rangeContains,
  rangesOverlap,
} from '../../src/kernel/ipv4.js';
import {
  defaultRegistryNetwork,
  type PrivateEndpointRecord,
  type RegistryNetworkSettings,
  type SubnetRecord,
  type TrustedServiceRecord,
} from '../../src/storage/metadata/network-records.js';
import type { MetadataStore } from '../../src/storage/metadata/store.js';

const SUBNET_A = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v1/subnets/a';
const SUBNET_B = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.network/virtualnetworks/v1/subnets/b';

function settings(overrides: Partial<RegistryNetworkSettings> = {}): RegistryNetworkSettings {
  return { ...defaultRegistryNetwork(), ...overrides };
}

function subnet(id: string, prefixes: string[], endpoint = true): SubnetRecord {
  return {
    id,
    vnetId: id.replace(/\/subnets\/.*$/, ''),
    name: id.split('/').pop()!,
    addressPrefixes: prefixes,
    serviceEndpoints: endpoint ? ['Microsoft.ContainerRegistry'] : ['Microsoft.Storage'],
  };
}

function endpoint(overrides: Partial<PrivateEndpointRecord> = {}): PrivateEndpointRecord {
  return {
    id: '/subscriptions/s1/resourcegroups/rg/providers/microsoft.network/privateendpoints/pe1',
    subscriptionId: 's1',
    resourceGroup: 'rg',
    name: 'pe1',
    location: 'westeurope',
    subnetId: SUBNET_A,
    address: '127.0.7.4',
    port: 8443,
    registry: 'r1',
    connectionName: 'pe1-conn',
    manual: false,
    requestMessage: '',
    status: 'Approved',
    statusDescription: '',
    createdAt: '2024-01-01T00:00:00Z',
    ...overrides,
  };
}

const gate = new CachedNetworkGate({} as MetadataStore);

function evaluate(input: Partial<GateInput>) {
  return gate.evaluate({ registry: 'r1', settings: settings(), subnets: [], clientIp: '203.0.113.9', arrival: { kind: 'public' }, ...input });
}

describe('IPv4 addresses and CIDR ranges', () => {
  it('parses dotted quads strictly', () => {
    assert.equal(parseIpv4('0.0.0.0'), 0);
    assert.equal(parseIpv4('255.255.255.255'), 0xffffffff);
    assert.equal(parseIpv4('10.1.2.3'), (10 << 24) + (1 << 16) + (2 << 8) + 3);
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '1.2.3.256', '01.2.3.4', '1..2.3', '1.2.3.4.', ' 1.2.3.4', 'a.b.c.d', '1.2.3.-4', '1.2.3.0004', '::1']) {
      assert.equal(parseIpv4(bad), undefined, bad);
    }
    assert.equal(formatIpv4(parseIpv4('192.168.10.1')!), '192.168.10.1');
  });

  it('reads client addresses: IPv4, ::ffff:-mapped IPv4, and never IPv6', () => {
    assert.equal(clientIpv4('127.0.0.2'), parseIpv4('127.0.0.2'));
    assert.equal(clientIpv4('::ffff:127.0.0.2'), parseIpv4('127.0.0.2'));
    assert.equal(clientIpv4('::FFFF:10.0.0.1'), parseIpv4('10.0.0.1'));
    assert.equal(clientIpv4('::1'), undefined);
    assert.equal(clientIpv4('2001:db8::7'), undefined);
    assert.equal(clientIpv4('::ffff:7f00:1'), undefined);
  });

  it('accepts addresses and ranges, normalizing host bits to the network address', () => {
    const cases: [string, string, number][] = [
      ['1.2.3.4', '1.2.3.4', 32],
      ['1.2.3.4/32', '1.2.3.4/32', 32],
      ['10.1.2.3/16', '10.1.0.0/16', 16],
      [' 10.0.0.0/8 ', '10.0.0.0/8', 8],
      ['0.0.0.0/0', '0.0.0.0/0', 0],
      ['192.168.1.255/31', '192.168.1.254/31', 31],
    ];
    for (const [value, normalized, prefix] of cases) {
      const parsed = parseIpRule(value);
      assert.ok(parsed.ok, value);
      assert.equal(parsed.range.normalized, normalized);
      assert.equal(parsed.range.prefix, prefix);
    }
    const range = parseCidr('10.1.2.3/16');
    assert.ok(range.ok);
    assert.equal(formatIpv4(range.range.start), '10.1.0.0');
    assert.equal(formatIpv4(range.range.end), '10.1.255.255');
    const all = parseCidr('0.0.0.0/0');
    assert.ok(all.ok);
    assert.equal(all.range.end, 0xffffffff);
  });

  it('refuses malformed values with messages that say what is wrong', () => {
    const why = (value: string) => {
      const parsed = parseIpRule(value);
      assert.equal(parsed.ok, false, value);
      return (parsed as { why: string }).why;
    };
    assert.match(why('2001:db8::/32'), /'2001:db8::\/32' is an IPv6 IP rule: network rules support IPv4 addresses and CIDR ranges only/);
    assert.match(why('::1'), /IPv6/);
    assert.match(why('10.0.0.0/33'), /invalid prefix length '\/33': it must be a number from 0 to 32/);
    assert.match(why('10.0.0.0/'), /invalid prefix length '\/'/);
    assert.match(why('10.0.0.0/x'), /invalid prefix length/);
    assert.match(why('10.0.0.0/-1'), /invalid prefix length/);
    assert.match(why('300.1.1.1'), /'300.1.1.1' is not a valid IPv4 IP rule: expected four numbers 0-255/);
    assert.match(why('10.0.0'), /not a valid IPv4/);
    assert.match(why('example.com'), /not a valid IPv4/);
    assert.match(why(''), /empty/);
    assert.match(why(undefined as unknown as string), /empty/);
  });

  it('address prefixes need a prefix length; containment and overlap', () => {
    assert.equal(parseAddressPrefix('10.0.0.0').ok, false);
    assert.match((parseAddressPrefix('10.0.0.0') as { why: string }).why, /add a prefix length, e\.g\. '10\.0\.0\.0\/24'/);
    const vnet = parseAddressPrefix('10.0.0.0/16');
    const sub = parseAddressPrefix('10.0.7.0/24');
    const other = parseAddressPrefix('10.1.0.0/24');
    assert.ok(vnet.ok && sub.ok && other.ok);
    assert.equal(rangeContains(vnet.range, sub.range), true);
    assert.equal(rangeContains(sub.range, vnet.range), false);
    assert.equal(rangeContains(vnet.range, other.range), false);
    assert.equal(rangesOverlap(vnet.range, sub.range), true);
    assert.equal(rangesOverlap(sub.range, other.range), false);
  });

  it('the compiled matcher agrees with a linear scan on 200 random rules, most specific first', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0), seed);
    const rules = Array.from({ length: 200 }, (_, i) => {
      const prefix = 8 + (random() % 25);
      const parsed = parseCidr(`${formatIpv4(random())}/${prefix}`);
      assert.ok(parsed.ok);
      return { range: parsed.range, label: i };
    });
    const matcher = new Ipv4Matcher(rules);
    assert.equal(matcher.size, 200);
    for (let i = 0; i < 5000; i++) {
      // Half of the probes inside some rule, half anywhere.
      const rule = rules[random() % rules.length]!;
      const address = i % 2 === 0 ? (rule.range.start + (random() % (rule.range.end - rule.range.start + 1))) >>> 0 : random();
      const containing = rules.filter((r) => r.range.start <= address && address <= r.range.end);
      const best = containing.sort((a, b) => b.range.prefix - a.range.prefix || a.label - b.label)[0];
      assert.equal(matcher.match(address), best?.label, formatIpv4(address));
    }
    assert.equal(new Ipv4Matcher<string>([]).match(123), undefined);
  });
});

describe('gate decisions', () => {
  it('default settings allow everyone on the public endpoint', () => {
    const decision = evaluate({});
    assert.deepEqual(
      { ...decision, reason: undefined, because: undefined },
      { allowed: true, rule: 'defaultAction:Allow', reason: undefined, because: undefined, bypassable: false },
    );
    assert.equal(decision.because.key, 'gateOpen');
    assert.match(
      decision.reason,
      /allowed by the network rules of registry 'r1': public network access Enabled, default action Allow, 0 IP rules, 0 virtual network rules \(203\.0\.113\.9, public endpoint\)/,
    );
  });

  it('default action Deny: an IP rule admits its range only; the reason counts the rules and names the address', () => {
    const rules = settings({ defaultAction: 'Deny', ipRules: ['127.0.0.2', '10.1.2.3/16'], virtualNetworkRules: [SUBNET_A] });
    const subnets = [subnet(SUBNET_A, ['127.0.7.0/24'])];
    const allowed = evaluate({ settings: rules, subnets, clientIp: '127.0.0.2' });
    assert.equal(allowed.allowed, true);
    assert.equal(allowed.rule, 'ipRule:127.0.0.2');
    assert.match(allowed.reason, /IP rule '127\.0\.0\.2' matches 127\.0\.0\.2/);
    assert.equal(evaluate({ settings: rules, subnets, clientIp: '10.1.200.7' }).rule, 'ipRule:10.1.2.3/16');
    const denied = evaluate({ settings: rules, subnets, clientIp: '127.0.0.1' });
    assert.equal(denied.allowed, false);
    assert.equal(denied.rule, 'defaultAction:Deny');
    // ACR: trusted services do not apply to a registry restricted by service endpoints.
    assert.equal(denied.bypassable, false);
    assert.equal(evaluate({ settings: { ...rules, virtualNetworkRules: [] }, subnets, clientIp: '127.0.0.1' }).bypassable, true);
    assert.equal(evaluate({ settings: { ...rules, virtualNetworkRules: [], bypass: 'None' }, subnets, clientIp: '127.0.0.1' }).bypassable, false);
    assert.equal(
      denied.reason,
      "denied by the network rules of registry 'r1': public network access Enabled, default action Deny, 2 IP rules, 1 virtual network rule; no rule matches 127.0.0.1 (public endpoint)",
    );
  });

  it('::ffff:-mapped clients are their IPv4 address; IPv6 clients never match', () => {
    const rules = settings({ defaultAction: 'Deny', ipRules: ['127.0.0.0/8'] });
    const mapped = evaluate({ settings: rules, clientIp: '::ffff:127.0.0.2' });
    assert.equal(mapped.allowed, true);
    assert.match(mapped.reason, /matches 127\.0\.0\.2 /);
    const v6 = evaluate({ settings: settings({ defaultAction: 'Deny', ipRules: ['0.0.0.0/0'] }), clientIp: '::1' });
    assert.equal(v6.allowed, false);
    assert.match(v6.reason, /::1 is not an IPv4 address and network rules match IPv4 addresses only/);
    // Default Allow lets IPv6 in: nothing is filtered.
    assert.equal(evaluate({ clientIp: '2001:db8::1' }).allowed, true);
  });

  it('a virtual network rule admits its subnet only while the subnet has the service endpoint', () => {
    const rules = settings({ defaultAction: 'Deny', virtualNetworkRules: [SUBNET_A, SUBNET_B] });
    const withEndpoint = evaluate({ settings: rules, subnets: [subnet(SUBNET_A, ['127.0.7.0/24', '127.0.8.0/24'])], clientIp: '127.0.8.9' });
    assert.equal(withEndpoint.allowed, true);
    assert.equal(withEndpoint.rule, `virtualNetworkRule:${SUBNET_A}`);
    assert.match(withEndpoint.reason, /virtual network rule for subnet '.*\/subnets\/a' matches 127\.0\.8\.9/);
    const without = evaluate({ settings: rules, subnets: [subnet(SUBNET_A, ['127.0.7.0/24'], false)], clientIp: '127.0.7.9' });
    assert.equal(without.allowed, false);
    assert.match(
      without.reason,
      /127\.0\.7\.9 is in subnet '.*\/subnets\/a' of a virtual network rule, but that subnet has no service endpoint Microsoft\.ContainerRegistry/,
    );
    // A subnet the rules do not name, or one that no longer exists, admits no one.
    const unlisted = evaluate({ settings: settings({ defaultAction: 'Deny' }), subnets: [subnet(SUBNET_A, ['127.0.7.0/24'])], clientIp: '127.0.7.9' });
    assert.equal(unlisted.allowed, false);
    assert.equal(evaluate({ settings: rules, subnets: [], clientIp: '127.0.7.9' }).allowed, false);
    // Rule ids match case-insensitively.
    const upper = evaluate({
      settings: settings({ defaultAction: 'Deny', virtualNetworkRules: [SUBNET_A.toUpperCase()] }),
      subnets: [subnet(SUBNET_A, ['127.0.7.0/24'])],
      clientIp: '127.0.7.9',
    });
    assert.equal(upper.allowed, true);
  });

  it('public network access Disabled denies every public address, whatever the rules', () => {
    const rules = settings({ publicNetworkAccess: 'Disabled', defaultAction: 'Allow', ipRules: ['0.0.0.0/0'] });
    const decision = evaluate({ settings: rules, clientIp: '127.0.0.2' });
    assert.equal(decision.allowed, false);
    assert.equal(decision.rule, 'publicNetworkAccess:Disabled');
    assert.equal(decision.bypassable, true);
    assert.match(
      decision.reason,
      /public network access Disabled; 127\.0\.0\.2 arrived at the public endpoint, and only private endpoints may reach the registry/,
    );
    assert.equal(evaluate({ settings: { ...rules, bypass: 'None' } }).bypassable, false);
  });

  it('bypass None makes a denial final; allowed decisions are never bypassable', () => {
    const rules = settings({ defaultAction: 'Deny', bypass: 'None' });
    assert.equal(evaluate({ settings: rules }).bypassable, false);
    assert.equal(evaluate({ settings: { ...rules, bypass: 'AzureServices' } }).bypassable, true);
  });

  it('on a private endpoint: Approved allows whatever the public rules; another registry or a pending/rejected/disconnected connection denies', () => {
    const closed = settings({ publicNetworkAccess: 'Disabled', defaultAction: 'Deny' });
    const approved = evaluate({ settings: closed, clientIp: '127.0.0.1', arrival: { kind: 'privateEndpoint', endpoint: endpoint() } });
    assert.equal(approved.allowed, true);
    assert.equal(approved.rule, 'privateEndpoint:pe1');
    assert.match(approved.reason, /127\.0\.0\.1 arrived at private endpoint 'pe1' \(127\.0\.7\.4:8443\), whose connection to registry 'r1' is Approved/);
    const other = evaluate({ settings: settings(), arrival: { kind: 'privateEndpoint', endpoint: endpoint({ registry: 'r2' }) } });
    assert.equal(other.allowed, false);
    assert.equal(other.bypassable, false);
    assert.match(other.reason, /private endpoint 'pe1' is connected to registry 'r2', not 'r1'/);
    for (const status of ['Pending', 'Rejected', 'Disconnected'] as const) {
      const decision = evaluate({
        arrival: { kind: 'privateEndpoint', endpoint: endpoint({ status, statusDescription: status === 'Rejected' ? 'not this one' : '' }) },
      });
      assert.equal(decision.allowed, false, status);
      assert.equal(decision.rule, 'privateEndpoint:pe1');
      assert.equal(decision.bypassable, false);
      assert.match(decision.reason, new RegExp(`the connection of private endpoint 'pe1' to registry 'r1' is ${status}`));
    }
    assert.match(
      evaluate({ arrival: { kind: 'privateEndpoint', endpoint: endpoint({ status: 'Rejected', statusDescription: 'not this one' }) } }).reason,
      /Rejected \(not this one\)/,
    );
  });
});

/** A store with only what the gate reads, counting queries. */
function fakeStore(state: {
  settings: Record<string, RegistryNetworkSettings>;
  subnets: SubnetRecord[];
  endpoints: PrivateEndpointRecord[];
  trusted: TrustedServiceRecord[];
}) {
  const calls = { settings: 0, subnets: 0, endpoints: 0, trusted: 0 };
  const store = {
    network: {
      registrySettings: async (name: string) => (calls.settings++, state.settings[name] ?? defaultRegistryNetwork()),
      allSubnets: async () => (calls.subnets++, state.subnets),
      privateEndpoints: async () => (calls.endpoints++, state.endpoints),
      trustedServices: async () => (calls.trusted++, state.trusted),
    },
    registries: { get: async (name: string) => ({ name, subscriptionId: name === 'r2' ? 'S2' : 'S1' }) },
  } as unknown as MetadataStore;
  return { store, calls };
}

describe('the request-path gate (cached)', () => {
  it('classifies arrivals by local address:port, with ::ffff: stripped', async () => {
    const { store } = fakeStore({ settings: {}, subnets: [], endpoints: [endpoint()], trusted: [] });
    const cached = new CachedNetworkGate(store);
    assert.equal(localAddressKey('::ffff:127.0.7.4', 8443), '127.0.7.4:8443');
    assert.deepEqual(await cached.arrivalOf('::ffff:127.0.7.4', 8443), { kind: 'privateEndpoint', endpoint: endpoint() });
    assert.deepEqual(await cached.arrivalOf('127.0.7.4', 9443), { kind: 'public' });
    assert.deepEqual(await cached.arrivalOf('127.0.0.1', 8443), { kind: 'public' });
    const viaEndpoint = await cached.decide('r1', '127.0.0.1', '127.0.7.4', 8443);
    assert.equal(viaEndpoint.rule, 'privateEndpoint:pe1');
    assert.equal(cached.decideNow('r1', '127.0.0.1', '::ffff:127.0.7.4', 8443)?.rule, 'privateEndpoint:pe1');
    assert.equal(cached.decideNow('r1', '127.0.0.1', '127.0.0.1', 8443)?.rule, 'defaultAction:Allow');
    assert.equal((await cached.decide('r2', '127.0.0.1', '127.0.7.4', 8443)).allowed, false);
  });

  it('caches per registry, re-reads after the refresh interval, and forgets at once on invalidate()', async () => {
    const state = { settings: {} as Record<string, RegistryNetworkSettings>, subnets: [], endpoints: [], trusted: [] };
    const { store, calls } = fakeStore(state);
    const cached = new CachedNetworkGate(store, 60);
    assert.equal((await cached.decide('r1', '127.0.0.1', '127.0.0.1', 1)).allowed, true);
    state.settings.r1 = settings({ defaultAction: 'Deny' });
    // Within the interval the old rules stand (other nodes' changes arrive within it).
    assert.equal((await cached.decide('r1', '127.0.0.1', '127.0.0.1', 1)).allowed, true);
    assert.equal(calls.settings, 1);
    await new Promise((r) => setTimeout(r, 80));
    assert.equal((await cached.decide('r1', '127.0.0.1', '127.0.0.1', 1)).allowed, false);
    state.settings.r1 = settings({ defaultAction: 'Deny', ipRules: ['127.0.0.1'] });
    cached.invalidate('r1');
    assert.equal((await cached.decide('r1', '127.0.0.1', '127.0.0.1', 1)).rule, 'ipRule:127.0.0.1');
    // The synchronous fast path answers the same once the rules are cached, and nothing after invalidate().
    assert.equal(cached.decideNow('r1', '127.0.0.1', '127.0.0.1', 1)?.rule, 'ipRule:127.0.0.1');
    assert.equal(cached.decideNow('r1', '127.0.0.9', '127.0.0.1', 1)?.rule, 'defaultAction:Deny');
    state.settings.r1 = settings();
    cached.invalidate();
    assert.equal(cached.decideNow('r1', '127.0.0.1', '127.0.0.1', 1), undefined);
    assert.equal((await cached.decide('r1', '127.0.0.1', '127.0.0.1', 1)).rule, 'defaultAction:Allow');
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(cached.decideNow('r1', '127.0.0.1', '127.0.0.1', 1), undefined, 'stale rules are not used');
  });

  it('100 concurrent first requests cost one read of each table', async () => {
    const { store, calls } = fakeStore({ settings: {}, subnets: [], endpoints: [], trusted: [] });
    const cached = new CachedNetworkGate(store);
    await Promise.all(Array.from({ length: 100 }, () => cached.decide('r1', '127.0.0.1', '127.0.0.1', 1)));
    assert.equal(calls.subnets, 1);
    assert.equal(calls.endpoints, 1);
    assert.ok(calls.settings <= 100);
    await cached.decide('r1', '127.0.0.1', '127.0.0.1', 1);
    const before = calls.settings;
    for (let i = 0; i < 1000; i++) await cached.decide('r1', '127.0.0.1', '127.0.0.1', 1);
    assert.equal(calls.settings, before);
  });

  it("trusted services are looked up by object id, case-insensitively, in the denied registry's subscription", async () => {
    const deny = settings({ defaultAction: 'Deny' });
    const { store, calls } = fakeStore({
      settings: { r1: deny, r2: deny },
      subnets: [],
      endpoints: [],
      trusted: [{ subscriptionId: 's1', name: 'tasks', principalId: 'AAAA-1', serviceType: 'Tasks', createdAt: '' }],
    });
    const cached = new CachedNetworkGate(store);
    const denied = await cached.decide('r1', '127.0.0.9', '127.0.0.1', 1);
    assert.equal(denied.bypassable, true);
    assert.equal((await cached.trustedService('aaaa-1', denied))?.name, 'tasks');
    assert.equal(await cached.trustedService('bbbb-2', denied), undefined);
    // r2 is in another subscription: the service does not pass its rules.
    assert.equal(await cached.trustedService('aaaa-1', await cached.decide('r2', '127.0.0.9', '127.0.0.1', 1)), undefined);
    assert.equal(await cached.trustedService('aaaa-1', { ...denied }), undefined, 'a decision the gate did not make matches nothing');
    assert.equal(calls.trusted, 1);
  });

  it('a 200 IP rule + 100 subnet policy decides a million requests quickly', async () => {
    const ipRules = Array.from({ length: 200 }, (_, i) => `${20 + (i % 100)}.${i}.0.0/16`);
    const subnets = Array.from({ length: 100 }, (_, i) => subnet(`${SUBNET_A}${i}`, [`10.${i}.0.0/24`]));
    const { store } = fakeStore({
      settings: { r1: settings({ defaultAction: 'Deny', ipRules, virtualNetworkRules: subnets.map((s) => s.id) }) },
      subnets,
      endpoints: [],
      trusted: [],
    });
    const cached = new CachedNetworkGate(store);
    assert.equal((await cached.decide('r1', '10.99.0.3', '127.0.0.1', 1)).rule, `virtualNetworkRule:${SUBNET_A}99`);
    const policy = await cached.policy('r1');
    const started = process.hrtime.bigint();
    for (let i = 0; i < 1_000_000; i++) policy.decide('10.50.0.1', { kind: 'public' });
    const ns = Number(process.hrtime.bigint() - started) / 1_000_000;
    // A manifest GET takes hundreds of microseconds; the decision must be a rounding error.
    assert.ok(ns < 2000, `${ns.toFixed(0)} ns per decision`);
  });
});
