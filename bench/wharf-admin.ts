/**
 * Wharf's admin user, set up through its ARM management API as `az acr update --admin-enabled
 * true` and `az acr credential show` do (acr.md §7): find the registry whose login server is
 * `service`, PATCH properties.adminUserEnabled=true, POST listCredentials. The result is the
 * Basic credential docker sends to GET /oauth2/token.
 */
import { arm, findRegistry, REGISTRY_API_VERSION as API_VERSION } from './arm-client.js';
import type { BootstrapOwner } from './registry-tokens.js';

/** Turns the admin user on and returns its Basic credential as an Authorization header value. */
export async function enableAdminUser(baseUrl: string, owner: BootstrapOwner, armToken: string, loginServer: string): Promise<string> {
  const { id } = await findRegistry(baseUrl, owner, armToken, loginServer);
  await arm('PATCH', `${baseUrl}${id}?api-version=${API_VERSION}`, armToken, { properties: { adminUserEnabled: true } });
  const url = `${baseUrl}${id}/listCredentials?api-version=${API_VERSION}`;
  const credentials = await arm('POST', url, armToken);
  const password = Array.isArray(credentials.passwords) ? (credentials.passwords as { value?: unknown }[])[0]?.value : undefined;
  if (typeof credentials.username !== 'string' || typeof password !== 'string') throw new Error(`POST ${url}: no username and password`);
  return `Basic ${Buffer.from(`${credentials.username}:${password}`).toString('base64')}`;
}
