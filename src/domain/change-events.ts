/**
 * Change events: what a management change tells the caches that hold copies of what it
 * changed. Each event is a small plain object (JSON-serializable, no records or functions), so
 * the same seam can later carry changes between nodes; today one process publishes and
 * subscribes in memory. Nodes that share a database still see each other's changes through
 * the caches' short refresh periods. See docs/architecture.md, "Change events".
 */

export type ChangeEvent =
  /** A registry row was created, changed (SKU, tags, admin user, anonymous pull) or deleted. */
  | { kind: 'registry'; registry: string; change: 'created' | 'updated' | 'deleted' }
  /** A registry's network settings or rules, or its replications, changed. */
  | { kind: 'rules'; registry: string }
  /**
   * What every registry's network decisions share changed: virtual networks and subnets,
   * private endpoints, trusted services, resource provider registrations. `registry` names the
   * registry a private endpoint connects to, when there is one.
   */
  | { kind: 'network'; registry?: string }
  /** Who may do what on a registry changed: role assignments, repository tokens, scope maps. */
  | { kind: 'grant'; registry?: string }
  /** An identity (service principal, managed identity) or its credentials changed. */
  | { kind: 'identity'; objectId: string }
  /** A signing key was added, rotated or retired. */
  | { kind: 'key' };

export type ChangeListener = (event: ChangeEvent) => void;

export interface ChangeEvents {
  /** Tells every subscriber, synchronously, before returning. */
  publish(event: ChangeEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: ChangeListener): () => void;
}

/** The in-process bus: one list of listeners; a listener that throws does not stop the others. */
export class InProcessChangeEvents implements ChangeEvents {
  private readonly listeners = new Set<ChangeListener>();

  constructor(private readonly onListenerError: (error: unknown, event: ChangeEvent) => void = () => {}) {}

  publish(event: ChangeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
