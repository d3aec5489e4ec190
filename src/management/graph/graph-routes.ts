/**
 * A Microsoft Graph v1.0 subset for the directory, enough for `az ad sp create-for-rbac`-like
 * flows and the wharf CLI: applications (create, list with $filter, get, delete,
 * addPassword, removePassword), service principals (create for an application, list, get,
 * delete) and users (create, list, get, delete). One application is one service principal
 * (see graph-views.ts). Reading the directory needs a directory role or a role with read rights
 * on a subscription of the caller's tenant. Changing it needs a directory right, as in Entra
 * (identity/directory-roles.ts): a directory role, or ownership of the application changed;
 * a subscription role never reaches another principal's credentials.
 */
import { ROLE_DEFINITIONS } from '../../access/roles.js';
import { localize, type MessageValue } from '../../i18n/localized.js';
import { DIRECTORY_ROLES, DirectoryRights, findDirectoryRole, GLOBAL_ADMINISTRATOR } from '../../identity/directory-roles.js';
import type { IdentityRecord } from '../../storage/metadata/access-records.js';
import { armReason } from '../../kernel/arm-errors.js';
import { scopeWithin } from '../authorization.js';
import { created, noContent, ok, type ManagementContext, type ManagementResult } from '../context.js';
import type { RouteSpec } from '../route-table.js';
import {
  addPasswordBody,
  applicationBody,
  directoryRoleAssignmentBody,
  ownerReferenceBody,
  parseGraphBody,
  removePasswordBody,
  servicePrincipalBody,
  timeAt,
  userBody,
  userUpdateBody,
} from './graph-bodies.js';
import { graphErrorMessages } from './graph-error-messages.js';
import { directoryCall, graphErrors } from './graph-errors.js';
import { applicationJson, graphCollection, graphEntity, passwordCredentialJson, servicePrincipalJson, userJson } from './graph-views.js';

const m = (key: Extract<keyof typeof graphErrorMessages.messages.en, string>, values?: Record<string, MessageValue>) =>
  localize(graphErrorMessages, key, values);

// ---------------------------------------------------------------- access

function rightsOf(context: ManagementContext): DirectoryRights {
  return new DirectoryRights(context.services.store, context.caller.objectId);
}

/** Reading the directory: any directory role, or a role with read access on a subscription of the caller's tenant. */
async function requireDirectoryRead(context: ManagementContext): Promise<void> {
  if ((await rightsOf(context).roles()).length > 0) return;
  if (await holdsOnTenantSubscription(context, 'read')) return;
  throw graphErrors.denied(m('readNeedsRole', { caller: context.caller.name, tenant: context.caller.tenantId }));
}

async function holdsOnTenantSubscription(context: ManagementContext, right: 'read' | 'assignRoles'): Promise<boolean> {
  const subscriptions = (await context.services.store.scaffold.subscriptions()).filter((s) => s.tenantId === context.caller.tenantId);
  return (await context.access.assignments()).some(
    (a) => ROLE_DEFINITIONS[a.roleName]?.arm[right] && subscriptions.some((s) => scopeWithin(`/subscriptions/${s.id}`, a.scope)),
  );
}

/**
 * Registering a new application: an administrator, or an Owner of a subscription of the tenant
 * (Entra lets members register applications). The new application is the caller's own to
 * manage; nobody else's becomes reachable this way.
 */
async function requireApplicationCreate(context: ManagementContext): Promise<void> {
  if (await rightsOf(context).has('applications')) return;
  if (await holdsOnTenantSubscription(context, 'assignRoles')) return;
  throw graphErrors.denied(m('createApplicationNeedsRole', { caller: context.caller.name }));
}

/** Changing an identity (credentials, owners, deletion): its owner or an administrator; see DirectoryRights.mayChange. */
async function requireChange(context: ManagementContext, target: IdentityRecord): Promise<void> {
  if (await rightsOf(context).mayChange(target)) return;
  const protectedTarget = (await context.services.store.identities.directoryRoles(target.objectId)).length > 0;
  const key = protectedTarget ? 'changeAdministrator' : target.type === 'User' ? 'changeUserNeedsRole' : 'changeApplicationNeedsRole';
  throw graphErrors.denied(m(key, { caller: context.caller.name, target: target.userName ?? target.appId ?? target.displayName }));
}

