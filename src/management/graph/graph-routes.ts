/**
 * A Microsoft Graph v1.0 subset for the directory, enough for `az ad sp create-for-rbac`-like
 * flows and the wharf CLI: applications (create, list with $filter, get, delete,
 * addPassword, removePassword), service principals (create for an application, list, get,
 * delete) and users (create, list, get, delete). One application is one service principal
 * (see graph-views.ts). Each method declares what it needs of the caller in the table below
 * (checked by the dispatcher: graph-access.ts); a handler parses the body, calls the directory
 * service (domain/directory-identity-service.ts), which holds the rules and publishes the
 * change, and renders the answer.
 */
import { DIRECTORY_ROLES } from '../../domain/directory-roles.js';
import { localize, type MessageValue } from '../../i18n/localized.js';
import type { IdentityRecord } from '../../storage/metadata/access-records.js';
import { addressedDirectoryObject, created, noContent, ok, type ManagementContext, type ManagementResult, type ManagementServices } from '../context.js';
import { inDirectory, onDirectoryObject, type DirectoryNeed, type RouteSpec } from '../route-table.js';
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

/** What these handlers use of the management plane's services. */
type HandlerServices = Pick<ManagementServices, 'directoryService' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

const m = (key: Extract<keyof typeof graphErrorMessages.messages.en, string>, values?: Record<string, MessageValue>) =>
  localize(graphErrorMessages, key, values);

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

async function identitiesOfTenant(context: HandlerContext, type?: IdentityRecord['type']): Promise<IdentityRecord[]> {
  return context.services.store.identities.list({ tenantId: context.caller.tenantId, ...(type ? { type } : {}) });
}

// ---------------------------------------------------------------- applications

async function createApplication(context: HandlerContext): Promise<ManagementResult> {
  const { displayName } = parseGraphBody(applicationBody, await context.body());
  const identity = await directoryCall(() => context.services.directoryService.registerApplication(context.caller, displayName));
  return created(graphEntity(context, 'applications', await applicationJson(context, identity)));
}

