/**
 * Registries and their network settings as a domain service: what a create, replace, update or
 * delete must check (name and address, placement, SKU rules, network rule values, lock-out),
 * the one transaction that saves it, and the change events it publishes. The ARM handlers
 * (management/resources/registries.ts) parse the request, call this, and render the result.
 *
 * Refusals are ARM errors: the management plane is the only caller today, and its errors carry
 * the message keys every language renders.
 */
import { registryResourceId } from '../access/roles.js';
import { armErrors, armReason } from '../kernel/arm-errors.js';
import type { LocalizedText } from '../i18n/localized.js';
import type { JsonObject } from '../kernel/json-body.js';
import type { RegistryNetworkState } from './network-state.js';
import { CONTAINER_REGISTRY_NAMESPACE } from './network-ids.js';
import { REGISTRY_TYPE, registryIsAt, resourceGroupScope } from './arm-resources.js';
import { rejectFixedPropertyChanges } from './registry-fixed-properties.js';
import {
  checkLockout,
  checkSku,
  networkDefaults,
  sameSettings,
  validateSettings,
  withoutStamp,
  type LockoutCheck,
  type NetworkSettings,
  type SettingsValidation,
} from './registry-rules.js';
import { checkAnonymousPullSku, registryDnsNameOf, validNewRegistryName } from './registry-names.js';
import type { ProviderState } from '../storage/metadata/network-records.js';
import type {
  AdminPasswordIndex,
  AdminPasswordName,
  AdminPasswordRecord,
  NetworkIndex,
  RegistryIndex,
  RegistryRecord,
  RegistrySettings,
  RegistrySku,
} from '../storage/metadata/store.js';
import type { ChangeEvents } from './change-events.js';

const ADMIN_PASSWORD_NAMES: AdminPasswordName[] = ['password', 'password2'];

/** The narrow parts of the store and the server the service uses. */
interface RegistryServiceDeps {
  registries: Pick<RegistryIndex, 'get' | 'save' | 'remove'>;
  network: Pick<NetworkIndex, 'registrySettings' | 'replications' | 'privateEndpoints'>;
  adminPasswords: Pick<AdminPasswordIndex, 'list'>;
  /** A new admin password for the registry (generated, hashed and sealed; not stored). */
  newAdminPassword(registry: string, name: AdminPasswordName): Promise<AdminPasswordRecord>;
  /** Why a new registry's `<name>.<domain>` address is taken, if it is (a configured registry claims it). */
  addressTakenBy(name: string): Promise<LocalizedText | undefined>;
  providerState(subscriptionId: string, namespace: string): Promise<ProviderState>;
  /** The DNS suffix of registry names, for the AlreadyInUse message. */
  domain: string;
  events: ChangeEvents;
  /** Private endpoint listeners follow the registries they serve. */
  listeners: { reconcile(): Promise<void> };
}

/** What the caller's request brings to the checks: its own checks and lookups. */
export interface CallerChecks {
  validation: Omit<SettingsValidation, 'savedSubnetRules'>;
  lockout: LockoutCheck;
}

/** A PUT: the whole registry as asked; what it leaves out takes its default. */
export interface RegistryReplacement {
  /** The name as the request spelled it (for messages); the registry's name is its lower case. */
  requestedName: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  sku: RegistrySku;
  tags: Record<string, string>;
  /** The request's `properties`, for the properties a Wharf registry cannot change. */
  properties: JsonObject;
  adminUserEnabled: boolean;
  anonymousPullEnabled: boolean;
  /** The network settings asked for, over the given base (read from the request when called). */
  network(base: NetworkSettings): NetworkSettings;
}

/** A PATCH: only what it names changes. */
interface RegistryUpdate {
  properties: JsonObject;
  settings: Partial<RegistrySettings>;
  network(current: NetworkSettings): NetworkSettings;
}

interface RegistryResult {
  registry: RegistryRecord;
  network: RegistryNetworkState;
  created: boolean;
}

export class RegistryService {
  constructor(private readonly deps: RegistryServiceDeps) {}

