/**
 * Issue 4's figure: what a large network rule set costs on the hottest data-plane request.
 * On the token-mode servers (Wharf secure, Distribution in token mode), wrk manifest GETs with
 * a Bearer pull token, as the token-mode row, on Wharf in two states switched through its ARM
 * API, exactly as `az acr update` / `az network vnet create` would configure them:
 *   none  — networkRuleSet {defaultAction: Allow, no rules};
 *   rules — defaultAction Deny, 200 IP rules and 100 virtual network rules (100 subnets in
 *           VNETS vnets with the Microsoft.ContainerRegistry service endpoint). The bench's
 *           own address 127.0.0.1 is allowed only by the LAST IP rule and is in no subnet, so
 *           a gate that scans rules one by one pays for all 300 on every request.
 * The registry is Premium in both states (network rules need it), so only the rules differ.
 * States are interleaved in ABBA order with a Distribution run in each round (none, rules,
 * dist | dist, rules, none | …) and each figure is the median of its runs: slow drift lands
 * evenly on all three (a shared 2-core machine; and Wharf's req/s sinks over a run as its audit
 * table grows by a row per pull). Before a run in a new state the bench
 * waits SETTLE_MS (Wharf caches rule sets) and proves the state from another loopback
 * address: 127.0.0.2 must get the gate's 403 under `rules` and the usual 401 under `none`.
 */
import { get as httpGet } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { arm, findRegistry, REGISTRY_API_VERSION } from './arm-client.js';
import type { BenchConfig } from './config.js';
import type { Figures, Log } from './measure.js';
import { assertLoopback } from './oci-client.js';
import { bearerFor, ownerArmToken } from './registry-tokens.js';
import type { RunningRegistry } from './servers.js';
import { PULL, type TokenSession } from './token-mode.js';
import { OCI_MANIFEST, REPO } from './workloads.js';
import { runWrk } from './wrk.js';

const IP_RULES = 200;
const VNET_RULES = 100;
const VNETS = 4;
const NETWORK_API_VERSION = '2023-09-01';
/** Wharf may serve a cached rule set for up to ~2 s after a change (brief: wait ≥ 2.5 s). */
const SETTLE_MS = 2500;
/** After SETTLE_MS, how long the probe may still wait for the new state before the phase fails. */
const PROBE_TIMEOUT_MS = 15_000;
const CONNECTIONS = 64;
/** Client address that no rule allows: the probe that proves which state the gate is in. */
const OUTSIDER = '127.0.0.2';
const BENCH_CLIENT = '127.0.0.1';

type WharfState = 'none' | 'rules';
type Slot = WharfState | 'dist';

export interface NetworkRulesResults {
  readonly wharf: Figures;
  readonly distribution: Figures;
  /** Every run's req/s and the rule set, printed under the table so the spread behind the medians is visible. */
  readonly notes: string[];
}

/**
 * IP_RULES values: IP_RULES−1 public addresses and prefixes (single addresses and /16…/28, none
 * containing 127.0.0.1), then the bench's own address last.
 */
function ipRuleValues(): string[] {
  const values: string[] = [];
  for (let i = 0; values.length < IP_RULES - 1; i++) {
    const a = 20 + (i % 60); // 20.x … 79.x: public, far from 127/8
    const b = Math.floor(i / 60) * 50 + (i % 50);
    switch (i % 4) {
      case 0:
        values.push(`${a}.${b}.0.0/16`);
        break;
      case 1:
        values.push(`${a}.${b}.7.${(i % 200) + 1}`);
        break;
      case 2:
        values.push(`${a}.${b}.128.0/20`);
        break;
      default:
        values.push(`${a}.${b}.9.16/28`);
        break;
    }
  }
  values.push(BENCH_CLIENT);
  return values;
}

interface VnetPlan {
  readonly name: string;
  readonly addressSpace: string;
  readonly subnets: { name: string; prefix: string }[];
}

