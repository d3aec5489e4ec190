/**
 * Grants: what a principal may do on one registry's data plane, and the intersection of a
 * request (docker scopes) with them. A grant set remembers where each grant came from, so a
 * refusal can say what the principal does have.
 */
import { expandActions, REPOSITORY_ACTIONS, type AccessEntry, type RepositoryAction } from './scopes.js';
import type { Reason } from './decision.js';

export interface RepositoryGrant {
  /** Repository name or glob; `*` matches any characters, '/' included. */
  pattern: string;
  actions: ReadonlySet<RepositoryAction>;
  /** Where it came from, as a reason ("role AcrPull at the registry", "scope map _repositories_pull", "anonymous pull"), rendered in the reader's language. */
  source: Reason;
}

export interface GrantSet {
  repositories: RepositoryGrant[];
  /** May list repositories (`registry:catalog:*`). */
  catalog: boolean;
  /** Every source the grants came from, for messages ("roles: AcrPull"). */
  sources: Reason[];
}

export const NO_GRANTS: GrantSet = { repositories: [], catalog: false, sources: [] };

export const ALL_GRANTS = (source: Reason): GrantSet => ({
  repositories: [{ pattern: '*', actions: new Set(REPOSITORY_ACTIONS), source }],
  catalog: true,
  sources: [source],
});

export function unionGrants(a: GrantSet, b: GrantSet): GrantSet {
  return {
    repositories: [...a.repositories, ...b.repositories],
    catalog: a.catalog || b.catalog,
    sources: [...new Map([...a.sources, ...b.sources].map((source) => [JSON.stringify(source), source])).values()],
  };
}

const patternCache = new Map<string, RegExp>();

export function matchesPattern(pattern: string, name: string): boolean {
  if (pattern === '*' || pattern === name) return true;
  if (!pattern.includes('*')) return false;
  let regex = patternCache.get(pattern);
  if (!regex) {
    regex = new RegExp(
      `^${pattern
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    if (patternCache.size > 10_000) patternCache.clear();
    patternCache.set(pattern, regex);
  }
  return regex.test(name);
}

/** The repository actions the grants allow on `repository`. */
function repositoryActions(grants: GrantSet, repository: string): Set<RepositoryAction> {
  const actions = new Set<RepositoryAction>();
  for (const grant of grants.repositories) {
    if (matchesPattern(grant.pattern, repository)) for (const action of grant.actions) actions.add(action);
  }
  return actions;
}

/**
 * The part of `requested` the grants allow: requested ∩ granted, per entry; entries with
 * nothing allowed are left out. Unknown types and actions are never granted.
 */
export function intersect(grants: GrantSet, requested: AccessEntry[]): AccessEntry[] {
  const allowed: AccessEntry[] = [];
  for (const entry of requested) {
    if (entry.type === 'registry') {
      if (entry.name === 'catalog' && entry.actions.includes('*') && grants.catalog) {
        allowed.push({ type: 'registry', name: 'catalog', actions: ['*'] });
      }
      continue;
    }
    if (entry.type !== 'repository') continue;
    const granted = repositoryActions(grants, entry.name);
    const wanted = expandActions(entry.type, entry.actions);
    const actions = wanted.filter((a) => granted.has(a as RepositoryAction));
    if (actions.length > 0) allowed.push({ type: 'repository', name: entry.name, actions });
  }
  return allowed;
}

/** Actions of `required` that `held` (an access token's `access` claim) does not cover. */
export function missingActions(held: AccessEntry[], required: AccessEntry): string[] {
  const have = new Set<string>();
  for (const entry of held) {
    if (entry.type === required.type && entry.name === required.name) {
      for (const action of expandActions(entry.type, entry.actions)) have.add(action);
    }
  }
  return required.actions.filter((a) => !have.has(a));
}
