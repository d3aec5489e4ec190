/**
 * What the network gate decides and from what: the contract between the gate (network plane),
 * the domain services' lock-out check and the management plane's what-if. A decision is a value
 * carried with the request (never a thrown string): the same value becomes the 403, the login
 * event and the what-if answer.
 */
import type { PrivateEndpointRecord, RegistryNetworkSettings, SubnetRecord } from '../storage/metadata/network-records.js';
import type { Reason } from '../access/decision.js';

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
