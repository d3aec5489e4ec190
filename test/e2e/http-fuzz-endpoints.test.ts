/**
 * Every endpoint of a real, secure Wharf driven with bad input: malformed and percent-broken
 * paths, bad query parameters, malformed and 10k+ deep JSON, wrong types and huge numbers,
 * wrong content types, bad Authorization headers and JWTs, bad digests and ranges, bad forms.
 * Requests go out anonymously and as the bootstrap owner (an identity-plane token for ARM and
 * Graph, registry tokens and Basic credentials for /v2 and /acr), so the handlers behind
 * authentication see the input too. Inputs come from a seeded PRNG (the same every run), at
 * most 8 in flight. No answer may be a 5xx or a hang; every error body must be in the plane's
 * own format (OCI errors for the registry APIs, ARM or Graph errors for management, OAuth errors
 * for the identity plane and IMDS); the server must stay alive.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { DEFAULT_LOGIN_SERVER } from '../helpers/contract.js';
import { BAD_QUERIES, BAD_SEGMENTS, badAuthorization, badForm, badHeader, badJsonBody, badManifest, Picker, seededRandom } from '../helpers/fuzz-inputs.js';
import { agentFor } from '../helpers/http.js';
import type { Agent, Dispatcher } from 'undici';
import { readFileSync } from 'node:fs';
import { locationPath, pushBlob, putManifest, startUpload, uploadImage } from '../helpers/registry-api.js';
import { API_VERSION, identityToken, WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const SEED = 0x5eed_0010;
const CASES_PER_ENDPOINT = 26;
const CONCURRENCY = 8;
const REPO = 'fuzz/base';
const TAG = 'v1';

type Plane = 'oci' | 'token' | 'arm' | 'graph' | 'entra' | 'imds' | 'ops';
type BodyKind = 'none' | 'json' | 'form' | 'manifest' | 'blob';
type Auth = 'none' | 'owner' | 'bad';

interface Endpoint {
  plane: Plane;
  method: string;
  /** `{name}` parts are filled from the fixture values; a fuzzed path replaces one of them. */
  template: string;
  body: BodyKind;
  /** JSON fields (dotted) the handler reads, for wrong-type bodies. */
  fields?: readonly string[];
  /** A valid query the endpoint needs (api-version, service…). */
  query?: string;
  /** Only fuzzed names: the fixture's own name would be deleted or rotated. */
  destructive?: boolean;
  headers?: Record<string, string>;
}

interface RawResponse {
  status: number;
  body: Buffer;
  json<T = any>(): T;
  text(): string;
}

interface Case {
  plane: Plane;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  label: string;
}

let server: WharfServer;
/** Trusts the server's CA but not its names: the fuzz sends Host headers no certificate carries. */
let anyHost: Agent;
let admin: WharfAdmin;
const values: Record<string, string> = {};
const owner = { armToken: '', registryToken: '', basic: '', refreshToken: '' };

const ARM_REGISTRY_FIELDS = [
  'location',
  'sku',
  'sku.name',
  'tags',
  'identity',
  'identity.type',
  'properties',
  'properties.adminUserEnabled',
  'properties.networkRuleSet',
  'properties.networkRuleSet.defaultAction',
  'properties.networkRuleSet.ipRules',
  'properties.publicNetworkAccess',
  'properties.policies',
  'properties.policies.retentionPolicy.days',
  'properties.dataEndpointEnabled',
  'properties.anonymousPullEnabled',
  'properties.zoneRedundancy',
  'properties.networkRuleBypassOptions',
];

