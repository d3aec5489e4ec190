/**
 * A Microsoft Graph v1.0 subset for the directory, enough for `az ad sp create-for-rbac`-like
 * flows and the wharf CLI: applications (create, list with $filter, get, delete,
 * addPassword, removePassword), service principals (create for an application, list, get,
 * delete) and users (create, list, get, delete). One application is one service principal
 * (see graph-views.ts). Reading the directory needs a role with read rights on a subscription
 * of the caller's tenant; changing it needs Owner there, the one role that may also assign
 * roles (Entra would need an administrator role).
 */
import { ROLE_DEFINITIONS } from '../../access/roles.js';
import type { IdentityRecord } from '../../storage/metadata/access-records.js';
import { scopeWithin } from '../authorization.js';
import { created, noContent, ok, type ManagementContext, type ManagementResult } from '../context.js';
import { optionalBoolean, optionalObject, optionalString, optionalTime, requiredString } from '../json-body.js';
import type { RouteSpec } from '../route-table.js';
import { directoryCall, graphErrors } from './graph-errors.js';
import {
  applicationJson,
  graphCollection,
  graphEntity,
  passwordCredentialJson,
  servicePrincipalJson,
  userJson,
} from './graph-views.js';

// ---------------------------------------------------------------- access

async function requireDirectoryAccess(context: ManagementContext, change: boolean): Promise<void> {
  const subscriptions = (await context.services.store.scaffold.subscriptions()).filter((s) => s.tenantId === context.caller.tenantId);
  const assignments = await context.access.assignments();
  const allowed = assignments.some((a) => {
    const rights = ROLE_DEFINITIONS[a.roleName]?.arm;
    const atSubscription = subscriptions.some((s) => scopeWithin(`/subscriptions/${s.id}`, a.scope));
    return atSubscription && (change ? rights?.assignRoles : rights?.read);
  });
  if (!allowed) {
    throw graphErrors.denied(
      change
        ? `Changing the directory needs the Owner role on a subscription of tenant '${context.caller.tenantId}'; '${context.caller.name}' does not have it.`
        : `Reading the directory needs a role with read access on a subscription of tenant '${context.caller.tenantId}'; '${context.caller.name}' has none.`,
    );
  }
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
      if (match && properties.includes('servicePrincipalNames')) return { kind: 'any', property: 'serviceprincipalnames', value: match[2]!.replace(/''/g, "'") };
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

async function identitiesOfTenant(context: ManagementContext, type: IdentityRecord['type']): Promise<IdentityRecord[]> {
  return context.services.store.identities.list({ tenantId: context.caller.tenantId, type });
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
  await requireDirectoryAccess(context, true);
  const body = await context.body();
  const displayName = requiredString(body, 'displayName', 'displayName');
  const identity = await directoryCall(() =>
    context.services.identity.directory.createServicePrincipal({ tenantId: context.caller.tenantId, displayName }),
  );
  return created(graphEntity(context, 'applications', await applicationJson(context, identity)));
}

async function listApplications(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryAccess(context, false);
  const clauses = parseFilter(context.query.get('$filter'), ['appId', 'displayName', 'id']);
  const all = await Promise.all((await identitiesOfTenant(context, 'ServicePrincipal')).map((i) => applicationJson(context, i)));
  return ok(graphCollection(context, 'applications', all.filter((a) => matches(a, clauses))));
}

async function getApplication(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryAccess(context, false);
  return ok(graphEntity(context, 'applications', await applicationJson(context, await requireApplication(context))));
}

async function deleteApplication(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryAccess(context, true);
  const identity = await requireApplication(context);
  await context.services.store.identities.delete(identity.objectId);
  return noContent();
}

type Owner = 'applications' | 'servicePrincipals';

const addPassword = (owner: Owner) => async (context: ManagementContext): Promise<ManagementResult> => {
  await requireDirectoryAccess(context, true);
  const identity = owner === 'servicePrincipals' ? await requireServicePrincipal(context) : await requireApplication(context);
  const body = await context.body();
  const credential = optionalObject(body, 'passwordCredential', 'passwordCredential') ?? {};
  const displayName = optionalString(credential, 'displayName', 'passwordCredential.displayName');
  const startAt = optionalTime(credential, 'startDateTime', 'passwordCredential.startDateTime');
  const endAt = optionalTime(credential, 'endDateTime', 'passwordCredential.endDateTime');
  const { secret, record } = await directoryCall(() =>
    context.services.identity.directory.addClientSecret(identity.objectId, {
      ...(displayName ? { displayName } : {}),
      ...(startAt ? { startAt: new Date(startAt) } : {}),
      ...(endAt ? { endAt: new Date(endAt) } : {}),
    }),
  );
  return ok({ '@odata.context': `${context.origin}/v1.0/$metadata#microsoft.graph.passwordCredential`, ...passwordCredentialJson(record, secret) });
};

const removePassword = (owner: Owner) => async (context: ManagementContext): Promise<ManagementResult> => {
  await requireDirectoryAccess(context, true);
  const identity = owner === 'servicePrincipals' ? await requireServicePrincipal(context) : await requireApplication(context);
  const keyId = requiredString(await context.body(), 'keyId', 'keyId');
  if (!(await context.services.store.identities.removeSecret(identity.objectId, keyId.toLowerCase()))) {
    throw graphErrors.badRequest(`No password credential with keyId '${keyId}' exists on '${identity.displayName}'.`);
  }
  return noContent();
};

// ---------------------------------------------------------------- service principals

/** In Wharf the application is its service principal: creating one for an application returns it. */
async function createServicePrincipal(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryAccess(context, true);
  const appId = requiredString(await context.body(), 'appId', 'appId');
  const identity = ofTenant(context, await context.services.identity.directory.findApplication(appId));
  if (!identity || identity.type !== 'ServicePrincipal') {
    throw graphErrors.badRequest(`The appId '${appId}' of the service principal does not reference a valid application object.`);
  }
  return created(graphEntity(context, 'servicePrincipals', await servicePrincipalJson(context, identity)));
}

async function listServicePrincipals(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryAccess(context, false);
  const clauses = parseFilter(context.query.get('$filter'), ['appId', 'displayName', 'id', 'servicePrincipalType', 'servicePrincipalNames']);
  const identities = [...(await identitiesOfTenant(context, 'ServicePrincipal')), ...(await identitiesOfTenant(context, 'ManagedIdentity'))];
  const all = await Promise.all(identities.map((i) => servicePrincipalJson(context, i)));
  return ok(graphCollection(context, 'servicePrincipals', all.filter((sp) => matches(sp, clauses))));
}

async function getServicePrincipal(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryAccess(context, false);
  return ok(graphEntity(context, 'servicePrincipals', await servicePrincipalJson(context, await requireServicePrincipal(context))));
}

async function deleteServicePrincipal(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryAccess(context, true);
  const identity = await requireServicePrincipal(context);
  if (identity.type === 'ManagedIdentity') {
    throw graphErrors.badRequest(`'${identity.displayName}' is a managed identity: delete it through its Azure resource, not Graph.`);
  }
  await context.services.store.identities.delete(identity.objectId);
  return noContent();
}

// ---------------------------------------------------------------- users

async function createUser(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryAccess(context, true);
  const body = await context.body();
  const userPrincipalName = requiredString(body, 'userPrincipalName', 'userPrincipalName');
  const displayName = optionalString(body, 'displayName', 'displayName');
  if (optionalBoolean(body, 'accountEnabled', 'accountEnabled') === false) {
    throw graphErrors.badRequest('Disabled user accounts are not supported by this Wharf version: leave accountEnabled true.');
  }
  const profile = optionalObject(body, 'passwordProfile', 'passwordProfile');
  const password = profile ? requiredString(profile, 'password', 'passwordProfile.password') : undefined;
  if (password === undefined) throw graphErrors.badRequest("Property 'passwordProfile' is required: a Wharf user signs in with a password.");
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
  await requireDirectoryAccess(context, false);
  const clauses = parseFilter(context.query.get('$filter'), ['userPrincipalName', 'displayName', 'id']);
  const all = (await identitiesOfTenant(context, 'User')).map(userJson);
  return ok(graphCollection(context, 'users', all.filter((u) => matches(u, clauses))));
}

async function getUser(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryAccess(context, false);
  return ok(graphEntity(context, 'users', userJson(await requireUser(context))));
}

async function deleteUser(context: ManagementContext): Promise<ManagementResult> {
  await requireDirectoryAccess(context, true);
  const identity = await requireUser(context);
  await context.services.store.identities.delete(identity.objectId);
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
  { id: 'graph.servicePrincipalRemovePassword', template: '/v1.0/servicePrincipals/{id}/removePassword', methods: { POST: removePassword('servicePrincipals') } },
  { id: 'graph.users', template: '/v1.0/users', methods: { GET: listUsers, POST: createUser } },
  { id: 'graph.user', template: '/v1.0/users/{id}', methods: { GET: getUser, DELETE: deleteUser } },
];