  /** Creates the registry or replaces its settings (an ARM PUT). */
  async replace(request: RegistryReplacement, caller: CallerChecks): Promise<RegistryResult> {
    const { deps } = this;
    const name = request.requestedName.toLowerCase();
    const existing = await deps.registries.get(name);
    if (existing && !registryIsAt(existing, request.subscriptionId, request.resourceGroup)) {
      throw armErrors.conflict('AlreadyInUse', armReason('registryNameTaken', { dnsName: registryDnsNameOf(existing, deps.domain) }));
    }
    if (!existing && !validNewRegistryName(name))
      throw armErrors.invalidResourceName(armReason('kindRegistry'), request.requestedName, armReason('ruleRegistryName'));
    const taken = existing ? undefined : await deps.addressTakenBy(name);
    if (taken) throw armErrors.conflict('AlreadyInUse', taken);
    if (existing && existing.location !== request.location) {
      throw armErrors.locationMismatch(name, existing.location, request.location, request.resourceGroup);
    }
    if (!existing && (await deps.providerState(request.subscriptionId, CONTAINER_REGISTRY_NAMESPACE)) !== 'Registered') {
      throw armErrors.missingSubscriptionRegistration(CONTAINER_REGISTRY_NAMESPACE, request.subscriptionId);
    }
    rejectFixedPropertyChanges(existing, request.properties);
    const settings: Partial<RegistrySettings> = {
      sku: request.sku,
      tags: request.tags,
      adminUserEnabled: request.adminUserEnabled,
      anonymousPullEnabled: request.anonymousPullEnabled,
    };
    checkAnonymousPullSku(request.sku, request.anonymousPullEnabled);
    // The network settings too: a PUT replaces them (missing fields take their defaults).
    const state = existing ? await this.networkState(existing.name) : undefined;
    const current = state ? withoutStamp(state.settings) : networkDefaults();
    const network = await this.checkedNetwork(name, request.sku, existing?.sku === 'Premium', request.network(networkDefaults()), current, state, caller);
    const saved = await deps.registries.save({
      name,
      ...(existing
        ? {}
        : { create: { subscriptionId: request.subscriptionId, resourceGroup: request.resourceGroup, location: request.location, sku: request.sku } }),
      settings,
      // A new registry always writes its own network settings (no stale row applies).
      ...(network.changed || !existing ? { network: network.settings } : {}),
      ...(await this.missingAdminPasswords(name, request.adminUserEnabled, !existing)),
    });
    // Only a registry deleted in between leaves nothing to save.
    if (!saved) throw armErrors.resourceNotFound(REGISTRY_TYPE, request.requestedName, request.resourceGroup);
    this.publish(name, existing ? 'updated' : 'created', network.changed || !existing);
    // A new registry's name may be that of a deleted one whose private endpoints stayed, Disconnected.
    const endpoints = state ? state.endpoints : await deps.network.privateEndpoints({ registry: name });
    return {
      registry: saved.registry,
      network: { settings: saved.network, replications: state?.replications ?? [], endpoints },
      created: !existing,
    };
  }

  /** Changes what the request names (an ARM PATCH) of a registry the caller already looked up. */
  async update(registry: RegistryRecord, request: RegistryUpdate, caller: CallerChecks): Promise<RegistryResult> {
    const { deps } = this;
    rejectFixedPropertyChanges(registry, request.properties);
    const change = request.settings;
    checkAnonymousPullSku(change.sku ?? registry.sku, change.anonymousPullEnabled ?? registry.anonymousPullEnabled);
    // A PATCH merges: only the network fields it names change, down to the rule set's lists.
    const state = await this.networkState(registry.name);
    const current = withoutStamp(state.settings);
    const newSku = change.sku ?? registry.sku;
    const network = await this.checkedNetwork(registry.name, newSku, registry.sku === 'Premium', request.network(current), current, state, caller);
    const adminUserEnabled = change.adminUserEnabled ?? registry.adminUserEnabled;
    const saved = await deps.registries.save({
      name: registry.name,
      settings: change,
      ...(network.changed ? { network: network.settings } : {}),
      ...(await this.missingAdminPasswords(registry.name, adminUserEnabled, false)),
    });
    if (!saved) throw armErrors.resourceNotFound(REGISTRY_TYPE, registry.name, registry.resourceGroup);
    this.publish(registry.name, 'updated', network.changed);
    return { registry: saved.registry, network: { ...state, settings: saved.network }, created: false };
  }

