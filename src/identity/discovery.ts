/**
 * The documents clients read before asking for a token: OpenID Connect discovery in Entra's
 * v2 and v1 shapes and in ADFS's shape (az CLI's offline route), and Entra's instance
 * discovery (`/common/discovery/instance`, which MSAL calls unless told not to). Endpoints
 * are built on the origin the client used, so they work behind any name the server answers to.
 */
import { entraErrors } from './entra-errors.js';
import { issuerFor } from './token-issuer.js';

const CLAIMS_SUPPORTED = [
  'sub',
  'iss',
  'aud',
  'exp',
  'iat',
  'nbf',
  'tid',
  'oid',
  'appid',
  'azp',
  'idtyp',
  'upn',
  'unique_name',
  'preferred_username',
  'name',
  'ver',
  'uti',
];

function hostnameOf(origin: string): string {
  return new URL(origin).hostname;
}

/**
 * v2 discovery for `/<tenant>/v2.0/.well-known/openid-configuration`. `tenantSegment` is the
 * path segment as requested (an id or an alias such as `organizations`); for an alias the
 * issuer carries Entra's `{tenantid}` placeholder, as Entra's does.
 */
export function v2Configuration(origin: string, tenantSegment: string, tenantId: string | null): Record<string, unknown> {
  const base = `${origin}/${tenantSegment}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    grant_types_supported: ['client_credentials', 'password', 'refresh_token'],
    issuer: tenantId ? issuerFor(origin, 'v2', tenantId) : `${origin}/{tenantid}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: CLAIMS_SUPPORTED,
    tenant_region_scope: 'WW',
    cloud_instance_name: hostnameOf(origin),
    cloud_graph_host_name: hostnameOf(origin),
    msgraph_host: hostnameOf(origin),
    rbac_url: origin,
  };
}

/** v1 discovery for `/<tenant>/.well-known/openid-configuration`. */
export function v1Configuration(origin: string, tenantSegment: string, tenantId: string | null): Record<string, unknown> {
  const base = `${origin}/${tenantSegment}`;
  return {
    token_endpoint: `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    scopes_supported: ['openid'],
    grant_types_supported: ['client_credentials', 'password', 'refresh_token'],
    issuer: tenantId ? issuerFor(origin, 'v1', tenantId) : `${origin}/{tenantid}/`,
    authorization_endpoint: `${base}/oauth2/authorize`,
    device_authorization_endpoint: `${base}/oauth2/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/logout`,
    claims_supported: CLAIMS_SUPPORTED,
    tenant_region_scope: 'WW',
    cloud_instance_name: hostnameOf(origin),
    cloud_graph_host_name: hostnameOf(origin),
    msgraph_host: hostnameOf(origin),
    rbac_url: origin,
  };
}

/** ADFS discovery for `/adfs/.well-known/openid-configuration`. */
export function adfsConfiguration(origin: string): Record<string, unknown> {
  const base = `${origin}/adfs`;
  return {
    issuer: issuerFor(origin, 'adfs', ''),
    authorization_endpoint: `${base}/oauth2/authorize`,
    token_endpoint: `${base}/oauth2/token`,
    jwks_uri: `${base}/discovery/keys`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token', 'code token', 'code id_token token'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    grant_types_supported: ['client_credentials', 'password', 'refresh_token'],
    subject_types_supported: ['pairwise'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access', 'allatclaims', 'user_impersonation'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    access_token_issuer: issuerFor(origin, 'adfs', ''),
    claims_supported: CLAIMS_SUPPORTED,
    microsoft_multi_refresh_token: true,
    userinfo_endpoint: `${base}/userinfo`,
    capabilities: [],
    end_session_endpoint: `${base}/oauth2/logout`,
    device_authorization_endpoint: `${base}/oauth2/devicecode`,
    tenant_region_scope: null,
    cloud_instance_name: hostnameOf(origin),
  };
}

/**
 * Instance discovery (`/common/discovery/instance?authorization_endpoint=…`): where the
 * tenant's discovery document is, and the aliases of this instance. The tenant is read from
 * the authorization endpoint's first path segment; its host is not trusted (az's MSAL drops
 * the port from it), the origin of this request is used instead.
 */
export function instanceDiscovery(origin: string, authorizationEndpoint: string | undefined): Record<string, unknown> {
  let tenantSegment: string;
  try {
    if (!authorizationEndpoint) throw new Error('missing');
    const url = new URL(authorizationEndpoint);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http');
    tenantSegment = url.pathname.split('/').filter(Boolean)[0] ?? '';
    if (!/^[A-Za-z0-9.-]{1,256}$/.test(tenantSegment)) throw new Error('no tenant');
  } catch {
    throw entraErrors.invalidInstance();
  }
  const host = new URL(origin).host;
  return {
    tenant_discovery_endpoint: `${origin}/${tenantSegment}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}
