/**
 * Trusted services as a domain service: the managed identities of services (build, scanning,
 * import) that pass a registry's network rules when its bypass option is AzureServices, as
 * ACR's trusted services do. Only a managed identity of the caller's tenant qualifies; each
 * change publishes a `network` event (the gate forgets the trusted services it holds). The ARM
 * handlers (management/network/trusted-services.ts) authorize the caller on the subscription,
 * parse the body, call this, and render.
 */
import { armErrors, armReason } from '../kernel/arm-errors.js';
import type { IdentityIndex } from '../storage/metadata/access-records.js';
import type { NetworkIndex, TrustedServiceRecord } from '../storage/metadata/network-records.js';
import type { ChangeEvents } from './change-events.js';

interface TrustedServiceServiceDeps {
  network: Pick<NetworkIndex, 'trustedServices' | 'saveTrustedService' | 'deleteTrustedService'>;
  identities: Pick<IdentityIndex, 'get'>;
  events: ChangeEvents;
}

/** A trusted service as the body gives it. */
interface TrustedServiceInput {
  principalId: string;
  serviceType: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const SERVICE_TYPE = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/;

function findIn(services: TrustedServiceRecord[], name: string): TrustedServiceRecord | undefined {
  return services.find((s) => s.name.toLowerCase() === name.toLowerCase());
}

export class TrustedServiceService {
  constructor(private readonly deps: TrustedServiceServiceDeps) {}

  /** The subscription's trusted service named so (any case). */
  async find(subscriptionId: string, name: string): Promise<TrustedServiceRecord | undefined> {
    return findIn(await this.deps.network.trustedServices(subscriptionId), name);
  }

  /** Registers or replaces the trusted service; `tenantId` is the caller's (the identity must be of it). */
  async put(
    subscriptionId: string,
    name: string,
    read: () => Promise<TrustedServiceInput>,
    tenantId: string,
  ): Promise<{ service: TrustedServiceRecord; created: boolean }> {
    if (!NAME.test(name)) throw armErrors.invalidResourceName(armReason('kindTrustedService'), name, armReason('ruleTrustedServiceName'));
    const input = await read();
    const principalId = input.principalId.trim().toLowerCase();
    const serviceType = input.serviceType.trim();
    if (!SERVICE_TYPE.test(serviceType)) throw armErrors.invalidParameter('properties.serviceType', armReason('notServiceType', { value: serviceType }));
    const identity = await this.deps.identities.get(principalId);
    if (!identity || identity.tenantId !== tenantId) throw armErrors.principalNotFound(principalId, tenantId);
    if (identity.type !== 'ManagedIdentity') {
      throw armErrors.invalidParameter('properties.principalId', armReason('trustedNeedsManagedIdentity', { principalId, type: identity.type }));
    }
    const existing = await this.find(subscriptionId, name);
    const service: TrustedServiceRecord = {
      subscriptionId,
      name: existing?.name ?? name,
      principalId,
      serviceType,
      createdAt: existing?.createdAt ?? new Date().toISOString(),
    };
    await this.deps.network.saveTrustedService(service);
    this.deps.events.publish({ kind: 'network' });
    return { service, created: !existing };
  }

  /** Removes the trusted service; false when there is none. */
  async delete(subscriptionId: string, name: string): Promise<boolean> {
    const service = await this.find(subscriptionId, name);
    if (!service || !(await this.deps.network.deleteTrustedService(subscriptionId, service.name))) return false;
    this.deps.events.publish({ kind: 'network' });
    return true;
  }
}