const ENDPOINTS: Endpoint[] = [
  // ---- registry data plane
  { plane: 'oci', method: 'GET', template: '/v2/', body: 'none' },
  { plane: 'oci', method: 'HEAD', template: '/v2/', body: 'none' },
  { plane: 'oci', method: 'GET', template: '/v2/_catalog', body: 'none', query: 'n=10' },
  { plane: 'oci', method: 'GET', template: '/v2/{repo}/tags/list', body: 'none', query: 'n=5' },
  { plane: 'oci', method: 'GET', template: '/v2/{repo}/manifests/{tag}', body: 'none' },
  { plane: 'oci', method: 'HEAD', template: '/v2/{repo}/manifests/{digest}', body: 'none' },
  {
    plane: 'oci',
    method: 'PUT',
    template: '/v2/{repo}/manifests/{tag}',
    body: 'manifest',
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
  },
  { plane: 'oci', method: 'DELETE', template: '/v2/{repo}/manifests/{digest}', body: 'none', destructive: true },
  { plane: 'oci', method: 'POST', template: '/v2/{repo}/blobs/uploads/', body: 'blob' },
  { plane: 'oci', method: 'GET', template: '/v2/{repo}/blobs/uploads/{uuid}', body: 'none' },
  { plane: 'oci', method: 'PATCH', template: '/v2/{repo}/blobs/uploads/{uuid}', body: 'blob', headers: { 'content-type': 'application/octet-stream' } },
  { plane: 'oci', method: 'PUT', template: '/v2/{repo}/blobs/uploads/{uuid}', body: 'blob', query: 'digest={layer}' },
  { plane: 'oci', method: 'DELETE', template: '/v2/{repo}/blobs/uploads/{uuid}', body: 'none', destructive: true },
  { plane: 'oci', method: 'GET', template: '/v2/{repo}/blobs/{layer}', body: 'none' },
  { plane: 'oci', method: 'HEAD', template: '/v2/{repo}/blobs/{layer}', body: 'none' },
  { plane: 'oci', method: 'DELETE', template: '/v2/{repo}/blobs/{layer}', body: 'none', destructive: true },
  { plane: 'oci', method: 'GET', template: '/v2/{repo}/referrers/{digest}', body: 'none' },
  { plane: 'oci', method: 'GET', template: '/acr/v1/_catalog', body: 'none' },
  { plane: 'oci', method: 'GET', template: '/acr/v1/{repo}', body: 'none' },
  {
    plane: 'oci',
    method: 'PATCH',
    template: '/acr/v1/{repo}',
    body: 'json',
    fields: ['writeEnabled', 'readEnabled', 'deleteEnabled', 'listEnabled', 'changeableAttributes'],
  },
  { plane: 'oci', method: 'DELETE', template: '/acr/v1/{repo}', body: 'none', destructive: true },
  { plane: 'oci', method: 'GET', template: '/acr/v1/{repo}/_tags', body: 'none', query: 'n=5&orderby=timedesc' },
  { plane: 'oci', method: 'GET', template: '/acr/v1/{repo}/_tags/{tag}', body: 'none' },
  {
    plane: 'oci',
    method: 'PATCH',
    template: '/acr/v1/{repo}/_tags/{tag}',
    body: 'json',
    fields: ['writeEnabled', 'readEnabled', 'deleteEnabled', 'listEnabled'],
  },
  { plane: 'oci', method: 'DELETE', template: '/acr/v1/{repo}/_tags/{tag}', body: 'none', destructive: true },
  { plane: 'oci', method: 'GET', template: '/acr/v1/{repo}/_manifests', body: 'none' },
  { plane: 'oci', method: 'GET', template: '/acr/v1/{repo}/_manifests/{digest}', body: 'none' },
  {
    plane: 'oci',
    method: 'PATCH',
    template: '/acr/v1/{repo}/_manifests/{digest}',
    body: 'json',
    fields: ['writeEnabled', 'readEnabled', 'deleteEnabled', 'listEnabled', 'quarantineState'],
  },
  // ---- ACR token server
  { plane: 'token', method: 'GET', template: '/oauth2/token', body: 'none', query: `service=${DEFAULT_LOGIN_SERVER}&scope=repository:{repo}:pull` },
  { plane: 'token', method: 'POST', template: '/oauth2/token', body: 'form' },
  { plane: 'token', method: 'POST', template: '/oauth2/exchange', body: 'form' },
  // ---- management plane (ARM)
  { plane: 'arm', method: 'GET', template: '/subscriptions', body: 'none' },
  { plane: 'arm', method: 'GET', template: '/subscriptions/{sub}', body: 'none' },
  { plane: 'arm', method: 'GET', template: '/subscriptions/{sub}/resources', body: 'none' },
  { plane: 'arm', method: 'GET', template: '/subscriptions/{sub}/resourceGroups', body: 'none' },
  { plane: 'arm', method: 'PUT', template: '/subscriptions/{sub}/resourceGroups/{rg}', body: 'json', fields: ['location', 'tags', 'properties'] },
  { plane: 'arm', method: 'HEAD', template: '/subscriptions/{sub}/resourceGroups/{rg}', body: 'none' },
  { plane: 'arm', method: 'GET', template: '/subscriptions/{sub}/providers', body: 'none' },
  { plane: 'arm', method: 'POST', template: '/subscriptions/{sub}/providers/{ns}/register', body: 'json', fields: [] },
  { plane: 'arm', method: 'GET', template: '/subscriptions/{sub}/providers/Microsoft.ContainerRegistry/registries', body: 'none' },
  {
    plane: 'arm',
    method: 'POST',
    template: '/subscriptions/{sub}/providers/Microsoft.ContainerRegistry/checkNameAvailability',
    body: 'json',
    fields: ['name', 'type'],
  },
  { plane: 'arm', method: 'GET', template: '/providers/Microsoft.ContainerRegistry/operations', body: 'none' },
  { plane: 'arm', method: 'GET', template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}', body: 'none' },
  {
    plane: 'arm',
    method: 'PUT',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}',
    body: 'json',
    fields: ARM_REGISTRY_FIELDS,
  },
  {
    plane: 'arm',
    method: 'PATCH',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}',
    body: 'json',
    fields: ARM_REGISTRY_FIELDS,
  },
  {
    plane: 'arm',
    method: 'DELETE',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}',
    body: 'none',
    destructive: true,
  },
  {
    plane: 'arm',
    method: 'GET',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/listUsages',
    body: 'none',
  },
  {
    plane: 'arm',
    method: 'POST',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/listCredentials',
    body: 'json',
    fields: [],
  },
  {
    plane: 'arm',
    method: 'POST',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/regenerateCredential',
    body: 'json',
    fields: ['name'],
  },
  {
    plane: 'arm',
    method: 'GET',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/scopeMaps',
    body: 'none',
  },
  {
    plane: 'arm',
    method: 'PUT',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/scopeMaps/{map}',
    body: 'json',
    fields: ['properties', 'properties.actions', 'properties.description'],
  },
  {
    plane: 'arm',
    method: 'PATCH',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/scopeMaps/{map}',
    body: 'json',
    fields: ['properties.actions', 'properties.description'],
  },
  {
    plane: 'arm',
    method: 'DELETE',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/scopeMaps/{map}',
    body: 'none',
    destructive: true,
  },
  {
    plane: 'arm',
    method: 'GET',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/tokens',
    body: 'none',
  },
  {
    plane: 'arm',
    method: 'PUT',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/tokens/{token}',
    body: 'json',
    fields: ['properties.scopeMapId', 'properties.status', 'properties.credentials', 'properties.credentials.certificates', 'properties.credentials.passwords'],
  },
  {
    plane: 'arm',
    method: 'PATCH',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/tokens/{token}',
    body: 'json',
    fields: ['properties.scopeMapId', 'properties.status', 'properties.credentials.passwords'],
  },
  {
    plane: 'arm',
    method: 'DELETE',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/tokens/{token}',
    body: 'none',
    destructive: true,
  },
  {
    plane: 'arm',
    method: 'POST',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/generateCredentials',
    body: 'json',
    fields: ['tokenId', 'name', 'expiry'],
  },
  {
    plane: 'arm',
    method: 'GET',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/loginEvents',
    body: 'none',
    query: '$top=5',
  },
  {
    plane: 'arm',
    method: 'GET',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/repositoryEvents',
    body: 'none',
  },
  {
    plane: 'arm',
    method: 'POST',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/diagnose',
    body: 'json',
    fields: ['repository', 'listener', 'ipAddress'],
  },
  {
    plane: 'arm',
    method: 'POST',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/garbageCollect',
    body: 'json',
    fields: ['dryRun', 'deleteUntagged', 'repository'],
  },
  {
    plane: 'arm',
    method: 'POST',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/importImage',
    body: 'json',
    fields: [
      'source',
      'source.registryUri',
      'source.resourceId',
      'source.sourceImage',
      'source.credentials',
      'targetTags',
      'untaggedTargetRepositories',
      'mode',
    ],
  },
  {
    plane: 'arm',
    method: 'GET',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/operationStatuses/{guid}',
    body: 'none',
  },
  {
    plane: 'arm',
    method: 'POST',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/networkRuleWhatIf',
    body: 'json',
    fields: ['properties', 'properties.networkRuleSet', 'ipAddress', 'listener', 'properties.publicNetworkAccess'],
  },
  {
    plane: 'arm',
    method: 'GET',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/privateEndpointConnections',
    body: 'none',
  },
  {
    plane: 'arm',
    method: 'PUT',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/privateEndpointConnections/{name}',
    body: 'json',
    fields: [
      'properties.privateLinkServiceConnectionState',
      'properties.privateLinkServiceConnectionState.status',
      'properties.privateLinkServiceConnectionState.description',
    ],
  },
  {
    plane: 'arm',
    method: 'GET',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/privateLinkResources/{name}',
    body: 'none',
  },
  {
    plane: 'arm',
    method: 'GET',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/replications',
    body: 'none',
  },
  {
    plane: 'arm',
    method: 'PUT',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/replications/{name}',
    body: 'json',
    fields: ['location', 'properties.regionEndpointEnabled', 'properties.zoneRedundancy', 'tags'],
  },
  {
    plane: 'arm',
    method: 'GET',
    template:
      '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/providers/Microsoft.Authorization/roleAssignments',
    body: 'none',
    query: "$filter=principalId eq 'x'",
  },
  {
    plane: 'arm',
    method: 'PUT',
    template:
      '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/providers/Microsoft.Authorization/roleAssignments/{guid}',
    body: 'json',
    fields: ['properties', 'properties.roleDefinitionId', 'properties.principalId', 'properties.principalType', 'properties.condition'],
  },
  {
    plane: 'arm',
    method: 'DELETE',
    template:
      '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/providers/Microsoft.Authorization/roleAssignments/{guid}',
    body: 'none',
    destructive: true,
  },
  {
    plane: 'arm',
    method: 'GET',
    template:
      '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/providers/Microsoft.Authorization/roleDefinitions',
    body: 'none',
    query: "$filter=roleName eq 'x'",
  },
  {
    plane: 'arm',
    method: 'GET',
    template:
      '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{reg}/providers/Microsoft.Authorization/roleDefinitions/{guid}',
    body: 'none',
  },
  { plane: 'arm', method: 'GET', template: '/subscriptions/{sub}/providers/Microsoft.ManagedIdentity/userAssignedIdentities', body: 'none' },
  {
    plane: 'arm',
    method: 'PUT',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}',
    body: 'json',
    fields: ['location', 'tags'],
  },
  { plane: 'arm', method: 'GET', template: '/subscriptions/{sub}/providers/Wharf.Security/signingKeys', body: 'none' },
  { plane: 'arm', method: 'POST', template: '/subscriptions/{sub}/providers/Wharf.Security/signingKeys/rotate', body: 'json', fields: [], destructive: true },
  { plane: 'arm', method: 'GET', template: '/subscriptions/{sub}/providers/Microsoft.Network/virtualNetworks', body: 'none' },
  {
    plane: 'arm',
    method: 'PUT',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}',
    body: 'json',
    fields: ['location', 'properties.addressSpace', 'properties.addressSpace.addressPrefixes', 'properties.subnets'],
  },
  {
    plane: 'arm',
    method: 'PUT',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{name}',
    body: 'json',
    fields: ['properties.addressPrefix', 'properties.serviceEndpoints', 'properties'],
  },
  {
    plane: 'arm',
    method: 'GET',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets',
    body: 'none',
  },
  {
    plane: 'arm',
    method: 'PUT',
    template: '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/privateEndpoints/{name}',
    body: 'json',
    fields: [
      'location',
      'properties.subnet',
      'properties.subnet.id',
      'properties.privateLinkServiceConnections',
      'properties.manualPrivateLinkServiceConnections',
      'properties.ipConfigurations',
    ],
  },
  { plane: 'arm', method: 'GET', template: '/subscriptions/{sub}/providers/Microsoft.Network/privateEndpoints', body: 'none' },
  {
    plane: 'arm',
    method: 'PUT',
    template: '/subscriptions/{sub}/providers/Wharf.Network/trustedServices/{name}',
    body: 'json',
    fields: ['properties.serviceType', 'properties.displayName', 'properties'],
  },
  {
    plane: 'arm',
    method: 'PUT',
    template: '/providers/Microsoft.Subscription/aliases/{name}',
    body: 'json',
    fields: ['properties.displayName', 'properties.workload', 'properties'],
  },
  // ---- Graph subset
  { plane: 'graph', method: 'GET', template: '/v1.0/applications', body: 'none', query: "$filter=appId eq 'x'" },
  { plane: 'graph', method: 'POST', template: '/v1.0/applications', body: 'json', fields: ['displayName'] },
  { plane: 'graph', method: 'GET', template: "/v1.0/applications(appId='{guid}')", body: 'none' },
  {
    plane: 'graph',
    method: 'POST',
    template: '/v1.0/applications/{guid}/addPassword',
    body: 'json',
    fields: ['passwordCredential', 'passwordCredential.displayName', 'passwordCredential.endDateTime', 'passwordCredential.startDateTime'],
  },
  { plane: 'graph', method: 'POST', template: '/v1.0/applications/{guid}/removePassword', body: 'json', fields: ['keyId'] },
  { plane: 'graph', method: 'DELETE', template: '/v1.0/applications/{guid}', body: 'none', destructive: true },
  { plane: 'graph', method: 'GET', template: '/v1.0/servicePrincipals', body: 'none', query: "$filter=displayName eq 'x'" },
  { plane: 'graph', method: 'POST', template: '/v1.0/servicePrincipals', body: 'json', fields: ['appId', 'accountEnabled', 'displayName'] },
  { plane: 'graph', method: 'GET', template: '/v1.0/servicePrincipals/{guid}', body: 'none' },
  {
    plane: 'graph',
    method: 'POST',
    template: '/v1.0/users',
    body: 'json',
    fields: ['userPrincipalName', 'displayName', 'accountEnabled', 'passwordProfile', 'passwordProfile.password'],
  },
  { plane: 'graph', method: 'GET', template: '/v1.0/users/{guid}', body: 'none' },
  // ---- identity plane
  { plane: 'entra', method: 'POST', template: '/{tenant}/oauth2/v2.0/token', body: 'form' },
  { plane: 'entra', method: 'POST', template: '/{tenant}/oauth2/token', body: 'form' },
  { plane: 'entra', method: 'POST', template: '/adfs/oauth2/token', body: 'form' },
  { plane: 'entra', method: 'GET', template: '/{tenant}/v2.0/.well-known/openid-configuration', body: 'none' },
  { plane: 'entra', method: 'GET', template: '/{tenant}/.well-known/openid-configuration', body: 'none' },
  { plane: 'entra', method: 'GET', template: '/adfs/.well-known/openid-configuration', body: 'none' },
  {
    plane: 'entra',
    method: 'GET',
    template: '/common/discovery/instance',
    body: 'none',
    query: 'api-version=1.1&authorization_endpoint=https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
  },
  { plane: 'entra', method: 'GET', template: '/{tenant}/discovery/v2.0/keys', body: 'none' },
  { plane: 'entra', method: 'GET', template: '/{tenant}/discovery/keys', body: 'none' },
  { plane: 'entra', method: 'GET', template: '/adfs/discovery/keys', body: 'none' },
  {
    plane: 'imds',
    method: 'GET',
    template: '/metadata/identity/oauth2/token',
    body: 'none',
    query: 'api-version=2018-02-01&resource=https://management.azure.com/',
    headers: { metadata: 'true' },
  },
  {
    plane: 'imds',
    method: 'GET',
    template: '/metadata/identity/oauth2/token/',
    body: 'none',
    query: 'api-version=2018-02-01&resource=https://management.azure.com/',
    headers: { metadata: 'true' },
  },
  // ---- operations
  { plane: 'ops', method: 'GET', template: '/healthz', body: 'none' },
  { plane: 'ops', method: 'GET', template: '/readyz', body: 'none' },
  { plane: 'ops', method: 'GET', template: '/metrics', body: 'none' },
];