async function listApplications(context: HandlerContext): Promise<ManagementResult> {
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

async function getApplication(context: HandlerContext): Promise<ManagementResult> {
  return ok(graphEntity(context, 'applications', await applicationJson(context, addressedDirectoryObject(context))));
}

/** Deletes the application, service principal or user the path names. */
async function deleteDirectoryObject(context: HandlerContext): Promise<ManagementResult> {
  await directoryCall(() => context.services.directoryService.remove(addressedDirectoryObject(context)));
  return noContent();
}

async function addPassword(context: HandlerContext): Promise<ManagementResult> {
  const identity = addressedDirectoryObject(context);
  const credential = parseGraphBody(addPasswordBody, await context.body()).passwordCredential;
  const displayName = credential?.displayName;
  const startAt = timeAt(credential?.startDateTime, 'passwordCredential.startDateTime');
  const endAt = timeAt(credential?.endDateTime, 'passwordCredential.endDateTime');
  const { secret, record } = await directoryCall(() =>
    context.services.directoryService.addPassword(identity, {
      ...(displayName ? { displayName } : {}),
      ...(startAt ? { startAt: new Date(startAt) } : {}),
      ...(endAt ? { endAt: new Date(endAt) } : {}),
    }),
  );
  return ok({ '@odata.context': `${context.origin}/v1.0/$metadata#microsoft.graph.passwordCredential`, ...passwordCredentialJson(record, secret) });
}

async function removePassword(context: HandlerContext): Promise<ManagementResult> {
  const identity = addressedDirectoryObject(context);
  const { keyId } = parseGraphBody(removePasswordBody, await context.body());
  await directoryCall(() => context.services.directoryService.removePassword(identity, keyId));
  return noContent();
}

// ---------------------------------------------------------------- service principals

/** In Wharf the application is its service principal: creating one for an application returns it. */
async function createServicePrincipal(context: HandlerContext): Promise<ManagementResult> {
  const { appId } = parseGraphBody(servicePrincipalBody, await context.body());
  const identity = await directoryCall(() => context.services.directoryService.servicePrincipalFor(context.caller, appId));
  return created(graphEntity(context, 'servicePrincipals', await servicePrincipalJson(context, identity)));
}

async function listServicePrincipals(context: HandlerContext): Promise<ManagementResult> {
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

async function getServicePrincipal(context: HandlerContext): Promise<ManagementResult> {
  return ok(graphEntity(context, 'servicePrincipals', await servicePrincipalJson(context, addressedDirectoryObject(context))));
}

// ---------------------------------------------------------------- users

async function createUser(context: HandlerContext): Promise<ManagementResult> {
  const { userPrincipalName, displayName, accountEnabled, passwordProfile } = parseGraphBody(userBody, await context.body());
  const identity = await directoryCall(() =>
    context.services.directoryService.createUser(context.caller, {
      userName: userPrincipalName,
      ...(displayName !== undefined ? { displayName } : {}),
      ...(accountEnabled !== undefined ? { accountEnabled } : {}),
      ...(passwordProfile ? { password: passwordProfile.password } : {}),
    }),
  );
  return created(graphEntity(context, 'users', userJson(identity)));
}

async function listUsers(context: HandlerContext): Promise<ManagementResult> {
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

async function getUser(context: HandlerContext): Promise<ManagementResult> {
  return ok(graphEntity(context, 'users', userJson(addressedDirectoryObject(context))));
}

/** An administrator's password reset (`passwordProfile`): every token the old password obtained dies with it. */
async function updateUser(context: HandlerContext): Promise<ManagementResult> {
  const identity = addressedDirectoryObject(context);
  const profile = parseGraphBody(userUpdateBody, await context.body()).passwordProfile;
  await directoryCall(() => context.services.directoryService.resetPassword(identity, profile?.password));
  return noContent();
}

// ---------------------------------------------------------------- owners

function directoryObjectJson(identity: IdentityRecord): Record<string, unknown> {
  return identity.type === 'User'
    ? { '@odata.type': '#microsoft.graph.user', id: identity.objectId, displayName: identity.displayName, userPrincipalName: identity.userName }
    : { '@odata.type': '#microsoft.graph.servicePrincipal', id: identity.objectId, appId: identity.appId, displayName: identity.displayName };
}

async function listOwners(context: HandlerContext): Promise<ManagementResult> {
  const identity = addressedDirectoryObject(context);
  const { identities } = context.services.store;
  const owners = await Promise.all((await identities.owners(identity.objectId)).map((id) => identities.get(id)));
  const value = owners.filter((o): o is IdentityRecord => o !== undefined).map(directoryObjectJson);
  return ok({ '@odata.context': `${context.origin}/v1.0/$metadata#directoryObjects`, value });
}

/** `{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/<id>"}` → the object id. */
function referencedObjectId(body: Record<string, unknown>): string {
  const reference = parseGraphBody(ownerReferenceBody, body)['@odata.id'];
  const id = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i.exec(reference)?.[1];
  if (!id) throw graphErrors.badRequest(m('badReference', { reference: reference.slice(0, 200) }));
  return id.toLowerCase();
}

async function addOwner(context: HandlerContext): Promise<ManagementResult> {
  const identity = addressedDirectoryObject(context);
  const ownerId = referencedObjectId(await context.body());
  await directoryCall(() => context.services.directoryService.addOwner(context.caller, identity, ownerId));
  return noContent();
}

async function removeOwner(context: HandlerContext): Promise<ManagementResult> {
  const identity = addressedDirectoryObject(context);
  await directoryCall(() => context.services.directoryService.removeOwner(identity, context.params.ownerId!.toLowerCase()));
  return noContent();
}

// ---------------------------------------------------------------- directory roles

function roleDefinitionJson(role: (typeof DIRECTORY_ROLES)[number]): Record<string, unknown> {
  return { id: role.id, templateId: role.id, displayName: role.displayName, description: role.description, isBuiltIn: true, isEnabled: true };
}

/** Entra's unified role assignment; its id joins the role and the principal, so it needs no table of its own. */
function roleAssignmentJson(roleId: string, principalId: string): Record<string, unknown> {
  return { id: `${roleId}_${principalId}`, roleDefinitionId: roleId, principalId, directoryScopeId: '/' };
}

async function listRoleDefinitions(context: HandlerContext): Promise<ManagementResult> {
  return ok(graphCollection(context, 'roleManagement/directory/roleDefinitions', DIRECTORY_ROLES.map(roleDefinitionJson)));
}

async function listRoleAssignments(context: HandlerContext): Promise<ManagementResult> {
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

async function createRoleAssignment(context: HandlerContext): Promise<ManagementResult> {
  const body = parseGraphBody(directoryRoleAssignmentBody, await context.body());
  const { roleId, principalId } = await directoryCall(() =>
    context.services.directoryService.assignRole(context.caller, {
      roleDefinitionId: body.roleDefinitionId,
      principalId: body.principalId,
      ...(body.directoryScopeId !== undefined ? { directoryScopeId: body.directoryScopeId } : {}),
    }),
  );
  return created(graphEntity(context, 'roleManagement/directory/roleAssignments', roleAssignmentJson(roleId, principalId)));
}

async function deleteRoleAssignment(context: HandlerContext): Promise<ManagementResult> {
  await directoryCall(() => context.services.directoryService.removeRole(context.caller, context.params.id!));
  return noContent();
}

// ---------------------------------------------------------------- the route table

const read = inDirectory('read');
const registerApplications = inDirectory('registerApplications');
const readApplication = onDirectoryObject('application', 'read');
const changeApplication = onDirectoryObject('application', 'change');
const readServicePrincipal = onDirectoryObject('servicePrincipal', 'read');
const changeServicePrincipal = onDirectoryObject('servicePrincipal', 'change');
const changeUser = onDirectoryObject('user', 'change');
const manageRoles = inDirectory('roles');

export const graphRoutes: RouteSpec<DirectoryNeed>[] = [
  {
    id: 'graph.applications',
    template: '/v1.0/applications',
    methods: { GET: { handler: listApplications, needs: read }, POST: { handler: createApplication, needs: registerApplications } },
  },
  {
    id: 'graph.applicationByAppId',
    template: "/v1.0/applications(appId='{appId}')",
    methods: { GET: { handler: getApplication, needs: readApplication }, DELETE: { handler: deleteDirectoryObject, needs: changeApplication } },
  },
  {
    id: 'graph.application',
    template: '/v1.0/applications/{id}',
    methods: { GET: { handler: getApplication, needs: readApplication }, DELETE: { handler: deleteDirectoryObject, needs: changeApplication } },
  },
  {
    id: 'graph.applicationAddPassword',
    template: '/v1.0/applications/{id}/addPassword',
    methods: { POST: { handler: addPassword, needs: changeApplication } },
  },
  {
    id: 'graph.applicationRemovePassword',
    template: '/v1.0/applications/{id}/removePassword',
    methods: { POST: { handler: removePassword, needs: changeApplication } },
  },
  {
    id: 'graph.servicePrincipals',
    template: '/v1.0/servicePrincipals',
    methods: { GET: { handler: listServicePrincipals, needs: read }, POST: { handler: createServicePrincipal, needs: registerApplications } },
  },
  {
    id: 'graph.servicePrincipalByAppId',
    template: "/v1.0/servicePrincipals(appId='{appId}')",
    methods: {
      GET: { handler: getServicePrincipal, needs: readServicePrincipal },
      DELETE: { handler: deleteDirectoryObject, needs: changeServicePrincipal },
    },
  },
  {
    id: 'graph.servicePrincipal',
    template: '/v1.0/servicePrincipals/{id}',
    methods: {
      GET: { handler: getServicePrincipal, needs: readServicePrincipal },
      DELETE: { handler: deleteDirectoryObject, needs: changeServicePrincipal },
    },
  },
  {
    id: 'graph.servicePrincipalAddPassword',
    template: '/v1.0/servicePrincipals/{id}/addPassword',
    methods: { POST: { handler: addPassword, needs: changeServicePrincipal } },
  },
  {
    id: 'graph.servicePrincipalRemovePassword',
    template: '/v1.0/servicePrincipals/{id}/removePassword',
    methods: { POST: { handler: removePassword, needs: changeServicePrincipal } },
  },
  { id: 'graph.applicationOwners', template: '/v1.0/applications/{id}/owners', methods: { GET: { handler: listOwners, needs: readApplication } } },
  { id: 'graph.applicationOwnerRefs', template: '/v1.0/applications/{id}/owners/$ref', methods: { POST: { handler: addOwner, needs: changeApplication } } },
  {
    id: 'graph.applicationOwnerRef',
    template: '/v1.0/applications/{id}/owners/{ownerId}/$ref',
    methods: { DELETE: { handler: removeOwner, needs: changeApplication } },
  },
  {
    id: 'graph.servicePrincipalOwners',
    template: '/v1.0/servicePrincipals/{id}/owners',
    methods: { GET: { handler: listOwners, needs: readServicePrincipal } },
  },
  {
    id: 'graph.servicePrincipalOwnerRefs',
    template: '/v1.0/servicePrincipals/{id}/owners/$ref',
    methods: { POST: { handler: addOwner, needs: changeServicePrincipal } },
  },
  {
    id: 'graph.servicePrincipalOwnerRef',
    template: '/v1.0/servicePrincipals/{id}/owners/{ownerId}/$ref',
    methods: { DELETE: { handler: removeOwner, needs: changeServicePrincipal } },
  },
  {
    id: 'graph.directoryRoleDefinitions',
    template: '/v1.0/roleManagement/directory/roleDefinitions',
    methods: { GET: { handler: listRoleDefinitions, needs: read } },
  },
  {
    id: 'graph.directoryRoleAssignments',
    template: '/v1.0/roleManagement/directory/roleAssignments',
    methods: { GET: { handler: listRoleAssignments, needs: read }, POST: { handler: createRoleAssignment, needs: manageRoles } },
  },
  {
    id: 'graph.directoryRoleAssignment',
    template: '/v1.0/roleManagement/directory/roleAssignments/{id}',
    methods: { DELETE: { handler: deleteRoleAssignment, needs: manageRoles } },
  },
  {
    id: 'graph.users',
    template: '/v1.0/users',
    methods: { GET: { handler: listUsers, needs: read }, POST: { handler: createUser, needs: inDirectory('users') } },
  },
  {
    id: 'graph.user',
    template: '/v1.0/users/{id}',
    methods: {
      GET: { handler: getUser, needs: onDirectoryObject('user', 'read') },
      PATCH: { handler: updateUser, needs: changeUser },
      DELETE: { handler: deleteDirectoryObject, needs: changeUser },
    },
  },
];
