/**
 * Diagnose, stage 3: whether the principal's grants on the registry (the data plane's own
 * GrantResolver: roles at the registry or above or at repositories, the token's scope map, the
 * admin user, anonymous pull) cover the action on the repository, judged with the same
 * `intersect` the registry APIs use. The deciding rule is the grant that allows, or the grants
 * held when none does; the fix is the role, scope map or setting that would allow it.
 */
import { intersect, matchesPattern } from '../../access/grants.js';
import { registryResourceId } from '../../access/roles.js';
import { SCOPE_MAP_ACTIONS, systemScopeMap } from '../../access/scope-maps.js';
import type { RepositoryAction } from '../../access/scopes.js';
import { describeScope } from '../../auth/data-plane-auth.js';
import { describePrincipal } from '../../access/principal.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import { englishReason, renderReason } from '../../access/decision.js';
import type { Language } from '../../i18n/languages.js';
import type { AuthenticationReplay } from './diagnose-identity.js';
import type { DiagnoseFix, DiagnoseStageResult } from './diagnose-types.js';
import { loginServerOfRecord } from './registry-view.js';
import type { ManagementServices } from '../context.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'config' | 'dataPlane'>;

/** The built-in role that grants each action (the least one). */
const ROLE_FOR: Record<RepositoryAction, string> = {
  pull: 'AcrPull',
  metadata_read: 'AcrPull',
  push: 'AcrPush',
  metadata_write: 'AcrPush',
  delete: 'AcrDelete',
};

/** The system scope map that grants each action (the least one). */
const SYSTEM_MAP_FOR: Record<RepositoryAction, string> = {
  pull: '_repositories_pull',
  metadata_read: '_repositories_pull_metadata_read',
  push: '_repositories_push',
  metadata_write: '_repositories_push_metadata_write',
  delete: '_repositories_admin',
};

function scopeMapActionOf(action: RepositoryAction): string {
  return Object.entries(SCOPE_MAP_ACTIONS).find(([, value]) => value === action)![0];
}

function fixOf(
  services: HandlerServices,
  registry: RegistryRecord,
  auth: AuthenticationReplay,
  repository: string,
  action: RepositoryAction,
): DiagnoseFix | undefined {
  const principal = auth.principal!;
  switch (principal.kind) {
    case 'anonymous':
      if (action === 'pull' || action === 'metadata_read') return { kind: 'enableAnonymousPull', params: { registry: registry.name } };
      return { kind: 'login', params: { registry: registry.name, loginServer: loginServerOfRecord(registry, services.config) } };
    case 'repositoryToken': {
      const map = auth.token?.scopeMap ?? '';
      if (map === '' || systemScopeMap(map))
        return { kind: 'useSystemScopeMap', params: { registry: registry.name, token: principal.name, scopeMap: SYSTEM_MAP_FOR[action] } };
      return { kind: 'extendScopeMap', params: { registry: registry.name, scopeMap: map, repository, scopeMapAction: scopeMapActionOf(action) } };
    }
    case 'adminUser':
      return undefined;
    default: {
      const identity = auth.identity;
      const assignee = identity?.appId ?? identity?.userName ?? principal.id;
      return { kind: 'assignRole', params: { registry: registry.name, registryId: registryResourceId(registry), assignee, role: ROLE_FOR[action] } };
    }
  }
}

export async function replayAuthorization(
  services: HandlerServices,
  registry: RegistryRecord,
  auth: AuthenticationReplay,
  repository: string | null,
  action: RepositoryAction | null,
  language: Language,
): Promise<DiagnoseStageResult> {
  const principal = auth.principal;
  if (auth.stage.result === 'notEvaluated') {
    return {
      stage: 'authorization',
      result: 'notEvaluated',
      rule: 'identity:unrecorded',
      reason: 'who made the request is not known, so no grant is looked at',
    };
  }
  if (!principal) {
    return { stage: 'authorization', result: 'notEvaluated', rule: 'authentication:failed', reason: 'authentication does not pass, so no grant is looked at' };
  }
  if (repository === null || action === null) {
    return {
      stage: 'authorization',
      result: 'notEvaluated',
      rule: 'request:unrecorded',
      reason: 'no repository and action to check: the audit record does not name them',
    };
  }
  if (services.dataPlane.openAccess)
    return { stage: 'authorization', result: 'allowed', rule: 'openAccess', reason: 'open access (auth.openAccess is on: every request is allowed)' };
  const required = { type: 'repository', name: repository, actions: [action] };
  const grants = await services.dataPlane.grants.grantsOf(principal, registry);
  // The rule and the grants held are shown to the caller: in their language. The reason stays English, as the audit log keeps it.
  const held = grants.sources.map((source) => renderReason(source, language));
  const heldEnglish = grants.sources.map(englishReason);
  const allowedActions = intersect(grants, [required])[0]?.actions ?? [];
  if (allowedActions.includes(action)) {
    const source = grants.repositories.find((g) => matchesPattern(g.pattern, repository) && g.actions.has(action))?.source;
    return {
      stage: 'authorization',
      result: 'allowed',
      rule: source ? renderReason(source, language) : held.join(', '),
      reason: `${source ? englishReason(source) : heldEnglish.join(', ')} allows ${describeScope(required)}`,
      details: { grants: held },
    };
  }
  const has = held.length > 0 ? `its grants: ${heldEnglish.join(', ')}` : `it has no role or scope map on registry '${registry.name}'`;
  const fix = fixOf(services, registry, auth, repository, action);
  return {
    stage: 'authorization',
    result: 'denied',
    code: 'AUTHORIZATION_DENIED',
    rule: held.length > 0 ? 'noMatchingGrant' : 'noGrant',
    reason: `${describePrincipal(principal)} may not ${describeScope(required)} (${has})`,
    details: { grants: held },
    ...(fix ? { fix } : {}),
  };
}
