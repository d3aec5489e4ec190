/**
 * Docker token scopes (`repository:<name>:<actions>`, `registry:catalog:*`) and the grant
 * entries of an access token (`access: [{type, name, actions}]`), with ACR's actions.
 */

/** Actions on a repository: Distribution's pull/push/delete and ACR's metadata_read/write. */
export const REPOSITORY_ACTIONS = ['pull', 'push', 'delete', 'metadata_read', 'metadata_write'] as const;
export type RepositoryAction = (typeof REPOSITORY_ACTIONS)[number];

export interface AccessEntry {
  /** repository | registry | artifact-repository, or anything a client sends (kept, never granted). */
  type: string;
  name: string;
  actions: string[];
}

/**
 * Parses one scope string. Repository names may contain ':' only in a port-qualified form that
 * registries never see, so the type is before the first ':' and the actions after the last.
 * Returns undefined for text that is not a scope at all.
 */
export function parseScope(scope: string): AccessEntry | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first <= 0 || last === first) return undefined;
  const type = scope.slice(0, first);
  const name = scope.slice(first + 1, last);
  const actions = scope
    .slice(last + 1)
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  if (name === '' || actions.length === 0) return undefined;
  return { type, name, actions: [...new Set(actions)] };
}

/** Scope parameters may repeat and each may hold several space-separated scopes. */
export function parseScopes(values: string[]): AccessEntry[] {
  const entries: AccessEntry[] = [];
  for (const value of values) {
    for (const part of value.split(' ')) {
      if (part === '') continue;
      const entry = parseScope(part);
      if (entry) entries.push(entry);
    }
  }
  return mergeEntries(entries);
}

/** One entry per (type, name), with the union of their actions. */
function mergeEntries(entries: AccessEntry[]): AccessEntry[] {
  const merged = new Map<string, AccessEntry>();
  for (const entry of entries) {
    const key = `${entry.type}\u0000${entry.name}`;
    const existing = merged.get(key);
    if (existing) existing.actions = [...new Set([...existing.actions, ...entry.actions])];
    else merged.set(key, { type: entry.type, name: entry.name, actions: [...entry.actions] });
  }
  return [...merged.values()];
}

export function formatScope(entry: AccessEntry): string {
  return `${entry.type}:${entry.name}:${entry.actions.join(',')}`;
}

/** `*` on a repository means every repository action. */
export function expandActions(type: string, actions: string[]): string[] {
  if (type === 'repository' && actions.includes('*')) return [...REPOSITORY_ACTIONS];
  return actions;
}
