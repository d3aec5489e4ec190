/**
 * Wharf's admin user, set up through its ARM management API as `az acr update --admin-enabled
 * true` and `az acr credential show` do (acr.md §7): find the registry whose login server is
 * `service`, PATCH properties.adminUserEnabled=true, POST listCredentials. The result is the
 * Basic credential docker sends to GET /oauth2/token.
 */
import { request } from 'undici';
import { assertLoopback } from './oci-client.js';
import type { BootstrapOwner } from './registry-tokens.js';

const API_VERSION = '2023-07-01';

async function arm(method: 'GET' | 'PATCH' | 'POST', url: string, armToken: string, body?: unknown): Promise<Record<string, unknown>> {
  assertLoopback(new URL(url));
  const text = body === undefined ? undefined : JSON.stringify(body);
  const res = await request(url, {
    method,
    headers: {
      authorization: `Bearer ${armToken}`,
      accept: 'application/json',
      ...(text === undefined ? { 'content-length': '0' } : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }),
    },
    body: text,
  });
  const answer = await res.body.text();
  if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`${method} ${url}: HTTP ${res.statusCode} ${answer.slice(0, 300)}`);
  const json = answer === '' ? {} : (JSON.parse(answer) as unknown);
  if (json === null || typeof json !== 'object') throw new Error(`${method} ${url}: the answer is not a JSON object`);
  return json as Record<string, unknown>;
}

/** The ARM id of the registry whose login server is `loginServer`. */
async function registryId(baseUrl: string, owner: BootstrapOwner, armToken: string, loginServer: string): Promise<string> {
  const url = `${baseUrl}/subscriptions/${owner.subscriptionId}/providers/Microsoft.ContainerRegistry/registries?api-version=${API_VERSION}`;
  const list = await arm('GET', url, armToken);
  const registries = Array.isArray(list.value) ? (list.value as { id?: unknown; properties?: { loginServer?: unknown } }[]) : [];
  const found = registries.find((r) => typeof r.properties?.loginServer === 'string' && r.properties.loginServer.toLowerCase() === loginServer.toLowerCase());
  if (typeof found?.id !== 'string') throw new Error(`GET ${url}: no registry with login server ${loginServer}`);
  return found.id;
}

/** Turns the admin user on and returns its Basic credential as an Authorization header value. */
export async function enableAdminUser(baseUrl: string, owner: BootstrapOwner, armToken: string, loginServer: string): Promise<string> {
  const id = await registryId(baseUrl, owner, armToken, loginServer);
  await arm('PATCH', `${baseUrl}${id}?api-version=${API_VERSION}`, armToken, { properties: { adminUserEnabled: true } });
  const url = `${baseUrl}${id}/listCredentials?api-version=${API_VERSION}`;
  const credentials = await arm('POST', url, armToken);
  const password = Array.isArray(credentials.passwords) ? (credentials.passwords as { value?: unknown }[])[0]?.value : undefined;
  if (typeof credentials.username !== 'string' || typeof password !== 'string') throw new Error(`POST ${url}: no username and password`);
  return `Basic ${Buffer.from(`${credentials.username}:${password}`).toString('base64')}`;
}
