/**
 * Microsoft.Authorization/roleAssignments (api-version 2022-04-01 shapes): create (PUT), get,
 * delete and list at a scope. Scopes Wharf takes: a subscription, a resource group, a
 * registry, and a repository inside a registry, `<registry id>/repositories/<name or glob>`:
 * Wharf's ABAC-style repository grant (ACR expresses the same with role-assignment conditions
 * on repository names; Wharf puts the repository in the scope instead, so `condition` is
 * refused). A repository grant only gives data-plane rights on the matching repositories.
 * Scopes are stored in canonical spelling (the stored registry and resource group names), the
 * form the data plane compares against.
 */
import { ROLE_DEFINITIONS, registryResourceId } from '../../access/roles.js';
import { parseScopeMapAction } from '../../access/scope-maps.js';
import type { RoleAssignmentRecord } from '../../storage/metadata/access-records.js';
import { armErrors, armReason } from '../../kernel/arm-errors.js';
import { z } from 'zod';
import { armPrincipalType } from '../../domain/role-assignment-service.js';
import { armIssue, nullable, parseArmBody, requiredText } from '../arm-body.js';
import { scopeCovers, scopeWithin, type ArmPermission } from '../authorization.js';
import { collection, created, ok, type ManagementContext, type ManagementResult, type ManagementServices } from '../context.js';
import { checkedInHandler, type RouteSpec } from '../route-table.js';
import { REGISTRY_TYPE, registryIsAt, requireResourceGroup, requireSubscription, resourceGroupScope, subscriptionScope } from './lookup.js';
import { roleDefinitionId } from './role-definitions.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'arm' | 'roleAssignmentService' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

const ROLE_ASSIGNMENT_TYPE = 'Microsoft.Authorization/roleAssignments';
const SCOPE =
  /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+)(?:\/providers\/Microsoft\.ContainerRegistry\/registries\/([^/]+)(?:\/repositories\/(.+))?)?)?$/i;

const roleAssignmentActions = {
  read: `${ROLE_ASSIGNMENT_TYPE}/read`,
  write: `${ROLE_ASSIGNMENT_TYPE}/write`,
  delete: `${ROLE_ASSIGNMENT_TYPE}/delete`,
} as const;

interface AssignmentScope {
  /** Canonical spelling. */
  scope: string;
  subscriptionId: string;
  /** The tenant of the subscription. */
  tenantId: string;
}

/**
 * Checks the scope in ARM's order (subscription, the caller's right over the scope, then that
 * what it names exists) and returns its canonical spelling.
 */
async function resolveAssignmentScope(context: HandlerContext, text: string, permission: ArmPermission, action: string): Promise<AssignmentScope> {
  const trimmed = text.replace(/\/+$/, '');
  const match = SCOPE.exec(trimmed);
  if (!match) {
    throw armErrors.badRequest(armReason('roleScopeUnsupported', { scope: text || '/' }), 'scope');
  }
  const [, subscriptionText, groupText, registryText, repositoryText] = match;
  const subscription = await requireSubscription(context, subscriptionText!);
  await context.access.require(trimmed, permission, action);
  const at = (scope: string): AssignmentScope => ({ scope, subscriptionId: subscription.id, tenantId: subscription.tenantId });
  if (groupText === undefined) return at(subscriptionScope(subscription.id));
  const group = await requireResourceGroup(context, subscription.id, groupText);
  if (registryText === undefined) return at(resourceGroupScope(subscription.id, group.name));
  const registry = await context.services.store.registries.get(registryText.toLowerCase());
  if (!registry || !registryIsAt(registry, subscription.id, group.name)) throw armErrors.resourceNotFound(REGISTRY_TYPE, registryText, group.name);
  if (repositoryText === undefined) return at(registryResourceId(registry));
  const repository = repositoryText.toLowerCase();
  const parsed = parseScopeMapAction(`repositories/${repository}/content/read`);
  if ('problem' in parsed) {
    throw armErrors.badRequest(armReason('roleRepositoryPattern', { repository: repositoryText }), 'scope');
  }
  return at(`${registryResourceId(registry)}/repositories/${repository}`);
}

function subscriptionOf(scope: string): string {
  return /^\/subscriptions\/([^/]+)/i.exec(scope)![1]!;
}

function roleAssignmentJson(assignment: RoleAssignmentRecord): Record<string, unknown> {
  const role = ROLE_DEFINITIONS[assignment.roleName];
  return {
    id: `${assignment.scope}/providers/${ROLE_ASSIGNMENT_TYPE}/${assignment.id}`,
    name: assignment.id,
    type: ROLE_ASSIGNMENT_TYPE,
    properties: {
      roleDefinitionId: roleDefinitionId(role, subscriptionOf(assignment.scope)),
      principalId: assignment.principalId,
      principalType: armPrincipalType(assignment.principalType),
      scope: assignment.scope,
      condition: null,
      conditionVersion: null,
      createdOn: assignment.createdAt,
      updatedOn: assignment.createdAt,
      createdBy: null,
      updatedBy: null,
      delegatedManagedIdentityResourceId: null,
      description: null,
    },
  };
}

