/**
 * The network plane's interfaces between its parts: the gate (a decision per request), the
 * private-endpoint listeners, and what the management plane calls after it saves a change.
 * A decision is a value carried with the request (never a thrown string): the same value
 * becomes the 403, the login event and the what-if answer.
 */
import type { DataUrlSigner } from './data-endpoint-urls.js';

export type { ArrivalPath, GateDecision, GateInput, NetworkGate } from '../domain/network-gate.js';
import type { NetworkGate } from '../domain/network-gate.js';

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
