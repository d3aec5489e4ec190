/**
 * Directory objects as Microsoft Graph v1.0 shows them. In Wharf one application is one
 * service principal: both are the same IdentityRecord (type ServicePrincipal), so an
 * application's object id equals its service principal's. A user-assigned managed identity
 * is a service principal of type 'ManagedIdentity' whose alternative name is its ARM id.
 */
import type { ManagementContext, ManagementServices } from '../context.js';
import type { ClientSecretRecord, IdentityRecord } from '../../storage/metadata/access-records.js';
import { managedIdentityResourceId } from '../../domain/managed-identity-records.js';

export function passwordCredentialJson(secret: ClientSecretRecord, secretText: string | null = null): Record<string, unknown> {
  return {
    customKeyIdentifier: null,
    displayName: secret.displayName || null,
    endDateTime: secret.endAt,
    hint: secret.hint,
    keyId: secret.keyId,
    secretText,
    startDateTime: secret.startAt,
  };
}

async function passwordCredentials(
  context: ManagementContext<Pick<ManagementServices, 'store'>>,
  identity: IdentityRecord,
): Promise<Record<string, unknown>[]> {
  if (identity.type !== 'ServicePrincipal') return [];
  return (await context.services.store.identities.secrets(identity.objectId)).map((s) => passwordCredentialJson(s));
}

export async function applicationJson(
  context: ManagementContext<Pick<ManagementServices, 'store'>>,
  identity: IdentityRecord,
): Promise<Record<string, unknown>> {
  return {
    id: identity.objectId,
    appId: identity.appId,
    displayName: identity.displayName,
    createdDateTime: identity.createdAt,
    deletedDateTime: null,
    signInAudience: 'AzureADMyOrg',
    identifierUris: [],
    tags: [],
    keyCredentials: [],
    passwordCredentials: await passwordCredentials(context, identity),
  };
}

export async function servicePrincipalJson(
  context: ManagementContext<Pick<ManagementServices, 'store'>>,
  identity: IdentityRecord,
): Promise<Record<string, unknown>> {
  const resourceId = managedIdentityResourceId(identity);
  return {
    id: identity.objectId,
    appId: identity.appId,
    displayName: identity.displayName,
    createdDateTime: identity.createdAt,
    deletedDateTime: null,
    accountEnabled: true,
    appOwnerOrganizationId: identity.tenantId,
    appRoleAssignmentRequired: false,
    servicePrincipalType: identity.type === 'ManagedIdentity' ? 'ManagedIdentity' : 'Application',
    servicePrincipalNames: [identity.appId, ...(resourceId ? [resourceId] : [])],
    alternativeNames: resourceId ? ['isExplicit=True', resourceId] : [],
    tags: [],
    keyCredentials: [],
    passwordCredentials: await passwordCredentials(context, identity),
  };
}

export function userJson(identity: IdentityRecord): Record<string, unknown> {
  return {
    id: identity.objectId,
    displayName: identity.displayName,
    userPrincipalName: identity.userName,
    mail: null,
    accountEnabled: true,
    createdDateTime: identity.createdAt,
    businessPhones: [],
    givenName: null,
    surname: null,
  };
}

/** A Graph collection, with the @odata.context Graph clients expect. */
export function graphCollection(context: ManagementContext<unknown>, entitySet: string, value: unknown[]): Record<string, unknown> {
  return { '@odata.context': `${context.origin}/v1.0/$metadata#${entitySet}`, value };
}

export function graphEntity(context: ManagementContext<unknown>, entitySet: string, value: Record<string, unknown>): Record<string, unknown> {
  return { '@odata.context': `${context.origin}/v1.0/$metadata#${entitySet}/$entity`, ...value };
}
