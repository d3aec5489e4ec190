/**
 * The few ARM management-plane calls the bench makes against Wharf (acr.md §7), as `az` would:
 * JSON in and out with the owner's ARM token, on loopback only. Shared by the admin-user setup
 * (wharf-admin.ts) and the network-rules phase (network-rules.ts).
 */
import { request } from 'undici';
import { assertLoopback } from './oci-client.js';
import type { BootstrapOwner } from './registry-tokens.js';

export const REGISTRY_API_VERSION = '2023-07-01';

type ArmMethod = 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';

/** One ARM call; anything but 2xx throws with the status and the start of the ARM error body. */
export async function arm(method: ArmMethod, url: string, armToken: string, body?: unknown): Promise<Record<string, unknown>> {
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
  if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`${method} ${url}: HTTP ${res.statusCode} ${answer.slice(0, 500)}`);
  const json = answer === '' ? {} : (JSON.parse(answer) as unknown);
  if (json === null || typeof json !== 'object') throw new Error(`${method} ${url}: the answer is not a JSON object`);
  return json as Record<string, unknown>;
}

/** The ARM resource of the registry whose login server is `loginServer` (as listed: id, location, properties…). */
export async function findRegistry(
  baseUrl: string,
  owner: BootstrapOwner,
  armToken: string,
  loginServer: string,
): Promise<Record<string, unknown> & { id: string }> {
  const url = `${baseUrl}/subscriptions/${owner.subscriptionId}/providers/Microsoft.ContainerRegistry/registries?api-version=${REGISTRY_API_VERSION}`;
  const list = await arm('GET', url, armToken);
  const registries = Array.isArray(list.value) ? (list.value as { id?: unknown; properties?: { loginServer?: unknown } }[]) : [];
  const found = registries.find((r) => typeof r.properties?.loginServer === 'string' && r.properties.loginServer.toLowerCase() === loginServer.toLowerCase());
  if (typeof found?.id !== 'string') throw new Error(`GET ${url}: no registry with login server ${loginServer}`);
  return found as Record<string, unknown> & { id: string };
}
