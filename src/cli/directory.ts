/**
 * The Graph-compatible directory calls the CLI makes (applications, service principals, users),
 * in Microsoft Graph v1.0's paths and bodies, and how an assignee given on the command line (app
 * id, object id or user name) becomes a principal.
 */
import { isGuid } from './arm-ids.js';
import { ApiError, type ManagementClient } from './management-client.js';
import { cliError } from './cli-error.js';

interface GraphApplication {
  id: string;
  appId: string;
  displayName: string;
  passwordCredentials?: { keyId: string; displayName?: string; hint?: string; endDateTime?: string }[];
}

interface GraphServicePrincipal {
  id: string;
  appId: string;
  displayName: string;
  servicePrincipalType?: string;
}

interface GraphUser {
  id: string;
  userPrincipalName: string;
  displayName?: string;
}

interface GraphPassword {
  keyId: string;
  secretText: string;
  displayName?: string;
  hint?: string;
  startDateTime?: string;
  endDateTime?: string;
}

/** A principal as a role assignment names it. */
export interface Principal {
  objectId: string;
  principalType: 'ServicePrincipal' | 'User';
  displayName: string;
}

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

async function firstByFilter<T>(client: ManagementClient, path: string, filter: string): Promise<T | undefined> {
  const page = await client.get<{ value?: T[] }>(path, { query: { $filter: filter } });
  return page?.value?.[0];
}

/** undefined on 404: a lookup by id that may simply not be that kind of object. */
async function getOrUndefined<T>(client: ManagementClient, path: string): Promise<T | undefined> {
  try {
    return await client.get<T>(path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

export function createApplication(client: ManagementClient, displayName: string): Promise<GraphApplication> {
  return client.post<GraphApplication>('/v1.0/applications', { displayName });
}

export function createServicePrincipal(client: ManagementClient, appId: string): Promise<GraphServicePrincipal> {
  return client.post<GraphServicePrincipal>('/v1.0/servicePrincipals', { appId });
}

export function addPassword(client: ManagementClient, applicationObjectId: string, endDateTime: string): Promise<GraphPassword> {
  return client.post<GraphPassword>(`/v1.0/applications/${encodeURIComponent(applicationObjectId)}/addPassword`, {
    passwordCredential: { displayName: 'wharf', endDateTime },
  });
}

export function removePassword(client: ManagementClient, applicationObjectId: string, keyId: string): Promise<void> {
  return client.post(`/v1.0/applications/${encodeURIComponent(applicationObjectId)}/removePassword`, { keyId });
}

export function listServicePrincipals(client: ManagementClient): Promise<GraphServicePrincipal[]> {
  return client.list<GraphServicePrincipal>('/v1.0/servicePrincipals');
}

export function applicationByAppId(client: ManagementClient, appId: string): Promise<GraphApplication | undefined> {
  return firstByFilter<GraphApplication>(client, '/v1.0/applications', `appId eq ${quote(appId)}`);
}

/** A service principal by app id or object id. */
async function findServicePrincipal(client: ManagementClient, id: string): Promise<GraphServicePrincipal | undefined> {
  return (
    (await firstByFilter<GraphServicePrincipal>(client, '/v1.0/servicePrincipals', `appId eq ${quote(id)}`)) ??
    (isGuid(id) ? await getOrUndefined<GraphServicePrincipal>(client, `/v1.0/servicePrincipals/${encodeURIComponent(id)}`) : undefined)
  );
}

export async function requireServicePrincipal(client: ManagementClient, id: string): Promise<GraphServicePrincipal> {
  const found = await findServicePrincipal(client, id);
  if (!found) throw cliError('noServicePrincipal', { id });
  return found;
}

/**
 * The principal `assignee` names: a service principal's app id or object id, a user's object id
 * or sign-in name, as `az role assignment create --assignee` resolves it.
 */
export async function resolveAssignee(client: ManagementClient, assignee: string): Promise<Principal> {
  if (isGuid(assignee)) {
    const sp = await findServicePrincipal(client, assignee);
    if (sp) return { objectId: sp.id, principalType: 'ServicePrincipal', displayName: sp.displayName };
    const user = await getOrUndefined<GraphUser>(client, `/v1.0/users/${encodeURIComponent(assignee)}`);
    if (user) return { objectId: user.id, principalType: 'User', displayName: user.userPrincipalName };
  } else {
    const user = await firstByFilter<GraphUser>(client, '/v1.0/users', `userPrincipalName eq ${quote(assignee)}`);
    if (user) return { objectId: user.id, principalType: 'User', displayName: user.userPrincipalName };
  }
  throw cliError('assigneeNotFound', { assignee });
}
