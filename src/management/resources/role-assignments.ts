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
import { ROLE_DEFINITIONS, registryResourceId, roleById } from '../../access/roles.js';
import { parseScopeMapAction } from '../../access/scope-maps.js';
import type { IdentityType, RoleAssignmentRecord } from '../../storage/metadata/access-records.js';
import { ArmError, armErrors, armText } from '../arm-errors.js';
import { scopeCovers, scopeWithin, type ArmPermission } from '../authorization.js';
import { collection, created, ok, type ManagementContext, type ManagementResult } from '../context.js';
import { optionalString, propertiesOf, requiredString } from '../json-body.js';
import type { RouteSpec } from '../route-table.js';
import { REGISTRY_TYPE, registryIsAt, requireResourceGroup, requireSubscription, resourceGroupScope, subscriptionScope } from './lookup.js';
import { roleDefinitionId } from './role-definitions.js';

const ROLE_ASSIGNMENT_TYPE = 'Microsoft.Authorization/roleAssignments';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SCOPE =
  /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+)(?:\/providers\/Microsoft\.ContainerRegistry\/registries\/([^/]+)(?:\/repositories\/(.+))?)?)?$/i;

export const roleAssignmentActions = {
  read: `${ROLE_ASSIGNMENT_TYPE}/read`,
  write: `${ROLE_ASSIGNMENT_TYPE}/write`,
  delete: `${ROLE_ASSIGNMENT_TYPE}/delete`,
} as const;

export interface AssignmentScope {
  /** Canonical spelling. */
  scope: string;
  subscriptionId: string;
}

/**
 * Checks the scope in ARM's order (subscription, the caller's right over the scope, then that
 * what it names exists) and returns its canonical spelling.
 */
export async function resolveAssignmentScope(
  context: ManagementContext,
  text: string,
  permission: ArmPermission,
  action: string,
): Promise<AssignmentScope> {
  const trimmed = text.replace(/\/+$/, '');
  const match = SCOPE.exec(trimmed);
  if (!match) {
    throw armErrors.badRequest(
      `'${text || '/'}' is not a role assignment scope Wharf supports: use /subscriptions/<id>, a resource group, a registry, or <registry id>/repositories/<repository or pattern>.`,
      'scope',
    );
  }
  const [, subscriptionText, groupText, registryText, repositoryText] = match;
  const subscription = await requireSubscription(context, subscriptionText!);
  await context.access.require(trimmed, permission, action);
  if (groupText === undefined) return { scope: subscriptionScope(subscription.id), subscriptionId: subscription.id };
  const group = await requireResourceGroup(context, subscription.id, groupText);
  if (registryText === undefined) return { scope: resourceGroupScope(subscription.id, group.name), subscriptionId: subscription.id };
  const registry = await context.services.store.registries.get(registryText.toLowerCase());
  if (!registry || !registryIsAt(registry, subscription.id, group.name)) throw armErrors.resourceNotFound(REGISTRY_TYPE, registryText, group.name);
  if (repositoryText === undefined) return { scope: registryResourceId(registry), subscriptionId: subscription.id };
  const repository = repositoryText.toLowerCase();
  const parsed = parseScopeMapAction(`repositories/${repository}/content/read`);
  if (typeof parsed === 'string') {
    throw armErrors.badRequest(`'${repositoryText}' is not a repository name or pattern ('*' matches any characters, '/' included).`, 'scope');
  }
  return { scope: `${registryResourceId(registry)}/repositories/${repository}`, subscriptionId: subscription.id };
}

/** ARM shows managed identities as service principals. */
function armPrincipalType(type: IdentityType): string {
  return type === 'ManagedIdentity' ? 'ServicePrincipal' : type;
}

function subscriptionOf(scope: string): string {
  return /^\/subscriptions\/([^/]+)/i.exec(scope)![1]!;
}

