/**
 * Where a user-assigned managed identity lives in ARM. The identity record has no column for
 * it, so its ARM id is kept as the identity's alternative name in `userName`, which is
 * otherwise only used by users (Entra does the same: the managed identity's service principal
 * lists its ARM id in `alternativeNames`). The store compares user names case-insensitively
 * and keeps them unique, as ARM ids are. Nothing signs in with it: user sign-in only accepts
 * type User.
 */
import { randomUUID } from 'node:crypto';
import type { IdentityIndex, IdentityRecord } from '../storage/metadata/access-records.js';

/** The part of the store a new identity needs. */
type Identities = { identities: Pick<IdentityIndex, 'getByUserName' | 'create'> };

export const MANAGED_IDENTITY_TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities';

/** The ARM id of a user-assigned managed identity, undefined for any other identity. */
export function managedIdentityResourceId(identity: IdentityRecord): string | undefined {
  return identity.type === 'ManagedIdentity' && identity.userName?.startsWith('/subscriptions/') ? identity.userName : undefined;
}

export async function findManagedIdentityByResourceId(
  store: { identities: Pick<IdentityIndex, 'getByUserName'> },
  resourceId: string,
): Promise<IdentityRecord | undefined> {
  const identity = await store.identities.getByUserName(resourceId);
  return identity && managedIdentityResourceId(identity) ? identity : undefined;
}

export async function createUserAssignedIdentity(store: Identities, input: { tenantId: string; resourceId: string; name: string }): Promise<IdentityRecord> {
  const record: IdentityRecord = {
    objectId: randomUUID(),
    tenantId: input.tenantId,
    type: 'ManagedIdentity',
    appId: randomUUID(),
    displayName: input.name,
    userName: input.resourceId,
    passwordHash: null,
    createdAt: new Date().toISOString(),
  };
  await store.identities.create(record);
  return record;
}
