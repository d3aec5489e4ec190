/**
 * Built-in Azure roles and what each allows on a registry's data plane and on the
 * management plane (ARM). ACR's role table: Owner and Contributor
 * do everything; Reader reads ARM and pulls; AcrPush pushes and pulls; AcrPull pulls;
 * AcrDelete deletes; AcrImageSigner signs. Reading tags and the catalog comes with pull.
 */
import type { RepositoryAction } from './scopes.js';
import type { BuiltInRole } from '../storage/metadata/access-records.js';

export const BUILT_IN_ROLES: BuiltInRole[] = ['Owner', 'Contributor', 'Reader', 'AcrPull', 'AcrPush', 'AcrDelete', 'AcrImageSigner'];

export interface RoleDefinition {
  name: BuiltInRole;
  /** Azure's well-known role definition id (the GUID in …/roleDefinitions/<id>). */
  id: string;
  description: string;
  repositoryActions: RepositoryAction[];
  /** May list the registry's repositories (`registry:catalog:*`). */
  catalog: boolean;
  /** Management plane: read ARM resources, write them, assign roles. */
  arm: { read: boolean; write: boolean; assignRoles: boolean };
}

const ALL: RepositoryAction[] = ['pull', 'push', 'delete', 'metadata_read', 'metadata_write'];

export const ROLE_DEFINITIONS: Record<BuiltInRole, RoleDefinition> = {
  Owner: {
    name: 'Owner',
    id: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    description: 'Grants full access to manage all resources, including the ability to assign roles.',
    repositoryActions: ALL,
    catalog: true,
    arm: { read: true, write: true, assignRoles: true },
  },
  Contributor: {
    name: 'Contributor',
    id: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
    description: 'Grants full access to manage all resources, but does not allow you to assign roles.',
    repositoryActions: ALL,
    catalog: true,
    arm: { read: true, write: true, assignRoles: false },
  },
  Reader: {
    name: 'Reader',
    id: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
    description: 'View all resources, but does not allow you to make any changes.',
    repositoryActions: ['pull', 'metadata_read'],
    catalog: true,
    arm: { read: true, write: false, assignRoles: false },
  },
  AcrPull: {
    name: 'AcrPull',
    id: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
    description: 'acr pull',
    repositoryActions: ['pull', 'metadata_read'],
    catalog: true,
    arm: { read: false, write: false, assignRoles: false },
  },
  AcrPush: {
    name: 'AcrPush',
    id: '8311e382-0749-4cb8-b61a-304f252e45ec',
    description: 'acr push',
    repositoryActions: ['pull', 'push', 'metadata_read'],
    catalog: true,
    arm: { read: false, write: false, assignRoles: false },
  },
  AcrDelete: {
    name: 'AcrDelete',
    id: 'c2f4ef07-c644-48eb-af81-4b1b4947fb11',
    description: 'acr delete',
    repositoryActions: ['delete', 'metadata_read'],
    catalog: false,
    arm: { read: false, write: false, assignRoles: false },
  },
  AcrImageSigner: {
    name: 'AcrImageSigner',
    id: '6cef56e8-d556-48e5-a04f-b8e64114680f',
    description: 'acr image signer',
    repositoryActions: [],
    catalog: false,
    arm: { read: false, write: false, assignRoles: false },
  },
};

export function roleByName(name: string): RoleDefinition | undefined {
  const key = BUILT_IN_ROLES.find((r) => r.toLowerCase() === name.toLowerCase());
  return key && ROLE_DEFINITIONS[key];
}

export function roleById(id: string): RoleDefinition | undefined {
  const guid = id.slice(id.lastIndexOf('/') + 1).toLowerCase();
  return Object.values(ROLE_DEFINITIONS).find((r) => r.id === guid);
}

/** ARM id of a registry; role-assignment scopes at or above it apply to it. */
export function registryResourceId(registry: { subscriptionId: string; resourceGroup: string; name: string }): string {
  return `/subscriptions/${registry.subscriptionId}/resourceGroups/${registry.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${registry.name}`;
}