/** The fields the OAuth endpoints read, and a plausible base form to spoil one field of. */
const FORM_FIELDS: Record<string, { fields: string[]; base: () => Record<string, string> }> = {
  '/oauth2/token': {
    fields: ['grant_type', 'service', 'scope', 'refresh_token', 'username', 'password', 'access_type', 'client_id'],
    base: () => ({ grant_type: 'refresh_token', service: DEFAULT_LOGIN_SERVER, scope: `repository:${REPO}:pull`, refresh_token: owner.refreshToken }),
  },
  '/oauth2/exchange': {
    fields: ['grant_type', 'service', 'tenant', 'access_token', 'refresh_token'],
    base: () => ({ grant_type: 'access_token', service: DEFAULT_LOGIN_SERVER, access_token: owner.armToken }),
  },
  entra: {
    fields: [
      'grant_type',
      'client_id',
      'client_secret',
      'scope',
      'resource',
      'username',
      'password',
      'refresh_token',
      'client_assertion',
      'client_assertion_type',
      'assertion',
      'requested_token_use',
      'code',
    ],
    base: () => ({
      grant_type: 'client_credentials',
      client_id: admin.owner.clientId,
      client_secret: admin.owner.clientSecret,
      scope: 'https://management.azure.com/.default',
    }),
  },
};