  /**
   * Deletes a registry (an ARM DELETE of it): its row, everything stored in it, its network
   * settings and replications, and the role assignments at or under its id, in one transaction
   * (grants on a deleted registry must not pass to a new registry of the same name); its private
   * endpoints stay, Disconnected. Events follow the commit.
   */
  async remove(registry: RegistryRecord): Promise<void> {
    await this.deps.registries.remove({ registries: [registry.name], scope: registryResourceId(registry) });
    this.publishDeleted([registry.name]);
    await this.deps.listeners.reconcile();
  }

  /**
   * Deletes a resource group with the registries in it (`az group delete`) and every role
   * assignment at or under its scope, in one transaction. Which other resources hold the group
   * is the caller's check, made before.
   */
  async removeResourceGroup(group: { subscriptionId: string; name: string }, registries: RegistryRecord[]): Promise<void> {
    const names = registries.map((r) => r.name);
    await this.deps.registries.remove({ registries: names, scope: resourceGroupScope(group.subscriptionId, group.name), resourceGroup: group });
    this.publishDeleted(names);
    // The grants at the group itself go too.
    this.deps.events.publish({ kind: 'grant' });
    await this.deps.listeners.reconcile();
  }

  private publishDeleted(registries: string[]): void {
    for (const registry of registries) {
      this.deps.events.publish({ kind: 'grant', registry });
      this.deps.events.publish({ kind: 'registry', registry, change: 'deleted' });
    }
  }

  /** The registry's network settings, replications and private endpoints. */
  async networkState(registry: string): Promise<RegistryNetworkState> {
    const { network } = this.deps;
    const [settings, replications, endpoints] = await Promise.all([
      network.registrySettings(registry),
      network.replications(registry),
      network.privateEndpoints({ registry }),
    ]);
    return { settings, replications, endpoints };
  }

  /**
   * The requested network settings checked against the SKU (Premium-only features), validated
   * (values canonical) and, when they change anything, against locking the caller out.
   */
  private async checkedNetwork(
    name: string,
    sku: RegistrySku,
    wasPremium: boolean,
    requested: NetworkSettings,
    current: NetworkSettings,
    state: RegistryNetworkState | undefined,
    caller: CallerChecks,
  ): Promise<{ settings: NetworkSettings; changed: boolean }> {
    checkSku(name, sku, wasPremium, requested, state);
    const settings = await validateSettings({ ...caller.validation, savedSubnetRules: state?.settings.virtualNetworkRules ?? [] }, name, sku, requested);
    const changed = !sameSettings(settings, current);
    if (changed) await checkLockout(caller.lockout, name, settings);
    return { settings, changed };
  }

  /** The admin user's passwords to create with the save, when it is on and some are missing. */
  private async missingAdminPasswords(registry: string, adminUserEnabled: boolean, isNew: boolean): Promise<{ adminPasswords?: AdminPasswordRecord[] }> {
    if (!adminUserEnabled) return {};
    // A new registry has none (a deleted registry's passwords went with it).
    const existing = isNew ? [] : await this.deps.adminPasswords.list(registry);
    const missing = ADMIN_PASSWORD_NAMES.filter((name) => !existing.some((p) => p.name === name));
    if (missing.length === 0) return {};
    return { adminPasswords: await Promise.all(missing.map((name) => this.deps.newAdminPassword(registry, name))) };
  }

  private publish(registry: string, change: 'created' | 'updated', rulesChanged: boolean): void {
    if (rulesChanged) this.deps.events.publish({ kind: 'rules', registry });
    this.deps.events.publish({ kind: 'registry', registry, change });
  }
}
