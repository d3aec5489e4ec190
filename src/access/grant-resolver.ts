/**
 * Works out a principal's grants on one registry: the admin user has everything; a
 * repository-scoped token has its scope map; an Entra identity has its role assignments at
 * the registry, its resource group or subscription, or at repositories inside it; and when the
 * registry allows anonymous pull, everyone can pull. Results are cached briefly: role and token
 * changes apply at once on the node that made them (a grant change event), within seconds on
 * others, without a query on every request.
 */
import type { Principal } from './principal.js';
import type { MetadataStore, RegistryRecord } from '../storage/metadata/store.js';
import { ALL_GRANTS, NO_GRANTS, unionGrants, type GrantSet, type RepositoryGrant } from './grants.js';
import { registryResourceId, roleByName } from './roles.js';
import { parseScopeMapAction, systemScopeMap } from './scope-maps.js';
import type { RepositoryAction } from './scopes.js';
import type { ChangeEvent } from '../domain/change-events.js';
import { reason, type Reason } from './decision.js';

const CACHE_MS = 3000;
const MAX_CACHE = 10_000;

const ANONYMOUS_PULL = reason('grantSourceAnonymousPull');

const ANONYMOUS_PULL_GRANTS: GrantSet = {
  repositories: [{ pattern: '*', actions: new Set<RepositoryAction>(['pull', 'metadata_read']), source: ANONYMOUS_PULL }],
  catalog: true,
  sources: [ANONYMOUS_PULL],
};

export class GrantResolver {
  private readonly cache = new Map<string, { at: number; grants: GrantSet }>();

  constructor(private readonly store: MetadataStore) {}

  /**
   * Grants changed (role assignments, tokens, scope maps), a registry went, or an identity went
   * with its role assignments: forget what they decided.
   */
  onChange(event: ChangeEvent): void {
    if (event.kind === 'identity') return this.cache.clear();
    const registry = event.kind === 'grant' ? event.registry : event.kind === 'registry' && event.change === 'deleted' ? event.registry : null;
    if (registry === null) return;
    if (registry === undefined) return this.cache.clear();
    const prefix = `${registry}\u0000`;
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }

  async grantsOf(principal: Principal, registry: RegistryRecord): Promise<GrantSet> {
    const key = `${registry.name}\u0000${principal.kind}\u0000${principal.id}\u0000${registry.anonymousPullEnabled}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.grants;
    let grants = await this.resolve(principal, registry);
    if (registry.anonymousPullEnabled && principal.kind !== 'anonymous') grants = unionGrants(grants, ANONYMOUS_PULL_GRANTS);
    if (this.cache.size > MAX_CACHE) this.cache.clear();
    this.cache.set(key, { at: Date.now(), grants });
    return grants;
  }

  private async resolve(principal: Principal, registry: RegistryRecord): Promise<GrantSet> {
    switch (principal.kind) {
      case 'anonymous':
        return registry.anonymousPullEnabled ? ANONYMOUS_PULL_GRANTS : NO_GRANTS;
      case 'adminUser':
        return principal.id === registry.name ? ALL_GRANTS(reason('grantSourceAdminUser')) : NO_GRANTS;
      case 'repositoryToken':
        return this.tokenGrants(principal.name, registry);
      default:
        return this.roleGrants(principal.id, registry);
    }
  }

  private async tokenGrants(tokenName: string, registry: RegistryRecord): Promise<GrantSet> {
    const token = await this.store.tokens.get(registry.name, tokenName);
    if (!token || token.status !== 'enabled') return NO_GRANTS;
    const map = systemScopeMap(token.scopeMap) ?? (await this.store.scopeMaps.get(registry.name, token.scopeMap));
    if (!map) return NO_GRANTS;
    const source = reason('grantSourceScopeMap', { scopeMap: map.name });
    const byPattern = new Map<string, Set<RepositoryAction>>();
    for (const text of map.actions) {
      const parsed = parseScopeMapAction(text);
      if ('problem' in parsed) continue;
      const actions = byPattern.get(parsed.repository) ?? new Set<RepositoryAction>();
      actions.add(parsed.action);
      byPattern.set(parsed.repository, actions);
    }
    const repositories: RepositoryGrant[] = [...byPattern].map(([pattern, actions]) => ({ pattern, actions, source }));
    return { repositories, catalog: byPattern.has('*'), sources: [source] };
  }

  private async roleGrants(principalId: string, registry: RegistryRecord): Promise<GrantSet> {
    const registryId = registryResourceId(registry).toLowerCase();
    const repositoryPrefix = `${registryId}/repositories/`;
    const repositories: RepositoryGrant[] = [];
    const sources: Reason[] = [];
    let catalog = false;
    for (const assignment of await this.store.roleAssignments.forPrincipal(principalId)) {
      const role = roleByName(assignment.roleName);
      if (!role) continue;
      const scope = assignment.scope.replace(/\/+$/, '');
      const lower = scope.toLowerCase();
      let pattern: string;
      let where: Reason;
      if (registryId === lower || registryId.startsWith(`${lower}/`)) {
        pattern = '*';
        where = reason(lower === registryId ? 'grantAtRegistry' : lower.includes('/resourcegroups/') ? 'grantAtResourceGroup' : 'grantAtSubscription');
      } else if (lower.startsWith(repositoryPrefix)) {
        // Repository names are lower case; keep the pattern as assigned but compare lower case.
        pattern = scope.slice(repositoryPrefix.length).toLowerCase();
        where = reason('grantAtRepository', { repository: pattern });
      } else {
        continue;
      }
      const source = reason('grantSourceRole', { role: role.name, where });
      sources.push(source);
      if (role.repositoryActions.length > 0) repositories.push({ pattern, actions: new Set(role.repositoryActions), source });
      if (role.catalog && pattern === '*') catalog = true;
    }
    return { repositories, catalog, sources };
  }
}
