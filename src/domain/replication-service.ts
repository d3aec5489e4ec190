/**
 * Replications as a domain service: the regions a Premium registry is served in. The home
 * location is a replication named after it that always exists and can't be deleted or stop
 * serving (as on ACR); no two replications share a region, and one never moves. Each change to
 * a replication reconciles the listeners (a new region's data endpoint name must be on the
 * certificate before blobs redirect there) and publishes a `rules` event (data endpoint names,
 * redirects and the gate's view of the registry follow replications). The ARM handlers
 * (management/network/replications.ts) parse the body, call this, and render.
 */
import { armErrors, armReason, armText } from '../kernel/arm-errors.js';
import type { NetworkIndex, ReplicationRecord } from '../storage/metadata/network-records.js';
import type { RegistryRecord } from '../storage/metadata/store.js';
import { REGISTRY_TYPE } from './arm-resources.js';
import type { ChangeEvents } from './change-events.js';

interface ReplicationServiceDeps {
  network: Pick<NetworkIndex, 'replications' | 'saveReplication' | 'deleteReplication' | 'saveReplicationTags'>;
  events: ChangeEvents;
  listeners: { reconcile(): Promise<void> };
}

/** A replication as a PUT gives it. */
export interface ReplicationInput {
  location: string;
  zoneRedundancy?: string;
  regionEndpointEnabled?: boolean;
  /** A PUT replaces the resource: tags it leaves out are removed, as on ARM. */
  tags: Record<string, string>;
}

/** What a PATCH changes: only what it names. */
interface ReplicationPatch {
  regionEndpointEnabled?: boolean;
  tags?: Record<string, string>;
}

const REPLICATION_NAME = /^[a-zA-Z0-9]{5,50}$/;

/** The registry's home location as the replication ARM lists for it. */
function homeReplication(registry: RegistryRecord): ReplicationRecord {
  return { registry: registry.name, name: registry.location, location: registry.location, regionEndpointEnabled: true, createdAt: registry.createdAt };
}

function findIn(replications: ReplicationRecord[], name: string): ReplicationRecord | undefined {
  return replications.find((r) => r.name.toLowerCase() === name.toLowerCase());
}

function notFound(registry: RegistryRecord, name: string) {
  return armErrors.resourceNotFound(`${REGISTRY_TYPE}/${registry.name}/replications`, name, registry.resourceGroup);
}

export class ReplicationService {
  constructor(private readonly deps: ReplicationServiceDeps) {}

  /** The home replication first, then the stored ones. */
  async all(registry: RegistryRecord): Promise<ReplicationRecord[]> {
    return [homeReplication(registry), ...(await this.deps.network.replications(registry.name))];
  }

  /** The replication named so (any case), or ARM's ResourceNotFound. */
  async find(registry: RegistryRecord, name: string): Promise<ReplicationRecord> {
    const replication = findIn(await this.all(registry), name);
    if (!replication) throw notFound(registry, name);
    return replication;
  }

  /** Creates or replaces the replication (the home one: its tags only). */
  async put(registry: RegistryRecord, name: string, read: () => Promise<ReplicationInput>): Promise<{ replication: ReplicationRecord; created: boolean }> {
    const { network } = this.deps;
    if (!REPLICATION_NAME.test(name)) throw armErrors.invalidResourceName(armReason('kindReplication'), name, armReason('ruleReplicationName'));
    if (registry.sku !== 'Premium') throw armErrors.premiumRequired(armText('premiumReplication'), 'location');
    const input = await read();
    if (input.zoneRedundancy !== undefined && input.zoneRedundancy.toLowerCase() !== 'disabled') {
      throw armErrors.featureNotSupported('properties.zoneRedundancy', armReason('whyZoneRedundancy'));
    }
    const all = await this.all(registry);
    const existing = findIn(all, name);
    const home = homeReplication(registry);
    if (existing && existing.location !== input.location) {
      throw armErrors.locationMismatch(existing.name, existing.location, input.location, registry.resourceGroup);
    }
    const sameRegion = all.find((r) => r.location === input.location && r.name.toLowerCase() !== name.toLowerCase());
    if (sameRegion) {
      throw armErrors.conflict(
        'ReplicationAlreadyExists',
        armReason('alreadyReplicated', { registry: registry.name, location: input.location, replication: sameRegion.name }),
      );
    }
    if (existing && existing.name === home.name) {
      await network.saveReplicationTags(registry.name, home.name, input.tags);
      return { replication: home, created: false };
    }
    const replication: ReplicationRecord = {
      registry: registry.name,
      name: existing?.name ?? name,
      location: input.location,
      regionEndpointEnabled: input.regionEndpointEnabled ?? existing?.regionEndpointEnabled ?? true,
      createdAt: existing?.createdAt ?? new Date().toISOString(),
    };
    // The row and its tags in one transaction.
    await network.saveReplication(replication, input.tags);
    await this.changed(registry.name);
    return { replication, created: !existing };
  }

  /** Changes what the patch names of an existing replication. */
  async patch(registry: RegistryRecord, name: string, patch: ReplicationPatch): Promise<ReplicationRecord> {
    const { network } = this.deps;
    const existing = await this.find(registry, name);
    if (existing.name === homeReplication(registry).name) {
      if (patch.regionEndpointEnabled === false) {
        throw armErrors.badRequest(
          armReason('homeReplicationServes', { replication: existing.name, registry: registry.name }),
          'properties.regionEndpointEnabled',
        );
      }
      if (patch.tags) await network.saveReplicationTags(registry.name, existing.name, patch.tags);
      return existing;
    }
    const updated = { ...existing, regionEndpointEnabled: patch.regionEndpointEnabled ?? existing.regionEndpointEnabled };
    await network.saveReplication(updated, patch.tags);
    await this.changed(registry.name);
    return updated;
  }

  /** Deletes the replication; false when there is none. The home one can't be deleted. */
  async delete(registry: RegistryRecord, name: string): Promise<boolean> {
    if (name.toLowerCase() === homeReplication(registry).name.toLowerCase()) {
      throw armErrors.badRequest(armReason('homeReplicationDelete', { replication: name, registry: registry.name }), 'replicationName');
    }
    const stored = findIn(await this.all(registry), name)?.name ?? name;
    if (!(await this.deps.network.deleteReplication(registry.name, stored))) return false;
    await this.changed(registry.name);
    return true;
  }

  private async changed(registry: string): Promise<void> {
    await this.deps.listeners.reconcile();
    this.deps.events.publish({ kind: 'rules', registry });
  }
}
