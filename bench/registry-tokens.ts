/**
 * Getting Bearer tokens the way clients do, for the token-mode figures:
 * - Wharf: the first owner's service principal (`<data>/private/bootstrap-owner.json`) gets an
 *   Entra-style token from Wharf's identity plane (client_credentials), exchanges it at
 *   /oauth2/exchange for an ACR refresh token, and redeems that at /oauth2/token (acr.md §1).
 * - Distribution: the bench plays the identity provider and mints the refresh token itself
 *   (token-signer.ts); it is redeemed at the bench token server the same way.
 * Both then hold a refresh token and a token endpoint, and the rest is identical.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { assertLoopback, postForm } from './oci-client.js';

/** What a client needs to ask a token endpoint for access tokens. */
export interface RefreshGrant {
  /** POST target: …/oauth2/token. */
  readonly tokenUrl: string;
  /** The `service` parameter: the registry's login server (Wharf) or Distribution's `auth.token.service`. */
  readonly service: string;
  readonly refreshToken: string;
}

const BOOTSTRAP_WAIT_MS = 10_000;
/** The identity-plane scope whose tokens /oauth2/exchange accepts (an ARM token, as `az acr login` uses). */
const ARM_SCOPE = 'https://management.azure.com/.default';

function stringField(json: Record<string, unknown>, field: string, what: string): string {
  const value = json[field];
  if (typeof value !== 'string' || value === '') throw new Error(`${what}: the answer has no ${field}`);
  return value;
}

/** The `service` of a registry's Bearer challenge (GET /v2/ without credentials). */
async function challengeService(baseUrl: string): Promise<string> {
  const url = assertLoopback(new URL('/v2/', baseUrl));
  const res = await request(url);
  await res.body.dump();
  const challenge = res.headers['www-authenticate'];
  const text = Array.isArray(challenge) ? challenge.join(', ') : (challenge ?? '');
  const service = /service="([^"]+)"/.exec(text)?.[1];
  if (res.statusCode !== 401 || !/^Bearer /i.test(text) || !service) {
    throw new Error(`GET ${url.href} without credentials: want 401 with a Bearer challenge naming a service, got ${res.statusCode} "${text}"`);
  }
  return service;
}

/** The first owner's credential, as Wharf in secure mode writes it on first start. */
export interface BootstrapOwner {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly subscriptionId: string;
}

/** Wharf writes the first owner's credential on first start; wait briefly in case it lags readiness. */
export async function readBootstrapOwner(dataDir: string): Promise<BootstrapOwner> {
  const file = join(dataDir, 'private', 'bootstrap-owner.json');
  const deadline = Date.now() + BOOTSTRAP_WAIT_MS;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`${file} does not exist: Wharf in secure mode should write its first owner's credential there`);
    await sleep(100);
  }
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return {
    tenantId: stringField(json, 'tenantId', file),
    clientId: stringField(json, 'clientId', file),
    clientSecret: stringField(json, 'clientSecret', file),
    subscriptionId: stringField(json, 'subscriptionId', file),
  };
}

/** An ARM access token for the owner from Wharf's identity plane (client_credentials, like ClientSecretCredential). */
export async function ownerArmToken(baseUrl: string, owner: BootstrapOwner): Promise<string> {
  const url = `${baseUrl}/${encodeURIComponent(owner.tenantId)}/oauth2/v2.0/token`;
  const answer = await postForm(url, {
    grant_type: 'client_credentials',
    client_id: owner.clientId,
    client_secret: owner.clientSecret,
    scope: ARM_SCOPE,
  });
  return stringField(answer, 'access_token', `POST ${url}`);
}

/** Wharf: the owner's ARM token → /oauth2/exchange → an ACR refresh token for the registry behind `baseUrl`. */
export async function wharfRefreshGrant(baseUrl: string, owner: BootstrapOwner, armToken: string): Promise<RefreshGrant> {
  const service = await challengeService(baseUrl);
  const url = `${baseUrl}/oauth2/exchange`;
  const exchanged = await postForm(url, { grant_type: 'access_token', service, tenant: owner.tenantId, access_token: armToken });
  return { tokenUrl: `${baseUrl}/oauth2/token`, service, refreshToken: stringField(exchanged, 'refresh_token', `POST ${url}`) };
}

/** The form a client POSTs to redeem a refresh token for `scope`. */
export function refreshForm(grant: RefreshGrant, scope: string): Record<string, string> {
  return { grant_type: 'refresh_token', service: grant.service, scope, refresh_token: grant.refreshToken };
}

/** An access token for `scope` (e.g. repository:bench/image:pull), as an Authorization header value. */
export async function bearerFor(grant: RefreshGrant, scope: string): Promise<string> {
  const answer = await postForm(grant.tokenUrl, refreshForm(grant, scope));
  return `Bearer ${stringField(answer, 'access_token', `POST ${grant.tokenUrl} (${scope})`)}`;
}