async function requireRight(context: ManagementContext, change: 'users' | 'roles'): Promise<void> {
  if (await rightsOf(context).has(change)) return;
  throw graphErrors.denied(m(change === 'users' ? 'createUserNeedsRole' : 'assignRoleNeedsRole', { caller: context.caller.name }));
}

// ---------------------------------------------------------------- $filter

interface Clause {
  kind: 'eq' | 'startswith' | 'any';
  property: string;
  value: string;
}

/** `prop eq 'v'`, `startswith(prop,'v')`, `servicePrincipalNames/any(c:c eq 'v')`, joined by `and`. */
function parseFilter(text: string | null, properties: string[]): Clause[] {
  if (text === null || text.trim() === '') return [];
  const supported = properties.map((p) => `${p} eq '…'`).join(', ') + ", startswith(displayName,'…')";
  return text
    .trim()
    .split(/\s+and\s+/i)
    .map((term): Clause => {
      let match = /^(\w+)\s+eq\s+'((?:[^']|'')*)'$/i.exec(term);
      if (match && properties.some((p) => p.toLowerCase() === match![1]!.toLowerCase())) {
        return { kind: 'eq', property: match[1]!.toLowerCase(), value: match[2]!.replace(/''/g, "'") };
      }
      match = /^startswith\(\s*displayName\s*,\s*'((?:[^']|'')*)'\s*\)$/i.exec(term);
      if (match) return { kind: 'startswith', property: 'displayname', value: match[1]!.replace(/''/g, "'") };
      match = /^servicePrincipalNames\/any\(\s*(\w+)\s*:\s*\1\s+eq\s+'((?:[^']|'')*)'\s*\)$/i.exec(term);
      if (match && properties.includes('servicePrincipalNames'))
        return { kind: 'any', property: 'serviceprincipalnames', value: match[2]!.replace(/''/g, "'") };
      throw graphErrors.unsupportedQuery(text, supported);
    });
}

function matches(entity: Record<string, unknown>, clauses: Clause[]): boolean {
  const field = (name: string) => Object.entries(entity).find(([key]) => key.toLowerCase() === name)?.[1];
  return clauses.every((clause) => {
    const value = field(clause.property);
    const wanted = clause.value.toLowerCase();
    if (clause.kind === 'any') return Array.isArray(value) && value.some((v) => String(v).toLowerCase() === wanted);
    if (typeof value !== 'string') return false;
    return clause.kind === 'eq' ? value.toLowerCase() === wanted : value.toLowerCase().startsWith(wanted);
  });
}

// ---------------------------------------------------------------- lookups

const isGuid = (text: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);

async function identitiesOfTenant(context: ManagementContext, type?: IdentityRecord['type']): Promise<IdentityRecord[]> {
  return context.services.store.identities.list({ tenantId: context.caller.tenantId, ...(type ? { type } : {}) });
}

function ofTenant(context: ManagementContext, identity: IdentityRecord | undefined): IdentityRecord | undefined {
  return identity && identity.tenantId === context.caller.tenantId ? identity : undefined;
}

/** An application by object id, or by app id in `(appId='…')` form. */
async function requireApplication(context: ManagementContext): Promise<IdentityRecord> {
  const { id, appId } = context.params;
  const { directory } = context.services.identity;
  const found = appId !== undefined ? await directory.findApplication(appId) : isGuid(id!) ? await directory.get(id!) : undefined;
  const identity = ofTenant(context, found);
  if (!identity || identity.type !== 'ServicePrincipal') throw graphErrors.notFound(appId ?? id!);
  return identity;
}

async function requireServicePrincipal(context: ManagementContext): Promise<IdentityRecord> {
  const { id, appId } = context.params;
  const { directory } = context.services.identity;
  const found = appId !== undefined ? await directory.findApplication(appId) : isGuid(id!) ? await directory.get(id!) : undefined;
  const identity = ofTenant(context, found);
  if (!identity || identity.type === 'User') throw graphErrors.notFound(appId ?? id!);
  return identity;
}

async function requireUser(context: ManagementContext): Promise<IdentityRecord> {
  const key = context.params.id!;
  const { store } = context.services;
  const found = isGuid(key) ? await store.identities.get(key.toLowerCase()) : await store.identities.getByUserName(key);
  const identity = ofTenant(context, found);
  if (!identity || identity.type !== 'User') throw graphErrors.notFound(key);
  return identity;
}

// ---------------------------------------------------------------- applications

