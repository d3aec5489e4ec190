/**
 * The network gate: `evaluate` is the pure decision (what the management plane's lock-out
 * check and what-if use); `decide` is the request path's, over compiled policies cached per
 * registry. Other nodes share the database, so cached state is re-read at most every 2 s;
 * a change event (registry, rules, network) drops it at once on the node that saved the change.
 */
import type { MetadataStore } from '../storage/metadata/store.js';
import type { PrivateEndpointRecord, SubnetRecord, TrustedServiceRecord } from '../storage/metadata/network-records.js';
import type { ArrivalPath, GateDecision, GateInput, NetworkGate } from './contracts.js';
import { CompiledPolicy, gateDecision } from './policy.js';
import type { ChangeEvent } from '../domain/change-events.js';
import { localAddressKey } from '../kernel/local-address.js';

const GATE_REFRESH_MS = 2000;

const PUBLIC: ArrivalPath = { kind: 'public' };

/** What every registry's decisions share: subnets and where private endpoints listen. */
interface SharedState {
  loadedAt: number;
  subnets: SubnetRecord[];
  /** `address:port` → endpoint. */
  endpoints: Map<string, PrivateEndpointRecord>;
}

interface CachedPolicy {
  loadedAt: number;
  shared: SharedState;
  policy: CompiledPolicy;
}

/** Trusted services by object id (each may be registered in several subscriptions), and registries' subscriptions. */
interface TrustedState {
  loadedAt: number;
  byPrincipal: Map<string, TrustedServiceRecord[]>;
  /** Registry name → its subscription id (lower case); filled as bypasses are settled. */
  subscriptions: Map<string, string | undefined>;
}

export class CachedNetworkGate implements NetworkGate {
  private shared: SharedState | undefined;
  private sharedLoading: Promise<SharedState> | undefined;
  private readonly policies = new Map<string, CachedPolicy>();
  /** One settings read per registry at a time: requests arriving while it runs share it. */
  private readonly policyLoads = new Map<string, Promise<CompiledPolicy>>();
  private trusted: TrustedState | undefined;
  /** The registry of each bypassable denial this gate made, so a trusted service is matched to its subscription. */
  private readonly bypassTargets = new WeakMap<GateDecision, string>();
  /** Bumped by invalidate(): a load that started before it is used once, not cached. */
  private generation = 0;

  constructor(
    private readonly store: MetadataStore,
    private readonly refreshMs = GATE_REFRESH_MS,
  ) {}

  evaluate(input: GateInput): GateDecision {
    return new CompiledPolicy(input.registry, input.settings, input.subnets).decide(input.clientIp, input.arrival);
  }

  /** Drops what a change made stale (subscribed to the change events). */
  onChange(event: ChangeEvent): void {
    switch (event.kind) {
      case 'registry':
      case 'rules':
        return this.invalidate(event.registry);
      case 'network':
        return this.invalidate(event.registry);
      default:
        return;
    }
  }

  invalidate(registry?: string): void {
    this.generation++;
    this.shared = undefined;
    this.sharedLoading = undefined;
    this.trusted = undefined;
    this.policyLoads.clear();
    if (registry === undefined) this.policies.clear();
    else this.policies.delete(registry.toLowerCase());
  }

  /** Where a request arrived, from its socket's local address and port. */
  async arrivalOf(localAddress: string | undefined, localPort: number | undefined): Promise<ArrivalPath> {
    const shared = await this.sharedState();
    if (shared.endpoints.size === 0) return PUBLIC;
    const endpoint = shared.endpoints.get(localAddressKey(localAddress, localPort));
    return endpoint ? { kind: 'privateEndpoint', endpoint } : PUBLIC;
  }

  /**
   * The same decision without waiting, when everything it needs is cached and fresh (almost
   * every request); undefined when something must be read first (then call decide()).
   */
  decideNow(registry: string, clientIp: string, localAddress: string | undefined, localPort: number | undefined): GateDecision | undefined {
    const shared = this.shared;
    const now = Date.now();
    if (shared === undefined || now - shared.loadedAt >= this.refreshMs) return undefined;
    const cached = this.policies.get(registry.toLowerCase());
    if (cached === undefined || cached.shared !== shared || now - cached.loadedAt >= this.refreshMs) return undefined;
    const endpoint = shared.endpoints.size === 0 ? undefined : shared.endpoints.get(localAddressKey(localAddress, localPort));
    return this.remember(registry, cached.policy.decide(clientIp, endpoint ? { kind: 'privateEndpoint', endpoint } : PUBLIC));
  }

  /** The request path's decision for `registry`, a client address and the socket's local address. */
  async decide(registry: string, clientIp: string, localAddress: string | undefined, localPort: number | undefined): Promise<GateDecision> {
    const arrival = await this.arrivalOf(localAddress, localPort);
    const policy = await this.policy(registry);
    return this.remember(registry, policy.decide(clientIp, arrival));
  }

