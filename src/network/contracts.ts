/**
 * The network plane's interfaces between its parts: the gate (a decision per request), the
 * private-endpoint listeners, and what the management plane calls after it saves a change.
 * A decision is a value carried with the request (never a thrown string): the same value
 * becomes the 403, the login event and the what-if answer.
 */
import type { PrivateEndpointRecord, RegistryNetworkSettings, SubnetRecord } from '../storage/metadata/network-records.js';
import type { Reason } from '../auth/decision.js';
import type { DataUrlSigner } from './data-endpoint-urls.js';

/** Where a request arrived: the public listener, or the address of a private endpoint. */
export type ArrivalPath = { kind: 'public' } | { kind: 'privateEndpoint'; endpoint: PrivateEndpointRecord };

export interface GateDecision {
  allowed: boolean;
  /** The rule that decided, e.g. 'defaultAction:Allow', 'ipRule:10.1.0.0/16', 'virtualNetworkRule:<subnet id>',
   *  'privateEndpoint:<name>', 'publicNetworkAccess:Disabled', 'defaultAction:Deny', 'trustedService:<name>'. */
  rule: string;
  /** Why, as a message key with values: the rule set's state and the address that decided. */
  because: Reason;
  /** `because` in English (what-if and diagnose answers quote it). */
  readonly reason: string;
  /** Denied, but a trusted service's identity would pass (bypass AzureServices is on). */
  bypassable: boolean;
}

/** Everything a decision is computed from. */
export interface GateInput {
  registry: string;
  settings: RegistryNetworkSettings;
  /** Every known subnet (rules name subnets by id; only those with the service endpoint count). */
  subnets: SubnetRecord[];
  clientIp: string;
  arrival: ArrivalPath;
}

export interface NetworkGate {
  /** A pure evaluation (no cache): what the management plane uses for lock-out checks and what-if. */
  evaluate(input: GateInput): GateDecision;
  /** Forget cached settings after a change (all registries when none is named). */
  invalidate(registry?: string): void;
}

export interface PrivateEndpointListeners {
  /** Opens listeners for endpoints that have none and closes those of deleted endpoints. */
  reconcile(): Promise<void>;
  /** Whether this node listens for the endpoint (by its id); `error` says why not (e.g. EADDRNOTAVAIL). */
  status(endpointId: string): { listening: boolean; error?: string };
}

/** What the management plane reaches of the network plane (services.network). */
export interface NetworkPlane {
  gate: NetworkGate;
  listeners: PrivateEndpointListeners;
  /** The node's own region: which data endpoint it redirects to. */
  region: string;
  /** Signs and checks the data endpoints' blob URLs (the same key on every node). */
  dataUrls: DataUrlSigner;
}