async function createApplication(context: ManagementContext): Promise<ManagementResult> {
  await requireApplicationCreate(context);
  const { displayName } = parseGraphBody(applicationBody, await context.body());
  const identity = await directoryCall(() => context.services.identity.directory.createServicePrincipal({ tenantId: context.caller.tenantId, displayName }));
  // As in Entra, whoever registers an application owns it.
  await context.services.store.identities.addOwner(identity.objectId, context.caller.objectId);
  return created(graphEntity(context, 'applications', await applicationJson(context, identity)));
}

async function listApplications(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryRead(context);
  const clauses = parseFilter(context.query.get('$filter'), ['appId', 'displayName', 'id']);
  const all = await Promise.all((await identitiesOfTenant(context, 'ServicePrincipal')).map((i) => applicationJson(context, i)));
  return ok(
    graphCollection(
      context,
      'applications',
      all.filter((a) => matches(a, clauses)),
    ),
  );
}

async function getApplication(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryRead(context);
  return ok(graphEntity(context, 'applications', await applicationJson(context, await requireApplication(context))));
}

async function deleteApplication(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryRead(context);
  const identity = await requireApplication(context);
  await requireChange(context, identity);
  await context.services.store.identities.delete(identity.objectId);
  context.services.events.publish({ kind: 'identity', objectId: identity.objectId });
  return noContent();
}

type Owner = 'applications' | 'servicePrincipals';

const addPassword =
  (owner: Owner) =>
  async (context: ManagementContext): Promise<ManagementResult> => {
    await requireDirectoryRead(context);
    const identity = owner === 'servicePrincipals' ? await requireServicePrincipal(context) : await requireApplication(context);
    await requireChange(context, identity);
    const credential = parseGraphBody(addPasswordBody, await context.body()).passwordCredential;
    const displayName = credential?.displayName;
    const startAt = timeAt(credential?.startDateTime, 'passwordCredential.startDateTime');
    const endAt = timeAt(credential?.endDateTime, 'passwordCredential.endDateTime');
    const { secret, record } = await directoryCall(() =>
      context.services.identity.directory.addClientSecret(identity.objectId, {
        ...(displayName ? { displayName } : {}),
        ...(startAt ? { startAt: new Date(startAt) } : {}),
        ...(endAt ? { endAt: new Date(endAt) } : {}),
      }),
    );
    // The identity's credentials changed.
    context.services.events.publish({ kind: 'identity', objectId: identity.objectId });
    return ok({ '@odata.context': `${context.origin}/v1.0/$metadata#microsoft.graph.passwordCredential`, ...passwordCredentialJson(record, secret) });
  };

const removePassword =
  (owner: Owner) =>
  async (context: ManagementContext): Promise<ManagementResult> => {
    await requireDirectoryRead(context);
    const identity = owner === 'servicePrincipals' ? await requireServicePrincipal(context) : await requireApplication(context);
    await requireChange(context, identity);
    const { keyId } = parseGraphBody(removePasswordBody, await context.body());
    if (!(await context.services.store.identities.removeSecret(identity.objectId, keyId.toLowerCase()))) {
      throw graphErrors.badRequest(armReason('graphNoPasswordCredential', { keyId, name: identity.displayName }));
    }
    context.services.events.publish({ kind: 'identity', objectId: identity.objectId });
    return noContent();
  };

// ---------------------------------------------------------------- service principals

/** In Wharf the application is its service principal: creating one for an application returns it. */
async function createServicePrincipal(context: ManagementContext): Promise<ManagementResult> {
  await requireApplicationCreate(context);
  const { appId } = parseGraphBody(servicePrincipalBody, await context.body());
  const identity = ofTenant(context, await context.services.identity.directory.findApplication(appId));
  if (!identity || identity.type !== 'ServicePrincipal') {
    throw graphErrors.badRequest(armReason('graphAppIdInvalid', { appId }));
  }
  return created(graphEntity(context, 'servicePrincipals', await servicePrincipalJson(context, identity)));
}

async function listServicePrincipals(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryRead(context);
  const clauses = parseFilter(context.query.get('$filter'), ['appId', 'displayName', 'id', 'servicePrincipalType', 'servicePrincipalNames']);
  const identities = [...(await identitiesOfTenant(context, 'ServicePrincipal')), ...(await identitiesOfTenant(context, 'ManagedIdentity'))];
  const all = await Promise.all(identities.map((i) => servicePrincipalJson(context, i)));
  return ok(
    graphCollection(
      context,
      'servicePrincipals',
      all.filter((sp) => matches(sp, clauses)),
    ),
  );
}

