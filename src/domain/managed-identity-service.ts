/**
 * User-assigned managed identities as a domain service: the name, the location (its resource
 * group's), no tags, an existing identity answered as it is, a name a directory user holds
 * refused; a deletion takes the identity's role assignments with it and publishes an
 * `identity` event. The ARM handlers (management/resources/managed-identities.ts) address and
 * authorize the identity, parse the body, call this, and render.
 */
import { armErrors, armReason } from '../kernel/arm-errors.js';
import { createUserAssignedIdentity, findManagedIdentityByResourceId, managedIdentityResourceId } from './managed-identity-records.js';
import type { IdentityIndex, IdentityRecord } from '../storage/metadata/access-records.js';
import type { ChangeEvents } from './change-events.js';

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/;

interface ManagedIdentityServiceDeps {
  identities: Pick<IdentityIndex, 'create' | 'getByUserName' | 'delete'>;
  events: ChangeEvents;
}

/** Where the identity goes: its ARM id, its resource group's location, its subscription's tenant. */
interface IdentityPlace {
  resourceId: string;
  location: string;
  tenantId: string;
  name: string;
}

export class ManagedIdentityService {
  constructor(private readonly deps: ManagedIdentityServiceDeps) {}

  /** Creates the identity, or answers the existing one as it is. `read` gives the request's location and tags. */
  async put(
    place: IdentityPlace,
    read: () => Promise<{ location: string; tags?: Record<string, string> }>,
  ): Promise<{ identity: IdentityRecord; created: boolean }> {
    const { name, location, resourceId } = place;
    if (!NAME.test(name)) {
      throw armErrors.invalidResourceName(armReason('kindUserAssignedIdentity'), name, armReason('ruleIdentityName'));
    }
    const request = await read();
    const requested = request.location.replace(/\s+/g, '').toLowerCase();
    if (requested !== location) {
      throw armErrors.invalidParameter('location', armReason('identityLocation', { location, requested }));
    }
    if (request.tags && Object.keys(request.tags).length > 0) throw armErrors.featureNotSupported('tags', armReason('whyIdentityTags'));
    const existing = await this.deps.identities.getByUserName(resourceId);
    if (existing) {
      if (!managedIdentityResourceId(existing)) throw armErrors.conflict('Conflict', armReason('nameTakenByUser', { name: resourceId }));
      return { identity: existing, created: false };
    }
    return { identity: await createUserAssignedIdentity(this.deps, { tenantId: place.tenantId, resourceId, name }), created: true };
  }

  find(resourceId: string): Promise<IdentityRecord | undefined> {
    return findManagedIdentityByResourceId(this.deps, resourceId);
  }

  /** Deletes the identity; false when there is none. */
  async delete(resourceId: string): Promise<boolean> {
    const identity = await this.find(resourceId);
    if (!identity) return false;
    // Its role assignments go with it, and tokens issued to it stop verifying (their principal is gone).
    await this.deps.identities.delete(identity.objectId);
    this.deps.events.publish({ kind: 'identity', objectId: identity.objectId });
    return true;
  }
}