/** The fields of a role assignment a PUT sends. */
const assignmentBody = z
  .object({
    properties: nullable(
      z
        .object({
          roleDefinitionId: requiredText,
          condition: nullable(z.string()),
          principalId: requiredText,
          principalType: nullable(z.string()),
        })
        .loose(),
    ),
  })
  .loose()
  .superRefine((body, context) => {
    if (!body.properties) armIssue(context, { key: 'fieldRequired', values: { path: 'properties.roleDefinitionId' } }, ['properties', 'roleDefinitionId']);
  });

async function putRoleAssignment(context: HandlerContext): Promise<ManagementResult> {
  const place = await resolveAssignmentScope(context, context.params.scope ?? '', 'assignRoles', roleAssignmentActions.write);
  const { record, created: isNew } = await context.services.roleAssignmentService.create(place, context.params.roleAssignmentName!, async () => {
    const properties = parseArmBody(assignmentBody, await context.body()).properties!;
    return {
      roleDefinitionId: properties.roleDefinitionId,
      principalId: properties.principalId,
      ...(properties.principalType !== undefined ? { principalType: properties.principalType } : {}),
      ...(properties.condition !== undefined ? { condition: properties.condition } : {}),
    };
  });
  return isNew ? created(roleAssignmentJson(record)) : ok(roleAssignmentJson(record));
}

async function getRoleAssignment(context: HandlerContext): Promise<ManagementResult> {
  const { scope } = await resolveAssignmentScope(context, context.params.scope ?? '', 'read', roleAssignmentActions.read);
  const name = context.params.roleAssignmentName!;
  const assignment = await context.services.roleAssignmentService.find(scope, name);
  if (!assignment) throw armErrors.roleAssignmentNotFound(name);
  return ok(roleAssignmentJson(assignment));
}

async function deleteRoleAssignment(context: HandlerContext): Promise<ManagementResult> {
  const { scope } = await resolveAssignmentScope(context, context.params.scope ?? '', 'assignRoles', roleAssignmentActions.delete);
  const assignment = await context.services.roleAssignmentService.delete(scope, context.params.roleAssignmentName!);
  return assignment ? ok(roleAssignmentJson(assignment)) : { status: 204 };
}

interface AssignmentFilter {
  atScope: boolean;
  principalId?: string;
}

/** `atScope()`, `principalId eq '<id>'`, `assignedTo('<id>')`, joined by `and`; or none. */
function parseAssignmentFilter(text: string | null): AssignmentFilter {
  const filter: AssignmentFilter = { atScope: false };
  if (text === null || text.trim() === '') return filter;
  for (const term of text.trim().split(/\s+and\s+/i)) {
    let match: RegExpExecArray | null;
    if (/^atScope\(\)$/i.test(term)) filter.atScope = true;
    else if ((match = /^principalId\s+eq\s+'([^']+)'$/i.exec(term)) || (match = /^assignedTo\('([^']+)'\)$/i.exec(term))) {
      filter.principalId = match[1]!.toLowerCase();
    } else {
      throw armErrors.invalidFilter(text, "atScope(), principalId eq '<object id>', assignedTo('<object id>'), joined by 'and'");
    }
  }
  return filter;
}

/**
 * ARM's listing semantics: assignments at the scope and above it (they apply to it), and,
 * without atScope(), those below it too.
 */
async function listRoleAssignments(context: HandlerContext): Promise<ManagementResult> {
  const { scope, subscriptionId } = await resolveAssignmentScope(context, context.params.scope ?? '', 'read', roleAssignmentActions.read);
  const filter = parseAssignmentFilter(context.query.get('$filter'));
  const all = await context.services.store.roleAssignments.list(subscriptionScope(subscriptionId));
  const rows = all.filter(
    (a) =>
      (scopeCovers(a.scope, scope) || (!filter.atScope && scopeWithin(a.scope, scope))) &&
      (filter.principalId === undefined || a.principalId.toLowerCase() === filter.principalId),
  );
  return collection(rows.map(roleAssignmentJson));
}

/** The scope is any depth of the path (subscription, group, registry, repository), parsed and checked in ARM's order by resolveAssignmentScope. */
const assignmentScopeChecked = checkedInHandler('the scope is parsed from the path at any depth (resolveAssignmentScope)');

export const roleAssignmentRoutes: RouteSpec[] = [
  {
    id: 'roleAssignments.list',
    template: '{*scope}/providers/Microsoft.Authorization/roleAssignments',
    methods: { GET: { handler: listRoleAssignments, needs: assignmentScopeChecked } },
  },
  {
    id: 'roleAssignments.roleAssignment',
    template: '{*scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}',
    methods: {
      GET: { handler: getRoleAssignment, needs: assignmentScopeChecked },
      PUT: { handler: putRoleAssignment, needs: assignmentScopeChecked },
      DELETE: { handler: deleteRoleAssignment, needs: assignmentScopeChecked },
    },
  },
];
