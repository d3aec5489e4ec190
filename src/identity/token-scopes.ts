/**
 * What a token request asks for: the resource (the access token's audience) from
 * `scope=<resource>/.default` (v2 and ADFS) or `resource=<resource>` (v1 and ADFS), and the
 * OpenID Connect scopes that add an id token and a refresh token for users.
 */
import { entraErrors } from './entra-errors.js';
import { localize } from '../i18n/localized.js';
import { identityMessages } from './identity-messages.js';

export type EndpointFlavor = 'v2' | 'v1' | 'adfs';

const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);
const RESOURCE_MAX = 1000;

export interface RequestedAccess {
  /** The resource, kept as given (`https://management.azure.com/` stays with its slash). */
  resource: string;
  /** Delegated permissions named on the resource (`user_impersonation`); `.default` is not one. */
  permissions: string[];
  /** openid, profile, email, offline_access: those the request named. */
  oidc: Set<string>;
  /** The scope string a v2 response echoes. */
  scope: string;
}

function checkResource(resource: string, shown: string): string {
  if (!resource || resource.length > RESOURCE_MAX || /[\s\u0000-\u001f]/.test(resource)) {
    throw entraErrors.invalidScope(shown, localize(identityMessages, 'scopeNeedsResource'));
  }
  return resource;
}

/**
 * Parses the request's scope and resource parameters for a grant. Throws EntraError with the
 * code Entra answers: 900144 (missing), 1002012 (client credentials without /.default),
 * 28000 (several resources), 70011 (anything else not valid).
 */
export function parseRequestedAccess(input: {
  flavor: EndpointFlavor;
  grantType: 'client_credentials' | 'password' | 'refresh_token';
  scope: string | undefined;
  resource: string | undefined;
  /** For refresh_token: the resource of the token being refreshed, when the request names none. */
  fallbackResource?: string;
}): RequestedAccess {
  const items = (input.scope ?? '').split(/\s+/).filter(Boolean);
  const oidc = new Set(items.filter((s) => OIDC_SCOPES.has(s.toLowerCase())).map((s) => s.toLowerCase()));
  const resourceScopes = items.filter((s) => !OIDC_SCOPES.has(s.toLowerCase()));

  // v1 names the resource in its own parameter; ADFS accepts either form.
  const resourceParameter = input.resource?.trim();
  if (input.flavor === 'v1' || (input.flavor === 'adfs' && resourceParameter && resourceScopes.length === 0)) {
    if (!resourceParameter) {
      if (input.fallbackResource) return { resource: input.fallbackResource, permissions: [], oidc, scope: scopeString(input.fallbackResource, [], oidc) };
      throw entraErrors.missingParameter('resource');
    }
    const resource = checkResource(resourceParameter, resourceParameter);
    return { resource, permissions: [], oidc, scope: scopeString(resource, [], oidc) };
  }

  if (resourceScopes.length === 0) {
    if (input.fallbackResource) return { resource: input.fallbackResource, permissions: [], oidc, scope: scopeString(input.fallbackResource, [], oidc) };
    if (items.length === 0) throw entraErrors.missingParameter('scope');
    if (input.grantType === 'client_credentials') throw entraErrors.clientCredentialScope(input.scope!.trim());
    throw entraErrors.invalidScope(input.scope!.trim(), localize(identityMessages, 'scopeNameResource'));
  }

  let resource: string | undefined;
  const permissions: string[] = [];
  for (const item of resourceScopes) {
    let itemResource: string;
    if (item.toLowerCase().endsWith('/.default')) {
      itemResource = item.slice(0, -'/.default'.length);
    } else {
      if (input.grantType === 'client_credentials') throw entraErrors.clientCredentialScope(item);
      const slash = item.lastIndexOf('/');
      // A delegated permission is `<resource>/<permission>`; a bare name would be Microsoft Graph's.
      if (slash <= 0 || slash === item.length - 1 || !/^[a-z][a-z0-9+.-]*:\/\/|^api:\/\/|^[0-9a-f-]{36}\//i.test(item)) {
        throw entraErrors.invalidScope(item, localize(identityMessages, 'scopeForms'));
      }
      itemResource = item.slice(0, slash);
      permissions.push(item.slice(slash + 1));
    }
    checkResource(itemResource, item);
    if (resource !== undefined && resource !== itemResource) throw entraErrors.severalResources(input.scope!.trim());
    resource = itemResource;
  }
  return { resource: resource!, permissions, oidc, scope: scopeString(resource!, permissions, oidc) };
}

function scopeString(resource: string, permissions: string[], oidc: Set<string>): string {
  const resourceScopes = permissions.length > 0 ? permissions.map((p) => `${resource}/${p}`) : [`${resource}/.default`];
  return [...resourceScopes, ...oidc].join(' ');
}