async function getServicePrincipal(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryRead(context);
  return ok(graphEntity(context, 'servicePrincipals', await servicePrincipalJson(context, await requireServicePrincipal(context))));
}

async function deleteServicePrincipal(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryRead(context);
  const identity = await requireServicePrincipal(context);
  await requireChange(context, identity);
  if (identity.type === 'ManagedIdentity') {
    throw graphErrors.badRequest(armReason('graphManagedIdentity', { name: identity.displayName }));
  }
  await context.services.store.identities.delete(identity.objectId);
  context.services.events.publish({ kind: 'identity', objectId: identity.objectId });
  return noContent();
}

// ---------------------------------------------------------------- users

async function createUser(context: ManagementContext): Promise<ManagementResult> {
  await requireRight(context, 'users');
  const { userPrincipalName, displayName, accountEnabled, passwordProfile } = parseGraphBody(userBody, await context.body());
  if (accountEnabled === false) {
    throw graphErrors.badRequest(armReason('graphDisabledAccounts'));
  }
  const password = passwordProfile?.password;
  if (password === undefined) throw graphErrors.badRequest(armReason('graphPasswordRequired'));
  const identity = await directoryCall(() =>
    context.services.identity.directory.createUser({
      tenantId: context.caller.tenantId,
      userName: userPrincipalName,
      ...(displayName ? { displayName } : {}),
      password,
    }),
  );
  return created(graphEntity(context, 'users', userJson(identity)));
}

async function listUsers(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryRead(context);
  const clauses = parseFilter(context.query.get('$filter'), ['userPrincipalName', 'displayName', 'id']);
  const all = (await identitiesOfTenant(context, 'User')).map(userJson);
  return ok(
    graphCollection(
      context,
      'users',
      all.filter((u) => matches(u, clauses)),
    ),
  );
}

async function getUser(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryRead(context);
  return ok(graphEntity(context, 'users', userJson(await requireUser(context))));
}

/** An administrator's password reset (`passwordProfile`): every token the old password obtained dies with it. */
async function updateUser(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryRead(context);
  const identity = await requireUser(context);
  await requireChange(context, identity);
  const profile = parseGraphBody(userUpdateBody, await context.body()).passwordProfile;
  if (!profile) throw graphErrors.badRequest(m('userUpdateNeedsPassword'));
  await directoryCall(() => context.services.identity.directory.setPassword(identity.objectId, profile.password));
  // The user's credentials changed.
  context.services.events.publish({ kind: 'identity', objectId: identity.objectId });
  return noContent();
}

async function deleteUser(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryRead(context);
  const identity = await requireUser(context);
  await requireChange(context, identity);
  await context.services.store.identities.delete(identity.objectId);
  context.services.events.publish({ kind: 'identity', objectId: identity.objectId });
  return noContent();
}

// ---------------------------------------------------------------- owners

/** Application (or service principal: one object here) by object id or `(appId='…')`, for owner calls. */
const ownedIdentity = (owner: Owner) => (context: ManagementContext) =>
  owner === 'servicePrincipals' ? requireServicePrincipal(context) : requireApplication(context);

function directoryObjectJson(identity: IdentityRecord): Record<string, unknown> {
  return identity.type === 'User'
    ? { '@odata.type': '#microsoft.graph.user', id: identity.objectId, displayName: identity.displayName, userPrincipalName: identity.userName }
    : { '@odata.type': '#microsoft.graph.servicePrincipal', id: identity.objectId, appId: identity.appId, displayName: identity.displayName };
}

const listOwners =
  (owner: Owner) =>
  async (context: ManagementContext): Promise<ManagementResult> => {
    await requireDirectoryRead(context);
    const identity = await ownedIdentity(owner)(context);
    const owners = await Promise.all(
      (await context.services.store.identities.owners(identity.objectId)).map((id) => context.services.store.identities.get(id)),
    );
    const value = owners.filter((o): o is IdentityRecord => o !== undefined).map(directoryObjectJson);
    return ok({ '@odata.context': `${context.origin}/v1.0/$metadata#directoryObjects`, value });
  };

