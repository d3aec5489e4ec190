/**
 * Administration of a running Wharf through its own wire APIs, for test set-up: an identity-
 * plane token for the bootstrap owner (written by a fresh server to
 * <data>/private/bootstrap-owner.json), then ARM and Graph calls to create service
 * principals, role assignments, tokens and scope maps, and to change registry settings.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WharfServer } from './wharf-server.js';
import type { HttpResponse } from './http.js';

export interface BootstrapOwner {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  resourceGroup: string;
}

export const API_VERSION = '2023-07-01';

export function bootstrapOwner(server: WharfServer): BootstrapOwner {
  return JSON.parse(readFileSync(join(server.dataDir, 'private', 'bootstrap-owner.json'), 'utf8')) as BootstrapOwner;
}

function describeResponse(what: string, res: HttpResponse): Error {
  return new Error(`${what}: ${res.status} ${res.text().slice(0, 800)}`);
}

/** A client-credentials token from Wharf's identity plane. */
export async function identityToken(
  server: WharfServer,
  creds: { tenantId: string; clientId: string; clientSecret: string },
  scope = 'https://management.azure.com/.default',
): Promise<string> {
  const res = await server.request(`/${creds.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret, scope }).toString(),
  });
  if (res.status !== 200) throw describeResponse('identity token', res);
  return res.json<{ access_token: string }>().access_token;
}

export class WharfAdmin {
  private token: string | undefined;
  readonly owner: BootstrapOwner;

  constructor(
    readonly server: WharfServer,
    readonly registry = 'wharf',
  ) {
    this.owner = bootstrapOwner(server);
  }

  get registryId(): string {
    return `/subscriptions/${this.owner.subscriptionId}/resourceGroups/${this.owner.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${this.registry}`;
  }

  async call(method: string, path: string, body?: unknown): Promise<HttpResponse> {
    this.token ??= await identityToken(this.server, this.owner);
    const sep = path.includes('?') ? '&' : '?';
    return this.server.request(path.startsWith('/v1.0/') ? path : `${path}${sep}api-version=${API_VERSION}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async ok<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.call(method, path, body);
    if (res.status >= 300) throw describeResponse(`${method} ${path}`, res);
    return res.json<T>();
  }

  async updateRegistry(properties: Record<string, unknown>): Promise<void> {
    await this.ok('PATCH', this.registryId, { properties });
    // Host routing caches registry settings for up to 2 s.
    await new Promise((r) => setTimeout(r, 2100));
  }

  /** Turns the admin user on and returns its first password. */
  async enableAdmin(): Promise<string> {
    await this.updateRegistry({ adminUserEnabled: true });
    const creds = await this.ok<{ passwords: { name: string; value: string }[] }>('POST', `${this.registryId}/listCredentials`);
    return creds.passwords.find((p) => p.name === 'password')!.value;
  }

  /** A service principal with one client secret (expiring at `endDateTime` if given). */
  async createServicePrincipal(displayName: string, endDateTime?: string): Promise<{ appId: string; objectId: string; secret: string }> {
    const app = await this.ok<{ id: string; appId: string }>('POST', '/v1.0/applications', { displayName });
    const sp = await this.ok<{ id: string }>('POST', '/v1.0/servicePrincipals', { appId: app.appId });
    const password = await this.ok<{ secretText: string }>('POST', `/v1.0/applications/${app.id}/addPassword`, {
      passwordCredential: { displayName: 'test', ...(endDateTime ? { endDateTime } : {}) },
    });
    return { appId: app.appId, objectId: sp.id, secret: password.secretText };
  }

  async assignRole(
    principalId: string,
    roleDefinitionGuid: string,
    scope = this.registryId,
    principalType: 'ServicePrincipal' | 'User' = 'ServicePrincipal',
  ): Promise<void> {
    await this.ok('PUT', `${scope}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}`, {
      properties: {
        roleDefinitionId: `${scope}/providers/Microsoft.Authorization/roleDefinitions/${roleDefinitionGuid}`,
        principalId,
        principalType,
      },
    });
  }

  /** A scope map + token with both passwords; returns password1. */
  async createToken(name: string, actions: string[], expiry?: string): Promise<string> {
    const mapName = `${name}-scope-map`;
    await this.ok('PUT', `${this.registryId}/scopeMaps/${mapName}`, { properties: { actions, description: `for ${name}` } });
    await this.ok('PUT', `${this.registryId}/tokens/${name}`, {
      properties: { scopeMapId: `${this.registryId}/scopeMaps/${mapName}`, status: 'enabled' },
    });
    const creds = await this.ok<{ passwords: { name: string; value: string }[] }>('POST', `${this.registryId}/generateCredentials`, {
      tokenId: `${this.registryId}/tokens/${name}`,
      name: 'password1',
      ...(expiry ? { expiry } : {}),
    });
    return creds.passwords.find((p) => p.name === 'password1')!.value;
  }

  async setTokenStatus(name: string, status: 'enabled' | 'disabled'): Promise<void> {
    await this.ok('PATCH', `${this.registryId}/tokens/${name}`, { properties: { status } });
  }

  // ---------------------------------------------------------------- network access (issue 4)

  /** ARM id of a resource in the owner's subscription (and resource group unless given). */
  resourceId(type: string, name: string, resourceGroup = this.owner.resourceGroup, subscriptionId = this.owner.subscriptionId): string {
    return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${type}/${name}`;
  }

  /** PATCHes the registry's network properties; `force` skips the lock-out check. Returns the raw response. */
  async patchNetwork(properties: Record<string, unknown>, opts: { force?: boolean; registryId?: string } = {}): Promise<HttpResponse> {
    return this.call('PATCH', `${opts.registryId ?? this.registryId}${opts.force ? '?force=true' : ''}`, { properties });
  }

  /** A virtual network with inline subnets; returns its id. */
  async putVirtualNetwork(
    name: string,
    addressPrefixes: string[],
    subnets: { name: string; addressPrefix: string; serviceEndpoints?: string[] }[] = [],
    where: { resourceGroup?: string; subscriptionId?: string } = {},
  ): Promise<string> {
    const id = this.resourceId('Microsoft.Network/virtualNetworks', name, where.resourceGroup, where.subscriptionId);
    await this.ok('PUT', id, {
      location: 'local',
      properties: {
        addressSpace: { addressPrefixes },
        subnets: subnets.map((s) => ({
          name: s.name,
          properties: { addressPrefix: s.addressPrefix, serviceEndpoints: (s.serviceEndpoints ?? []).map((service) => ({ service, locations: ['*'] })) },
        })),
      },
    });
    return id;
  }

  /** PUT body of a private endpoint to `registryId` in `subnetId`. */
  privateEndpointBody(
    subnetId: string,
    opts: { manual?: boolean; address?: string; registryId?: string; requestMessage?: string } = {},
  ): Record<string, unknown> {
    const connection = {
      name: 'connection',
      properties: { privateLinkServiceId: opts.registryId ?? this.registryId, groupIds: ['registry'], requestMessage: opts.requestMessage ?? 'please' },
    };
    return {
      location: 'local',
      properties: {
        subnet: { id: subnetId },
        [opts.manual ? 'manualPrivateLinkServiceConnections' : 'privateLinkServiceConnections']: [connection],
        ...(opts.address
          ? { ipConfigurations: [{ name: 'ip', properties: { groupId: 'registry', memberName: 'registry', privateIPAddress: opts.address } }] }
          : {}),
      },
    };
  }
}

/** Well-known role definition GUIDs (src/access/roles.ts). */
export const ROLE = {
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  AcrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
  AcrPush: '8311e382-0749-4cb8-b61a-304f252e45ec',
  AcrDelete: 'c2f4ef07-c644-48eb-af81-4b1b4947fb11',
} as const;