  /**
   * A bypassable denial becomes its own object, remembered with its registry (settling the
   * bypass needs the registry's subscription); other decisions pass through untouched.
   */
  private remember(registry: string, decision: GateDecision): GateDecision {
    if (decision.allowed || !decision.bypassable) return decision;
    const own = gateDecision(decision.allowed, decision.rule, decision.because, decision.bypassable);
    this.bypassTargets.set(own, registry.toLowerCase());
    return own;
  }

  /** The compiled rules of a registry (defaults when it has none saved). */
  async policy(registry: string): Promise<CompiledPolicy> {
    const key = registry.toLowerCase();
    const shared = await this.sharedState();
    const cached = this.policies.get(key);
    const now = Date.now();
    if (cached !== undefined && now - cached.loadedAt < this.refreshMs) {
      if (cached.shared === shared) return cached.policy;
      // Subnets were re-read: recompile the same settings against them (no query).
      const policy = new CompiledPolicy(key, cached.policy.settings, shared.subnets);
      this.policies.set(key, { loadedAt: cached.loadedAt, shared, policy });
      return policy;
    }
    let loading = this.policyLoads.get(key);
    if (loading === undefined) {
      loading = this.loadPolicy(key, shared).finally(() => {
        if (this.policyLoads.get(key) === loading) this.policyLoads.delete(key);
      });
      this.policyLoads.set(key, loading);
    }
    return loading;
  }

  private async loadPolicy(key: string, shared: SharedState): Promise<CompiledPolicy> {
    const generation = this.generation;
    const loadedAt = Date.now();
    const settings = await this.store.network.registrySettings(key);
    const policy = new CompiledPolicy(key, settings, shared.subnets);
    if (generation === this.generation) this.policies.set(key, { loadedAt, shared, policy });
    return policy;
  }

  /**
   * The trusted service whose managed identity has this object id and that is registered in
   * the subscription of the registry `decision` denied, if any. A trusted service opens only its
   * own subscription's registries; a decision this gate did not make as a bypassable denial
   * matches nothing.
   */
  async trustedService(principalId: string, decision: GateDecision): Promise<TrustedServiceRecord | undefined> {
    const registry = this.bypassTargets.get(decision);
    if (registry === undefined) return undefined;
    const now = Date.now();
    let trusted = this.trusted;
    if (trusted === undefined || now - trusted.loadedAt >= this.refreshMs) {
      const generation = this.generation;
      const byPrincipal = new Map<string, TrustedServiceRecord[]>();
      for (const service of await this.store.network.trustedServices()) {
        const key = service.principalId.toLowerCase();
        byPrincipal.set(key, [...(byPrincipal.get(key) ?? []), service]);
      }
      trusted = { loadedAt: now, byPrincipal, subscriptions: new Map() };
      if (generation === this.generation) this.trusted = trusted;
    }
    const candidates = trusted.byPrincipal.get(principalId.toLowerCase());
    if (candidates === undefined) return undefined;
    let subscriptionId: string | undefined;
    if (trusted.subscriptions.has(registry)) subscriptionId = trusted.subscriptions.get(registry);
    else {
      subscriptionId = (await this.store.registries.get(registry))?.subscriptionId.toLowerCase();
      trusted.subscriptions.set(registry, subscriptionId);
    }
    if (subscriptionId === undefined) return undefined;
    return candidates.find((s) => s.subscriptionId.toLowerCase() === subscriptionId);
  }

  /** Whether the object id is a trusted service in some subscription (as last read; no query): for the refusal's reason. */
  trustedElsewhere(principalId: string): boolean {
    return this.trusted?.byPrincipal.has(principalId.toLowerCase()) ?? false;
  }

  private async sharedState(): Promise<SharedState> {
    const shared = this.shared;
    if (shared !== undefined && Date.now() - shared.loadedAt < this.refreshMs) return shared;
    this.sharedLoading ??= this.loadShared().finally(() => {
      this.sharedLoading = undefined;
    });
    return this.sharedLoading;
  }

  private async loadShared(): Promise<SharedState> {
    const generation = this.generation;
    const loadedAt = Date.now();
    const [subnets, endpoints] = await Promise.all([this.store.network.allSubnets(), this.store.network.privateEndpoints({})]);
    const byAddress = new Map<string, PrivateEndpointRecord>();
    for (const endpoint of endpoints) byAddress.set(localAddressKey(endpoint.address, endpoint.port), endpoint);
    const state: SharedState = { loadedAt, subnets, endpoints: byAddress };
    if (generation === this.generation) this.shared = state;
    return state;
  }
}
