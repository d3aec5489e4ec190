/**
 * What a Graph route declares it needs (route-table.ts, DirectoryNeed), checked by the dispatcher
 * before the handler runs, as Entra decides it (domain/directory-roles.ts): reading the directory
 * takes a directory role or read on a subscription of the caller's tenant; changing it takes a
 * directory right (a directory role, or ownership of the application changed); a subscription
 * role never reaches another principal's credentials. Graph's order: the right (403), the
 * object the path names (404), the right to change that object (403).
 */
import { ROLE_DEFINITIONS } from '../../access/roles.js';
import { DirectoryRights } from '../../domain/directory-roles.js';
import { localize, type MessageValue } from '../../i18n/localized.js';
import type { IdentityRecord } from '../../storage/metadata/access-records.js';
import { scopeWithin } from '../authorization.js';
import type { ManagementContext, ManagementServices } from '../context.js';
import type { DirectoryNeed, DirectoryObjectNeed, DirectoryRightNeed } from '../route-table.js';
import { graphErrorMessages } from './graph-error-messages.js';
import { graphErrors } from './graph-errors.js';

/** What these handlers use of the management plane's services. */
type HandlerServices = Pick<ManagementServices, 'identity' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

const m = (key: Extract<keyof typeof graphErrorMessages.messages.en, string>, values?: Record<string, MessageValue>) =>
  localize(graphErrorMessages, key, values);

const isGuid = (text: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);

function rightsOf(context: HandlerContext): DirectoryRights {
  return new DirectoryRights(context.services.store, context.caller.objectId);
}

async function holdsOnTenantSubscription(context: HandlerContext, right: 'read' | 'assignRoles'): Promise<boolean> {
  const subscriptions = (await context.services.store.scaffold.subscriptions()).filter((s) => s.tenantId === context.caller.tenantId);
  return (await context.access.assignments()).some(
    (a) => ROLE_DEFINITIONS[a.roleName]?.arm[right] && subscriptions.some((s) => scopeWithin(`/subscriptions/${s.id}`, a.scope)),
  );
}

async function requireRight(context: HandlerContext, right: DirectoryRightNeed['right']): Promise<void> {
  const rights = rightsOf(context);
  switch (right) {
    case 'read':
      if ((await rights.roles()).length > 0 || (await holdsOnTenantSubscription(context, 'read'))) return;
      throw graphErrors.denied(m('readNeedsRole', { caller: context.caller.name, tenant: context.caller.tenantId }));
    case 'registerApplications':
      // Entra lets members register applications: an Owner of a subscription of the tenant may too.
      // The new application is the caller's own to manage; nobody else's becomes reachable this way.
      if ((await rights.has('applications')) || (await holdsOnTenantSubscription(context, 'assignRoles'))) return;
      throw graphErrors.denied(m('createApplicationNeedsRole', { caller: context.caller.name }));
    case 'users':
    case 'roles':
      if (await rights.has(right)) return;
      throw graphErrors.denied(m(right === 'users' ? 'createUserNeedsRole' : 'assignRoleNeedsRole', { caller: context.caller.name }));
  }
}

function ofTenant(context: HandlerContext, identity: IdentityRecord | undefined): IdentityRecord | undefined {
  return identity && identity.tenantId === context.caller.tenantId ? identity : undefined;
}

/** The object the path names: by object id (`{id}`, a user also by sign-in name) or app id (`(appId='…')`), of the caller's tenant. */
async function findObject(context: HandlerContext, object: DirectoryObjectNeed['object']): Promise<IdentityRecord> {
  const { id, appId } = context.params;
  if (object === 'user') {
    const { identities } = context.services.store;
    const found = isGuid(id!) ? await identities.get(id!.toLowerCase()) : await identities.getByUserName(id!);
    const user = ofTenant(context, found);
    if (!user || user.type !== 'User') throw graphErrors.notFound(id!);
    return user;
  }
  const { directory } = context.services.identity;
  const found = appId !== undefined ? await directory.findApplication(appId) : isGuid(id!) ? await directory.get(id!) : undefined;
  const identity = ofTenant(context, found);
  // An application is a service principal; a managed identity is a service principal without one.
  const wanted = object === 'application' ? identity?.type === 'ServicePrincipal' : identity !== undefined && identity.type !== 'User';
  if (!identity || !wanted) throw graphErrors.notFound(appId ?? id!);
  return identity;
}

/** Changing an identity (credentials, owners, deletion): its owner or an administrator; see DirectoryRights.mayChange. */
async function requireChange(context: HandlerContext, target: IdentityRecord): Promise<void> {
  if (await rightsOf(context).mayChange(target)) return;
  const protectedTarget = (await context.services.store.identities.directoryRoles(target.objectId)).length > 0;
  const key = protectedTarget ? 'changeAdministrator' : target.type === 'User' ? 'changeUserNeedsRole' : 'changeApplicationNeedsRole';
  throw graphErrors.denied(m(key, { caller: context.caller.name, target: target.userName ?? target.appId ?? target.displayName }));
}

/** Checks a Graph route's declared need; a `directoryObject` need leaves the object on the context. */
export async function authorizeDirectoryRoute(context: HandlerContext, need: DirectoryNeed): Promise<void> {
  if (need.scope === 'directory') return requireRight(context, need.right);
  await requireRight(context, 'read');
  const target = await findObject(context, need.object);
  if (need.change) await requireChange(context, target);
  context.directoryObject = target;
}