export function roleAssignmentJson(assignment: RoleAssignmentRecord): Record<string, unknown> {
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

function sameScope(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

async function putRoleAssignment(context: ManagementContext): Promise<ManagementResult> {
  const { store } = context.services;
  const name = context.params.roleAssignmentName!;
  const { scope, subscriptionId } = await resolveAssignmentScope(context, context.params.scope ?? '', 'assignRoles', roleAssignmentActions.write);
  if (!GUID.test(name)) {
    throw new ArmError(400, 'InvalidRoleAssignmentId', armText('invalidRoleAssignmentId', { name }));
  }
  const body = await context.body();
  const properties = propertiesOf(body);
  const roleDefinition = requiredString(properties, 'roleDefinitionId', 'properties.roleDefinitionId');
  const role = roleById(roleDefinition);
  if (!role) throw new ArmError(400, 'RoleDefinitionDoesNotExist', armText('roleDefinitionNotFound', { id: roleDefinition }));
  const condition = optionalString(properties, 'condition', 'properties.condition');
  if (condition !== undefined && condition.trim() !== '') {
    throw armErrors.featureNotSupported(
      'properties.condition',
      'role assignment conditions are not supported; to grant on some repositories only, assign at the scope <registry id>/repositories/<name or pattern>',
    );
  }
  const principalId = requiredString(properties, 'principalId', 'properties.principalId');
  const tenantId = (await requireSubscription(context, subscriptionId)).tenantId;
  const principal = await store.identities.get(principalId.toLowerCase());
  if (!principal || principal.tenantId !== tenantId) throw armErrors.principalNotFound(principalId, tenantId);
  const principalType = optionalString(properties, 'principalType', 'properties.principalType');
  if (principalType !== undefined && ![principal.type, armPrincipalType(principal.type)].some((t) => t.toLowerCase() === principalType.toLowerCase())) {
    throw new ArmError(
      400,
      'UnmatchedPrincipalType',
      armText('unmatchedPrincipalType', { principalId: principal.objectId, actual: armPrincipalType(principal.type), requested: principalType }),
    );
  }

  const id = name.toLowerCase();
  const existing = await store.roleAssignments.get(id);
  if (existing) {
    if (sameScope(existing.scope, scope) && existing.roleName === role.name && existing.principalId === principal.objectId) {
      return ok(roleAssignmentJson(existing));
    }
    throw armErrors.conflict('RoleAssignmentUpdateNotPermitted', 'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.');
  }
  const duplicate = (await store.roleAssignments.list(scope)).find(
    (a) => sameScope(a.scope, scope) && a.roleName === role.name && a.principalId === principal.objectId,
  );
  if (duplicate) {
    throw armErrors.conflict('RoleAssignmentExists', `The role assignment already exists. The ID of the existing role assignment is ${duplicate.id}.`);
  }
  const record: RoleAssignmentRecord = {
    id,
    scope,
    roleName: role.name,
    principalId: principal.objectId,
    principalType: principal.type,
    createdAt: new Date().toISOString(),
  };
  await store.roleAssignments.create(record);
  context.services.events.publish({ kind: 'grant' });
  return created(roleAssignmentJson(record));
}

async function getRoleAssignment(context: ManagementContext): Promise<ManagementResult> {
  const { scope } = await resolveAssignmentScope(context, context.params.scope ?? '', 'read', roleAssignmentActions.read);
  const name = context.params.roleAssignmentName!;
  const assignment = await context.services.store.roleAssignments.get(name.toLowerCase());
  if (!assignment || !sameScope(assignment.scope, scope)) throw armErrors.roleAssignmentNotFound(name);
  return ok(roleAssignmentJson(assignment));
}

async function deleteRoleAssignment(context: ManagementContext): Promise<ManagementResult> {
  const { scope } = await resolveAssignmentScope(context, context.params.scope ?? '', 'assignRoles', roleAssignmentActions.delete);
  const { roleAssignments } = context.services.store;
  const assignment = await roleAssignments.get(context.params.roleAssignmentName!.toLowerCase());
  if (!assignment || !sameScope(assignment.scope, scope)) return { status: 204 };
  await roleAssignments.delete(assignment.id);
  context.services.events.publish({ kind: 'grant' });
  return ok(roleAssignmentJson(assignment));
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
async function listRoleAssignments(context: ManagementContext): Promise<ManagementResult> {
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

export const roleAssignmentRoutes: RouteSpec[] = [
  { id: 'roleAssignments.list', template: '{*scope}/providers/Microsoft.Authorization/roleAssignments', methods: { GET: listRoleAssignments } },
  {
    id: 'roleAssignments.roleAssignment',
    template: '{*scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentName}',
    methods: { GET: getRoleAssignment, PUT: putRoleAssignment, DELETE: deleteRoleAssignment },
  },
];