/** VNET_RULES /24 subnets spread over VNETS vnets in 10.<n>.0.0/16: private space, far from 127.0.0.1. */
function vnetPlans(): VnetPlan[] {
  const perVnet = Math.ceil(VNET_RULES / VNETS);
  const plans: VnetPlan[] = [];
  for (let v = 0; v < VNETS; v++) {
    const count = Math.min(perVnet, VNET_RULES - v * perVnet);
    plans.push({
      name: `bench-vnet-${v}`,
      addressSpace: `10.${v + 1}.0.0/16`,
      subnets: Array.from({ length: count }, (_, s) => ({ name: `subnet-${s}`, prefix: `10.${v + 1}.${s}.0/24` })),
    });
  }
  return plans;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** ABBA rounds of (none, rules, dist): every slot's mean position in time is the same. */
function schedule(rounds: number): Slot[] {
  const slots: Slot[] = [];
  for (let r = 0; r < rounds; r++) slots.push(...(r % 2 === 0 ? (['none', 'rules', 'dist'] as const) : (['dist', 'rules', 'none'] as const)));
  return slots;
}

/**
 * The gate's view from OUTSIDER: status of GET /v2/ without credentials, and the OCI error code
 * if any. node:http, not undici: undici's Agent ignores `connect.localAddress`.
 */
function outsiderProbe(baseUrl: string): Promise<{ status: number; code?: string }> {
  const url = assertLoopback(new URL('/v2/', baseUrl));
  return new Promise((resolve, reject) => {
    const req = httpGet({ host: url.hostname, port: url.port, path: url.pathname, localAddress: OUTSIDER, agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        let code: string | undefined;
        try {
          code = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { errors?: { code?: string }[] }).errors?.[0]?.code;
        } catch {
          // not JSON: no code
        }
        resolve({ status: res.statusCode ?? 0, code });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url.href} from ${OUTSIDER}: no answer in 10 s`)));
    req.on('error', reject);
  });
}

export async function measureNetworkRules(session: TokenSession, config: BenchConfig, log: Log): Promise<NetworkRulesResults> {
  const { owner, registry: wharf, grant } = session.wharf;
  if (owner === undefined) throw new Error('the Wharf column has no ARM API (WHARF_CMD=distribution)');
  const dist = session.distribution.registry;
  const base = wharf.baseUrl;

  log('network rules: registry to Premium, virtual networks with the Microsoft.ContainerRegistry service endpoint');
  const armToken = await ownerArmToken(base, owner);
  const found = await findRegistry(base, owner, armToken, grant.service);
  const registryUrl = `${base}${found.id}?api-version=${REGISTRY_API_VERSION}`;
  const group = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\//i.exec(found.id);
  if (!group) throw new Error(`registry id ${found.id} names no subscription and resource group`);
  const location = typeof found.location === 'string' ? found.location : undefined;
  if (location === undefined) throw new Error(`registry ${found.id} has no location`);
  await arm('PATCH', registryUrl, armToken, { sku: { name: 'Premium' } });

  const subnetIds: string[] = [];
  for (const plan of vnetPlans()) {
    const vnetId = `/subscriptions/${group[1]}/resourceGroups/${group[2]}/providers/Microsoft.Network/virtualNetworks/${plan.name}`;
    const vnetUrl = `${base}${vnetId}?api-version=${NETWORK_API_VERSION}`;
    await arm('PUT', vnetUrl, armToken, {
      location,
      properties: {
        addressSpace: { addressPrefixes: [plan.addressSpace] },
        subnets: plan.subnets.map((s) => ({
          name: s.name,
          properties: { addressPrefix: s.prefix, serviceEndpoints: [{ service: 'Microsoft.ContainerRegistry', locations: ['*'] }] },
        })),
      },
    });
    // Read back: a vnet PUT that dropped its inline subnets would only surface later as an unknown-subnet 400.
    const saved = await arm('GET', vnetUrl, armToken);
    const savedSubnets = ((saved.properties as { subnets?: unknown } | undefined)?.subnets ?? []) as unknown[];
    if (!Array.isArray(savedSubnets) || savedSubnets.length !== plan.subnets.length) {
      throw new Error(`GET ${vnetUrl}: ${Array.isArray(savedSubnets) ? savedSubnets.length : 'no'} subnets, want ${plan.subnets.length}`);
    }
    for (const s of plan.subnets) subnetIds.push(`${vnetId}/subnets/${s.name}`);
  }

  const ruleSets: Record<WharfState, unknown> = {
    none: { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] },
    rules: {
      defaultAction: 'Deny',
      ipRules: ipRuleValues().map((value) => ({ action: 'Allow', value })),
      virtualNetworkRules: subnetIds.map((id) => ({ action: 'Allow', id })),
    },
  };

  // Fresh tokens: the token-mode phase took a while, and these must outlive this one.
  const pulls = new Map<RunningRegistry, string>([
    [wharf, await bearerFor(grant, PULL)],
    [dist, await bearerFor(session.distribution.grant, PULL)],
  ]);

  const notes: string[] = [];
  /** Unknown until the first switch: every run, the first too, follows a PATCH and a probe. */
  let current: WharfState | undefined;
  /** Switch Wharf to `state`, wait out its caches, and prove the gate applies it. */
  const enter = async (state: WharfState): Promise<void> => {
    log(`network rules: PATCH networkRuleSet → ${state === 'none' ? 'no rules' : `${IP_RULES} IP + ${VNET_RULES} VNet rules, default Deny`}`);
    const saved = await arm('PATCH', registryUrl, armToken, { properties: { networkRuleSet: ruleSets[state] } });
    const set = (saved.properties as { networkRuleSet?: { ipRules?: unknown[]; virtualNetworkRules?: unknown[] } } | undefined)?.networkRuleSet;
    const want = state === 'none' ? [0, 0] : [IP_RULES, VNET_RULES];
    if (set?.ipRules?.length !== want[0] || (set.virtualNetworkRules?.length ?? 0) !== want[1]) {
      throw new Error(
        `PATCH ${registryUrl}: the answer shows ${set?.ipRules?.length} IP and ${set?.virtualNetworkRules?.length} VNet rules, want ${want.join(' and ')}`,
      );
    }
    current = state;
    await sleep(SETTLE_MS);
    const deadline = Date.now() + PROBE_TIMEOUT_MS;
    for (;;) {
      const probe = await outsiderProbe(base);
      const ok = state === 'rules' ? probe.status === 403 && probe.code === 'DENIED' : probe.status === 401;
      if (ok) return;
      if (Date.now() > deadline) {
        throw new Error(
          `GET /v2/ from ${OUTSIDER} with ${state === 'none' ? 'no rules' : 'the rules'} in place: HTTP ${probe.status} ${probe.code ?? ''}, ` +
            `want ${state === 'rules' ? '403 DENIED' : '401'} — the gate did not apply the change within ${SETTLE_MS + PROBE_TIMEOUT_MS} ms`,
        );
      }
      await sleep(250);
    }
  };

  const runs: Record<Slot, number[]> = { none: [], rules: [], dist: [] };
  const slots = schedule(config.quick ? 4 : 6);
  for (const [i, slot] of slots.entries()) {
    const target = slot === 'dist' ? dist : wharf;
    if (slot !== 'dist' && slot !== current) await enter(slot);
    const url = `${target.baseUrl}/v2/${REPO.image}/manifests/v1`;
    const headers = { Accept: OCI_MANIFEST, Authorization: pulls.get(target)! };
    log(
      `wrk manifest GET with Bearer token -c${CONNECTIONS} ${config.seconds}s (run ${i + 1}/${slots.length}) — ` +
        `${target.label}${slot === 'dist' ? '' : `, ${slot === 'none' ? 'no network rules' : `${IP_RULES} IP + ${VNET_RULES} VNet rules`}`}`,
    );
    await runWrk(url, { connections: CONNECTIONS, seconds: 1, headers }); // warm-up, not counted
    const result = await runWrk(url, { connections: CONNECTIONS, seconds: config.seconds, headers });
    if (result.non2xx > 0 || result.socketErrors > 0) {
      // A figure of 403s would measure the denial path, not the cost of rules: fail loudly.
      throw new Error(
        `${slot} run on ${target.label}: ${result.non2xx} non-2xx/3xx responses and ${result.socketErrors} socket errors ` +
          `out of ${result.requests} requests`,
      );
    }
    runs[slot].push(result.requestsPerSec);
  }

  const none = median(runs.none);
  const rules = median(runs.rules);
  const d = median(runs.dist);
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  notes.push(
    `network rules, req/s of each wrk run (the table shows medians) — no rules: ${fmt(runs.none)}; ` +
      `${IP_RULES} IP + ${VNET_RULES} VNet rules: ${fmt(runs.rules)}; distribution: ${fmt(runs.dist)}`,
    `  run order: ${slots.join(', ')}`,
    `  rules: default Deny; ${BENCH_CLIENT} allowed by IP rule ${IP_RULES} of ${IP_RULES}; ${VNET_RULES} subnets in ${VNETS} vnets ` +
      `(10.1–${VNETS}.x.0/24, service endpoint Microsoft.ContainerRegistry); checked from ${OUTSIDER}: 403 DENIED with rules, 401 without`,
  );
  return {
    wharf: { manifestNoRulesRps: none, manifestRulesRps: rules },
    // One Distribution figure, the same for both rows: it has no network rules to configure.
    distribution: { manifestNoRulesRps: d, manifestRulesRps: d },
    notes,
  };
}