/** `{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/<id>"}` → the object id. */
function referencedObjectId(body: Record<string, unknown>): string {
  const reference = parseGraphBody(ownerReferenceBody, body)['@odata.id'];
  const id = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i.exec(reference)?.[1];
  if (!id) throw graphErrors.badRequest(m('badReference', { reference: reference.slice(0, 200) }));
  return id.toLowerCase();
}

const addOwner =
  (owner: Owner) =>
  async (context: ManagementContext): Promise<ManagementResult> => {
    await requireDirectoryRead(context);
    const identity = await ownedIdentity(owner)(context);
    await requireChange(context, identity);
    const ownerId = referencedObjectId(await context.body());
    if (!ofTenant(context, await context.services.store.identities.get(ownerId))) throw graphErrors.notFound(ownerId);
    if (!(await context.services.store.identities.addOwner(identity.objectId, ownerId))) {
      throw graphErrors.badRequest(m('alreadyOwner', { owner: ownerId, target: identity.displayName }));
    }
    return noContent();
  };

const removeOwner =
  (owner: Owner) =>
  async (context: ManagementContext): Promise<ManagementResult> => {
    await requireDirectoryRead(context);
    const identity = await ownedIdentity(owner)(context);
    await requireChange(context, identity);
    const ownerId = context.params.ownerId!.toLowerCase();
    if (!(await context.services.store.identities.removeOwner(identity.objectId, ownerId))) throw graphErrors.notFound(ownerId);
    return noContent();
  };

// ---------------------------------------------------------------- directory roles

function roleDefinitionJson(role: (typeof DIRECTORY_ROLES)[number]): Record<string, unknown> {
  return { id: role.id, templateId: role.id, displayName: role.displayName, description: role.description, isBuiltIn: true, isEnabled: true };
}

/** Entra's unified role assignment; its id joins the role and the principal, so it needs no table of its own. */
function roleAssignmentJson(roleId: string, principalId: string): Record<string, unknown> {
  return { id: `${roleId}_${principalId}`, roleDefinitionId: roleId, principalId, directoryScopeId: '/' };
}

async function listRoleDefinitions(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryRead(context);
  return ok(graphCollection(context, 'roleManagement/directory/roleDefinitions', DIRECTORY_ROLES.map(roleDefinitionJson)));
}

async function listRoleAssignments(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryRead(context);
  const clauses = parseFilter(context.query.get('$filter'), ['principalId', 'roleDefinitionId']);
  const tenantMembers = new Set((await identitiesOfTenant(context)).map((i) => i.objectId));
  const all: Record<string, unknown>[] = [];
  for (const role of DIRECTORY_ROLES) {
    for (const member of await context.services.store.identities.directoryRoleMembers(role.id)) {
      if (tenantMembers.has(member)) all.push(roleAssignmentJson(role.id, member));
    }
  }
  return ok(
    graphCollection(
      context,
      'roleManagement/directory/roleAssignments',
      all.filter((a) => matches(a, clauses)),
    ),
  );
}

async function createRoleAssignment(context: ManagementContext): Promise<ManagementResult> {
  await requireRight(context, 'roles');
  const body = parseGraphBody(directoryRoleAssignmentBody, await context.body());
  const roleKey = body.roleDefinitionId;
  const role = findDirectoryRole(roleKey);
  if (!role)
    throw graphErrors.badRequest(m('unknownDirectoryRole', { role: roleKey.slice(0, 100), roles: DIRECTORY_ROLES.map((r) => r.displayName).join(', ') }));
  const principalId = body.principalId.toLowerCase();
  const scope = body.directoryScopeId ?? '/';
  if (scope !== '/') throw graphErrors.badRequest(m('directoryScopeRoot', { scope: scope.slice(0, 200) }));
  const principal = ofTenant(context, await context.services.store.identities.get(principalId));
  if (!principal) throw graphErrors.notFound(principalId);
  await context.services.store.identities.addDirectoryRole(principal.objectId, role.id);
  // What the principal may change in the directory changed.
  context.services.events.publish({ kind: 'identity', objectId: principal.objectId });
  return created(graphEntity(context, 'roleManagement/directory/roleAssignments', roleAssignmentJson(role.id, principal.objectId)));
}

