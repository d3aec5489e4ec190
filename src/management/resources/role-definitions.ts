/**
 * Microsoft.Authorization/roleDefinitions: Wharf's built-in roles (access/roles.ts) as ARM
 * shows them, so `az role assignment create --role AcrPush` and SDKs can look a role up by
 * name and use its id. Every authenticated caller may read them, as on Azure.
 */
import { BUILT_IN_ROLES, ROLE_DEFINITIONS, roleById, type RoleDefinition } from '../../access/roles.js';
import type { RepositoryAction } from '../../access/scopes.js';
import { armErrors, armReason } from '../../kernel/arm-errors.js';
import { collection, ok, type ManagementContext, type ManagementResult, type ManagementServices } from '../context.js';
import { anyCaller, type RouteSpec } from '../route-table.js';
import { requireSubscription } from './lookup.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'arm' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

const ROLE_DEFINITION_TYPE = 'Microsoft.Authorization/roleDefinitions';
/** When the built-in roles were defined; ARM shows a creation time for each. */
const DEFINED_ON = '2015-02-02T21:55:09.8806423Z';

const DATA_ACTIONS: Record<RepositoryAction, string> = {
  pull: 'Microsoft.ContainerRegistry/registries/pull/read',
  push: 'Microsoft.ContainerRegistry/registries/push/write',
  delete: 'Microsoft.ContainerRegistry/registries/artifacts/delete',
  metadata_read: 'Microsoft.ContainerRegistry/registries/metadata/read',
  metadata_write: 'Microsoft.ContainerRegistry/registries/metadata/write',
};

/** The permissions block, derived from what the role allows (management rights cover the data actions). */
function permissionsOf(role: RoleDefinition): { actions: string[]; notActions: string[]; dataActions: string[]; notDataActions: string[] } {
  let actions: string[];
  let notActions: string[] = [];
  if (role.arm.write) {
    actions = ['*'];
    if (!role.arm.assignRoles) notActions = ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/*/Write'];
  } else if (role.arm.read) {
    actions = ['*/read'];
  } else {
    actions = role.repositoryActions.map((a) => DATA_ACTIONS[a]);
    if (role.name === 'AcrImageSigner') actions = ['Microsoft.ContainerRegistry/registries/sign/write'];
  }
  return { actions, notActions, dataActions: [], notDataActions: [] };
}

/** `/subscriptions/<s>/providers/…/roleDefinitions/<guid>`, or the tenant-level id without a subscription. */
export function roleDefinitionId(role: RoleDefinition, subscriptionId: string | undefined): string {
  return `${subscriptionId ? `/subscriptions/${subscriptionId}` : ''}/providers/${ROLE_DEFINITION_TYPE}/${role.id}`;
}

function roleDefinitionJson(role: RoleDefinition, subscriptionId: string | undefined): Record<string, unknown> {
  return {
    id: roleDefinitionId(role, subscriptionId),
    name: role.id,
    type: ROLE_DEFINITION_TYPE,
    properties: {
      roleName: role.name,
      type: 'BuiltInRole',
      description: role.description,
      assignableScopes: ['/'],
      permissions: [permissionsOf(role)],
      createdOn: DEFINED_ON,
      updatedOn: DEFINED_ON,
      createdBy: null,
      updatedBy: null,
    },
  };
}

/** The subscription a scope starts with (checked), or undefined for the tenant root. */
async function subscriptionOfScope(context: HandlerContext): Promise<string | undefined> {
  const scope = context.params.scope ?? '';
  if (scope === '') return undefined;
  const match = /^\/subscriptions\/([^/]+)/i.exec(scope);
  if (!match) throw armErrors.badRequest(armReason('notAScope', { scope }));
  return (await requireSubscription(context, match[1]!)).id;
}

/** `roleName eq 'AcrPush'`, `type eq 'BuiltInRole'`, or none. */
function filterRoles(filter: string | null): RoleDefinition[] {
  const all = BUILT_IN_ROLES.map((name) => ROLE_DEFINITIONS[name]);
  if (filter === null || filter.trim() === '') return all;
  const byName = /^\s*roleName\s+eq\s+'([^']*)'\s*$/i.exec(filter);
  if (byName) return all.filter((r) => r.name.toLowerCase() === byName[1]!.toLowerCase());
  const byType = /^\s*type\s+eq\s+'([^']*)'\s*$/i.exec(filter);
  if (byType) return byType[1]!.toLowerCase() === 'builtinrole' ? all : [];
  throw armErrors.invalidFilter(filter, "roleName eq '<name>', type eq 'BuiltInRole'");
}

async function listRoleDefinitions(context: HandlerContext): Promise<ManagementResult> {
  const subscriptionId = await subscriptionOfScope(context);
  return collection(filterRoles(context.query.get('$filter')).map((r) => roleDefinitionJson(r, subscriptionId)));
}

async function getRoleDefinition(context: HandlerContext): Promise<ManagementResult> {
  const subscriptionId = await subscriptionOfScope(context);
  const role = roleById(context.params.roleDefinitionId!);
  if (!role) throw armErrors.roleDefinitionNotFound(context.params.roleDefinitionId!);
  return ok(roleDefinitionJson(role, subscriptionId));
}

/** The built-in roles are the same for every caller; the scope's subscription must exist (subscriptionOfScope). */
const builtInRoles = anyCaller('built-in role definitions read the same for every caller');

export const roleDefinitionRoutes: RouteSpec[] = [
  {
    id: 'roleDefinitions.list',
    template: '{*scope}/providers/Microsoft.Authorization/roleDefinitions',
    methods: { GET: { handler: listRoleDefinitions, needs: builtInRoles } },
  },
  {
    id: 'roleDefinitions.roleDefinition',
    template: '{*scope}/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionId}',
    methods: { GET: { handler: getRoleDefinition, needs: builtInRoles } },
  },
];
