/**
 * Scope maps: the actions a repository-scoped token may perform, as ACR writes them
 * (`repositories/<repository or pattern>/content/read`), the system-defined maps every
 * registry has, and their translation into token-server actions.
 */
import type { RepositoryAction } from './scopes.js';
import type { ScopeMapRecord } from '../storage/metadata/access-records.js';

/** ACR's scope-map action suffixes and the registry actions they allow. */
export const SCOPE_MAP_ACTIONS: Record<string, RepositoryAction> = {
  'content/read': 'pull',
  'content/write': 'push',
  'content/delete': 'delete',
  'metadata/read': 'metadata_read',
  'metadata/write': 'metadata_write',
};

interface SystemScopeMap {
  name: string;
  description: string;
  actions: string[];
}

export const SYSTEM_SCOPE_MAPS: SystemScopeMap[] = [
  {
    name: '_repositories_pull',
    description: 'Can pull any repository of the registry',
    actions: ['repositories/*/content/read'],
  },
  {
    name: '_repositories_pull_metadata_read',
    description: 'Can perform all read operations on any repository of the registry',
    actions: ['repositories/*/content/read', 'repositories/*/metadata/read'],
  },
  {
    name: '_repositories_push',
    description: 'Can push to any repository of the registry',
    actions: ['repositories/*/content/read', 'repositories/*/content/write'],
  },
  {
    name: '_repositories_push_metadata_write',
    description: 'Can perform all read and write operations on any repository of the registry',
    actions: ['repositories/*/content/read', 'repositories/*/content/write', 'repositories/*/metadata/read', 'repositories/*/metadata/write'],
  },
  {
    name: '_repositories_admin',
    description: 'Can perform all read, write and delete operations on the registry',
    actions: [
      'repositories/*/content/read',
      'repositories/*/content/write',
      'repositories/*/content/delete',
      'repositories/*/metadata/read',
      'repositories/*/metadata/write',
    ],
  },
];

export function systemScopeMap(name: string): SystemScopeMap | undefined {
  return SYSTEM_SCOPE_MAPS.find((m) => m.name === name);
}

/** A system map in the shape of a stored one, for listings and lookups. */
export function systemScopeMapRecord(registry: string, map: SystemScopeMap, createdAt: string): ScopeMapRecord {
  return { registry, name: map.name, description: map.description, actions: map.actions, createdAt, updatedAt: createdAt };
}

interface ParsedScopeMapAction {
  /** Repository name or glob (`*` matches any characters, including '/'). */
  repository: string;
  action: RepositoryAction;
}

/**
 * Parses `repositories/<repo>/<content|metadata>/<read|write|delete>`; the repository part may
 * itself contain slashes. Returns what is wrong with anything else (callers word it).
 */
type ScopeMapActionProblem = { problem: 'notAction'; text: string } | { problem: 'badRepository'; text: string; repository: string };

export function parseScopeMapAction(text: string): ParsedScopeMapAction | ScopeMapActionProblem {
  const value = text.trim().toLowerCase();
  const match = /^repositories\/(.+)\/(content\/read|content\/write|content\/delete|metadata\/read|metadata\/write)$/.exec(value);
  if (!match) {
    return { problem: 'notAction', text };
  }
  const repository = match[1]!;
  if (!/^[a-z0-9*]+(?:(?:[._]|__|-+)[a-z0-9*]+|\*)*(?:\/[a-z0-9*]+(?:(?:[._]|__|-+)[a-z0-9*]+|\*)*)*$/.test(repository)) {
    return { problem: 'badRepository', text, repository };
  }
  return { repository, action: SCOPE_MAP_ACTIONS[match[2]!]! };
}