async function deleteRoleAssignment(context: ManagementContext): Promise<ManagementResult> {
  await requireRight(context, 'roles');
  const id = context.params.id!;
  const [roleId, principalId] = id.toLowerCase().split('_');
  const principal = principalId ? ofTenant(context, await context.services.store.identities.get(principalId)) : undefined;
  if (!roleId || !principal) throw graphErrors.notFound(id);
  if (roleId === GLOBAL_ADMINISTRATOR && principal.objectId === context.caller.objectId) {
    // The last administrator removing itself would leave nobody able to manage the directory.
    const others = (await context.services.store.identities.directoryRoleMembers(roleId)).filter((member) => member !== principal.objectId);
    if (others.length === 0) throw graphErrors.badRequest(m('lastGlobalAdministrator'));
  }
  if (!(await context.services.store.identities.removeDirectoryRole(principal.objectId, roleId))) throw graphErrors.notFound(id);
  context.services.events.publish({ kind: 'identity', objectId: principal.objectId });
  return noContent();
}

export const graphRoutes: RouteSpec[] = [
  { id: 'graph.applications', template: '/v1.0/applications', methods: { GET: listApplications, POST: createApplication } },
  { id: 'graph.applicationByAppId', template: "/v1.0/applications(appId='{appId}')", methods: { GET: getApplication, DELETE: deleteApplication } },
  { id: 'graph.application', template: '/v1.0/applications/{id}', methods: { GET: getApplication, DELETE: deleteApplication } },
  { id: 'graph.applicationAddPassword', template: '/v1.0/applications/{id}/addPassword', methods: { POST: addPassword('applications') } },
  { id: 'graph.applicationRemovePassword', template: '/v1.0/applications/{id}/removePassword', methods: { POST: removePassword('applications') } },
  { id: 'graph.servicePrincipals', template: '/v1.0/servicePrincipals', methods: { GET: listServicePrincipals, POST: createServicePrincipal } },
  {
    id: 'graph.servicePrincipalByAppId',
    template: "/v1.0/servicePrincipals(appId='{appId}')",
    methods: { GET: getServicePrincipal, DELETE: deleteServicePrincipal },
  },
  { id: 'graph.servicePrincipal', template: '/v1.0/servicePrincipals/{id}', methods: { GET: getServicePrincipal, DELETE: deleteServicePrincipal } },
  { id: 'graph.servicePrincipalAddPassword', template: '/v1.0/servicePrincipals/{id}/addPassword', methods: { POST: addPassword('servicePrincipals') } },
  {
    id: 'graph.servicePrincipalRemovePassword',
    template: '/v1.0/servicePrincipals/{id}/removePassword',
    methods: { POST: removePassword('servicePrincipals') },
  },
  { id: 'graph.applicationOwners', template: '/v1.0/applications/{id}/owners', methods: { GET: listOwners('applications') } },
  { id: 'graph.applicationOwnerRefs', template: '/v1.0/applications/{id}/owners/$ref', methods: { POST: addOwner('applications') } },
  { id: 'graph.applicationOwnerRef', template: '/v1.0/applications/{id}/owners/{ownerId}/$ref', methods: { DELETE: removeOwner('applications') } },
  { id: 'graph.servicePrincipalOwners', template: '/v1.0/servicePrincipals/{id}/owners', methods: { GET: listOwners('servicePrincipals') } },
  { id: 'graph.servicePrincipalOwnerRefs', template: '/v1.0/servicePrincipals/{id}/owners/$ref', methods: { POST: addOwner('servicePrincipals') } },
  {
    id: 'graph.servicePrincipalOwnerRef',
    template: '/v1.0/servicePrincipals/{id}/owners/{ownerId}/$ref',
    methods: { DELETE: removeOwner('servicePrincipals') },
  },
  { id: 'graph.directoryRoleDefinitions', template: '/v1.0/roleManagement/directory/roleDefinitions', methods: { GET: listRoleDefinitions } },
  {
    id: 'graph.directoryRoleAssignments',
    template: '/v1.0/roleManagement/directory/roleAssignments',
    methods: { GET: listRoleAssignments, POST: createRoleAssignment },
  },
  { id: 'graph.directoryRoleAssignment', template: '/v1.0/roleManagement/directory/roleAssignments/{id}', methods: { DELETE: deleteRoleAssignment } },
  { id: 'graph.users', template: '/v1.0/users', methods: { GET: listUsers, POST: createUser } },
  { id: 'graph.user', template: '/v1.0/users/{id}', methods: { GET: getUser, PATCH: updateUser, DELETE: deleteUser } },
];