function fill(template: string, replaced?: { name: string; value: string }): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => (replaced?.name === name ? replaced.value : values[name]!));
}

function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}

function authHeader(plane: Plane, auth: Auth, pick: Picker): Record<string, string> {
  if (auth === 'none') return {};
  if (auth === 'bad') return { authorization: badAuthorization(pick) };
  if (plane === 'arm' || plane === 'graph') return { authorization: `Bearer ${owner.armToken}` };
  if (plane === 'oci') return { authorization: pick.chance(0.75) ? `Bearer ${owner.registryToken}` : owner.basic };
  if (plane === 'token') return pick.chance(0.5) ? { authorization: owner.basic } : {};
  return {};
}

function bodyFor(endpoint: Endpoint, pick: Picker): { body?: string | Buffer; headers: Record<string, string> } {
  switch (endpoint.body) {
    case 'json':
      return { body: badJsonBody(pick, endpoint.fields ?? []), headers: { 'content-type': 'application/json' } };
    case 'form': {
      const key = endpoint.plane === 'entra' ? 'entra' : endpoint.template;
      const spec = FORM_FIELDS[key]!;
      return { body: badForm(pick, spec.fields, spec.base()), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    }
    case 'manifest':
      return {
        body: badManifest(pick, { digest: values.config!, size: Number(values.configSize) }, { digest: values.layer!, size: Number(values.layerSize) }),
        headers: {},
      };
    case 'blob':
      return { body: pick.one([Buffer.alloc(0), Buffer.from('x'), Buffer.alloc(70_000, 7), Buffer.from(values.layerData!, 'base64')]), headers: {} };
    default:
      return { headers: {} };
  }
}

/** One bad input for `endpoint`: one or two mutations of a request that is otherwise right. */
function makeCase(endpoint: Endpoint, pick: Picker): Case {
  const names = placeholders(endpoint.template);
  const mutations = new Set<string>();
  const count = pick.chance(0.25) ? 2 : 1;
  const families = ['path', 'query', 'header', 'auth', ...(endpoint.body !== 'none' ? ['body', 'body', 'body'] : [])];
  while (mutations.size < count) mutations.add(pick.one(families));
  // A destructive method only ever gets a spoiled name: the fixtures must survive the run.
  if (endpoint.destructive && names.length > 0) mutations.add('path');

  let path = fill(endpoint.template);
  const label: string[] = [];
  if (mutations.has('path')) {
    const segment = pick.one(BAD_SEGMENTS);
    if (names.length > 0) {
      const name = pick.one(names);
      path = fill(endpoint.template, { name, value: segment });
      label.push(`{${name}}=${segment.slice(0, 40)}`);
    } else {
      path = pick.chance(0.5) ? `${path}/${segment}` : `${path}${segment}`;
      label.push(`path+${segment.slice(0, 40)}`);
    }
  }
  const queries: string[] = [];
  if (endpoint.query) queries.push(fill(endpoint.query));
  if (endpoint.plane === 'arm') queries.push(`api-version=${API_VERSION}`);
  if (mutations.has('query')) {
    const bad = pick.one(BAD_QUERIES);
    if (pick.chance(0.3)) queries.length = 0;
    queries.push(bad);
    label.push(`?${bad.slice(0, 40)}`);
  }
  if (endpoint.plane === 'imds' && mutations.has('query') && pick.chance(0.5)) {
    // The identity selectors with broken percent-encoding (raw and encoded once more).
    const broken = pick.one(['%zz', '%25zz', '%E0%A4%A', '%ED%A0%80', '%00', '%2F..%2F']);
    const selector = pick.one(['msi_res_id', 'mi_res_id']);
    queries.push(`${selector}=/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${broken}`);
    label.push(`${selector}…/${broken}`);
  }
  const auth: Auth = mutations.has('auth') ? 'bad' : pick.chance(0.8) ? 'owner' : 'none';
  const headers: Record<string, string> = { ...(endpoint.headers ?? {}), ...authHeader(endpoint.plane, auth, pick) };
  let body: string | Buffer | undefined;
  if (endpoint.body !== 'none') {
    const made = mutations.has('body') ? bodyFor(endpoint, pick) : { body: undefined, headers: {} };
    body = made.body;
    Object.assign(headers, made.headers);
    if (mutations.has('body')) label.push(`body:${describeBody(body)}`);
  }
  if (mutations.has('header')) {
    const [name, value] = badHeader(pick);
    headers[name] = value;
    label.push(`${name}: ${value.slice(0, 40)}`);
  }
  if (mutations.has('auth')) label.push(`authorization: ${headers.authorization?.slice(0, 40)}`);
  const query = queries.length > 0 ? `?${queries.join('&')}` : '';
  return {
    plane: endpoint.plane,
    method: endpoint.method,
    path: path + query,
    headers,
    body,
    label: `${endpoint.method} ${endpoint.template} ${label.join(' ')}`,
  };
}

function describeBody(body: string | Buffer | undefined): string {
  if (body === undefined) return 'none';
  const text = body.toString();
  return text.length > 40 ? `${text.slice(0, 30)}…(${text.length})` : text;
}

function keyOf(c: Case): string {
  const hash = createHash('sha256');
  hash.update(`${c.method} ${c.path}\n${JSON.stringify(c.headers)}\n`);
  if (c.body !== undefined) hash.update(c.body);
  return hash.digest('hex');
}

/** Every case, deduplicated, in a fixed order. */
function generateCases(): Case[] {
  const pick = new Picker(seededRandom(SEED));
  const cases = new Map<string, Case>();
  for (const endpoint of ENDPOINTS) {
    let added = 0;
    for (let i = 0; i < CASES_PER_ENDPOINT * 3 && added < CASES_PER_ENDPOINT; i++) {
      const c = makeCase(endpoint, pick);
      const key = keyOf(c);
      if (cases.has(key)) continue;
      cases.set(key, c);
      added++;
    }
  }
  return [...cases.values()];
}

/** The plane the path sent names (a fuzzed path may have left its endpoint's plane). */
function planeOfPath(pathAndQuery: string): Plane {
  const path = pathAndQuery.split('?')[0]!.toLowerCase();
  if (path === '/v2' || path.startsWith('/v2/') || path.startsWith('/acr/')) return 'oci';
  if (path.startsWith('/oauth2/')) return 'token';
  if (path === '/subscriptions' || path.startsWith('/subscriptions/') || path.startsWith('/providers/')) return 'arm';
  if (path.startsWith('/v1.0/')) return 'graph';
  if (path.startsWith('/metadata/identity/')) return 'imds';
  if (path.startsWith('/adfs/') || /^\/[^/]+\/(?:oauth2\/|v2\.0\/\.well-known\/|\.well-known\/|discovery\/)/.test(path)) return 'entra';
  return 'ops';
}

/** Why the error body is not in the plane's format; undefined when it is. */
function formatProblem(c: Case, res: RawResponse): string | undefined {
  if (res.status < 400 || c.method === 'HEAD' || res.body.length === 0) return undefined;
  const body = res.json<any>();
  if (body === undefined || body === null || typeof body !== 'object') return 'the error body is not JSON';
  const oci =
    Array.isArray(body.errors) && body.errors.length > 0 && body.errors.every((e: any) => typeof e?.code === 'string' && typeof e?.message === 'string');
  const arm = typeof body.error === 'object' && body.error !== null && typeof body.error.code === 'string' && typeof body.error.message === 'string';
  const oauth = typeof body.error === 'string' && typeof body.error_description === 'string';
  // A path no route serves is answered by the server's one not-found handler, in the registry's format.
  const unrouted = oci && res.status === 404 && body.errors[0].code === 'NOT_FOUND';
  // Node's HTTP parser refuses oversized headers before there is a request line to read the
  // plane from (the overflow is seen in a later chunk): any of the planes' formats will do.
  if (res.status === 431) return oci || arm || oauth ? undefined : 'expected a JSON error';
  switch (planeOfPath(c.path)) {
    case 'oci':
      return oci ? undefined : 'expected OCI {"errors":[{code,message}]}';
    case 'token':
      return oci || oauth ? undefined : 'expected OCI errors or OAuth {error,error_description}';
    case 'arm':
    case 'graph':
      return arm || unrouted ? undefined : 'expected ARM/Graph {"error":{code,message}}';
    case 'entra':
    case 'imds':
      return oauth || unrouted ? undefined : 'expected OAuth {error,error_description}';
    case 'ops':
      return oci ? undefined : 'expected OCI errors';
  }
}

interface Outcome {
  tried: number;
  clientRefused: number;
  serverErrors: string[];
  hangs: string[];
  badFormats: string[];
  statuses: Map<number, number>;
}

/**
 * Sends the path exactly as written: a URL parser (undici's request(url) uses WHATWG URL) would
 * resolve `..` and `%2e%2e` segments away, and a fuzzed DELETE …/scopeMaps/%2e%2e would then
 * reach the server as a DELETE of the registry itself.
 */
async function sendRaw(c: Case): Promise<RawResponse> {
  const res = await anyHost.request({
    origin: server.baseUrl,
    // Spaces and non-ASCII characters go percent-encoded (UTF-8), as any client sends them; the rest as written.
    path: c.path.replace(/[^\x21-\x7e]/gu, (ch) => encodeURIComponent(ch)),
    method: c.method as Dispatcher.HttpMethod,
    headers: c.headers,
    ...(c.body !== undefined ? { body: c.body } : {}),
    headersTimeout: 20_000,
    bodyTimeout: 20_000,
  });
  const body = Buffer.from(await res.body.arrayBuffer());
  return {
    status: res.statusCode,
    body,
    json<T>() {
      try {
        return JSON.parse(body.toString('utf8')) as T;
      } catch {
        return undefined as T;
      }
    },
    text: () => body.toString('utf8'),
  };
}

async function runCases(cases: Case[]): Promise<Outcome> {
  const outcome: Outcome = { tried: 0, clientRefused: 0, serverErrors: [], hangs: [], badFormats: [], statuses: new Map() };
  let next = 0;
  const worker = async () => {
    for (;;) {
      const c = cases[next++];
      if (!c) return;
      let res: RawResponse;
      try {
        res = await sendRaw(c);
      } catch (error) {
        const message = (error as Error).message;
        // undici refuses some inputs itself (a header value it will not send): not sent, not counted.
        if ((error as { code?: string }).code === 'UND_ERR_INVALID_ARG' || /invalid .*(header|path|character)/i.test(message)) {
          outcome.clientRefused++;
          continue;
        }
        outcome.tried++;
        outcome.hangs.push(`${c.label}: ${(error as { code?: string }).code ?? ''} ${message}`);
        continue;
      }
      outcome.tried++;
      outcome.statuses.set(res.status, (outcome.statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) outcome.serverErrors.push(`${res.status} ${c.label} → ${res.text().slice(0, 300)}`);
      const problem = formatProblem(c, res);
      if (problem) outcome.badFormats.push(`${res.status} ${c.label}: ${problem}: ${res.text().slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return outcome;
}

before(async () => {
  // Thousands of bad logins from one address: the throttle would answer them all with 429 and
  // hide the handlers behind authentication.
  server = await startWharf({ secure: true, config: { auth: { failedLoginLimit: 1_000_000 } } });
  admin = new WharfAdmin(server);
  anyHost = agentFor(readFileSync(server.caFile!, 'utf8'), { anyName: true });
  owner.armToken = await identityToken(server, admin.owner);
  owner.basic = `Basic ${Buffer.from(`${admin.owner.clientId}:${admin.owner.clientSecret}`).toString('base64')}`;
  const asOwner: WharfServer = {
    ...server,
    request: (path, opts = {}) => server.request(path, { ...opts, headers: { authorization: owner.basic, ...(opts.headers ?? {}) } }),
  };

  const image = await uploadImage(asOwner, REPO);
  const pushed = await putManifest(asOwner, REPO, TAG, image.manifest);
  assert.equal(pushed.status, 201, pushed.text());
  const layer = image.blobs[0]!;
  const config = image.blobs[image.blobs.length - 1]!;
  const extra = await pushBlob(asOwner, REPO, Buffer.from('fuzz'));
  assert.equal(extra.status, 201, extra.text());
  const upload = await startUpload(asOwner, REPO);
  assert.equal(upload.status, 202, upload.text());
  const uuid = locationPath(server, upload.headers.location).split('?')[0]!.split('/').pop()!;

  await admin.ok('PUT', `${admin.registryId}/scopeMaps/fuzzmap`, { properties: { actions: [`repositories/${REPO}/content/read`] } });
  await admin.ok('PUT', `${admin.registryId}/tokens/fuzztoken`, { properties: { scopeMapId: `${admin.registryId}/scopeMaps/fuzzmap`, status: 'enabled' } });

  const scopes = [`repository:${REPO}:pull,push,delete,metadata_read,metadata_write`, 'registry:catalog:*'];
  const tokenRes = await server.request(`/oauth2/token?service=${DEFAULT_LOGIN_SERVER}&${scopes.map((s) => `scope=${encodeURIComponent(s)}`).join('&')}`, {
    headers: { authorization: owner.basic },
  });
  assert.equal(tokenRes.status, 200, tokenRes.text());
  owner.registryToken = tokenRes.json<{ access_token: string }>().access_token;
  // A password login gets no refresh token (docker keeps the password): exchange the Entra token.
  const exchanged = await server.request('/oauth2/exchange', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'access_token', service: DEFAULT_LOGIN_SERVER, access_token: owner.armToken }).toString(),
  });
  assert.equal(exchanged.status, 200, exchanged.text());
  owner.refreshToken = exchanged.json<{ refresh_token: string }>().refresh_token;

  Object.assign(values, {
    repo: REPO,
    tag: TAG,
    digest: image.digest,
    layer: layer.digest,
    layerSize: String(layer.data.length),
    layerData: layer.data.toString('base64'),
    config: config.digest,
    configSize: String(config.data.length),
    uuid,
    sub: admin.owner.subscriptionId,
    rg: admin.owner.resourceGroup,
    reg: admin.registry,
    ns: 'Microsoft.ContainerRegistry',
    map: 'fuzzmap',
    token: 'fuzztoken',
    guid: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
    name: 'fuzz-name',
    vnet: 'fuzz-vnet',
    tenant: admin.owner.tenantId,
  });
});

after(async () => {
  await anyHost?.close();
  await server?.stop();
});

test('a thousand and more bad inputs over every endpoint: no 5xx, no hang, errors in each plane’s format, the server stays up', async (t) => {
  const cases = generateCases();
  assert.ok(cases.length >= 1000, `only ${cases.length} distinct inputs generated`);
  const started = Date.now();
  const outcome = await runCases(cases);
  const statuses = [...outcome.statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  t.diagnostic(
    `distinct bad inputs generated: ${cases.length}; sent and answered: ${outcome.tried}; refused by the client library before sending: ${outcome.clientRefused}`,
  );
  t.diagnostic(
    `5xx answers: ${outcome.serverErrors.length}; hangs or dropped connections: ${outcome.hangs.length}; error bodies in the wrong format: ${outcome.badFormats.length}`,
  );
  t.diagnostic(`statuses: ${statuses}; ${Math.round((Date.now() - started) / 1000)} s`);
  for (const line of [...outcome.serverErrors, ...outcome.hangs, ...outcome.badFormats].slice(0, 60)) t.diagnostic(line);

  const health = await server.request('/healthz');
  assert.equal(health.status, 200, 'the server stays alive');
  assert.ok(outcome.tried >= 1000, `only ${outcome.tried} inputs reached the server`);
  assert.deepEqual(outcome.serverErrors, [], 'no 5xx');
  assert.deepEqual(outcome.hangs, [], 'no hang or dropped connection');
  assert.deepEqual(outcome.badFormats, [], 'every error in its plane’s format');
});

test('the inputs the tester reported: 10k-deep JSON in an ARM PATCH, %zz in msi_res_id, and framework-level refusals in the plane’s format', async () => {
  const registryPath = `${admin.registryId}?api-version=${API_VERSION}`;
  const json = { authorization: `Bearer ${owner.armToken}`, 'content-type': 'application/json' };

  const deep = await server.request(registryPath, { method: 'PATCH', headers: json, body: `{"properties":${'['.repeat(10_000)}${']'.repeat(10_000)}}` });
  assert.equal(deep.status, 400, deep.text());
  assert.equal(deep.json().error.code, 'InvalidRequestContent');
  assert.match(deep.json().error.message, /more than 64 levels deep/);
  // Within the limit, a wrong type is still named, and its value quoted only in part.
  const wide = await server.request(registryPath, { method: 'PATCH', headers: json, body: JSON.stringify({ tags: { a: 'x'.repeat(300).split('') } }) });
  assert.equal(wide.status, 400, wide.text());
  assert.ok(wide.json().error.message.length < 400, wide.text());

  const imds = await server.request(
    '/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/&msi_res_id=/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/%25zz',
    { headers: { metadata: 'true' } },
  );
  assert.equal(imds.status, 400, imds.text());
  assert.equal(imds.json().error, 'invalid_request');

  const brokenPath = await server.request(`/subscriptions/%zz/resourceGroups?api-version=${API_VERSION}`, { headers: json });
  assert.equal(brokenPath.status, 400, brokenPath.text());
  assert.equal(brokenPath.json().error.code, 'BadRequest');
  assert.match(brokenPath.json().error.message, /malformed percent-encoding/);

  const badType = { ...json, 'content-type': ';;;' };
  const armType = await server.request(`${admin.registryId}/listCredentials?api-version=${API_VERSION}`, { method: 'POST', headers: badType, body: '{}' });
  assert.equal(armType.status, 400, armType.text());
  assert.match(armType.json().error.message, /Content-Type header ';;;' is not a valid media type/);
  const ociType = await server.request(`/v2/${REPO}/blobs/uploads/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${owner.registryToken}`, 'content-type': ';;;' },
    body: 'x',
  });
  assert.equal(ociType.status, 400, ociType.text());
  assert.equal(ociType.json().errors[0].code, 'UNSUPPORTED');

  const entraPath = await server.request(`/${admin.owner.tenantId}/oauth2/v2.0/token%zz`, { method: 'POST' });
  assert.equal(entraPath.status, 400, entraPath.text());
  assert.equal(entraPath.json().error, 'invalid_request');
});
