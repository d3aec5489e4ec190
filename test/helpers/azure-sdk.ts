/**
 * Azure SDK clients against a test Wharf. NODE_EXTRA_CA_CERTS is read only at process start,
 * so the Wharf CA is given to each SDK client through its HTTP pipeline instead:
 * `tlsOptions: { ca }` (core-rest-pipeline's TLS policy), which @azure/identity's credentials
 * also pass to the MSAL network client. Spread `sdkClientOptions(server)` into the options of
 * any client (ContainerRegistryClient, ContainerRegistryManagementClient, credentials).
 *
 * Managed identities: MSAL keeps the managed-identity source (endpoint and HTTP client) and
 * its token cache in static state, process-wide. Use one Wharf server per test process for
 * ManagedIdentityCredential (restarts on the same port and data dir are fine).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientSecretCredential, ManagedIdentityCredential, type ClientSecretCredentialOptions } from '@azure/identity';
import type { WharfServer } from './wharf-server.js';

/** What a fresh secure Wharf writes to `<data>/private/bootstrap-owner.json`. */
export interface BootstrapOwner {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  resourceGroup: string;
  authorityHost: string | null;
}

export function bootstrapOwnerFile(server: Pick<WharfServer, 'dataDir'>): string {
  return join(server.dataDir, 'private', 'bootstrap-owner.json');
}

export function readBootstrapOwner(server: Pick<WharfServer, 'dataDir'>): BootstrapOwner {
  return JSON.parse(readFileSync(bootstrapOwnerFile(server), 'utf8')) as BootstrapOwner;
}

/** Pipeline options trusting the server's CA (nothing over plain HTTP). */
export function sdkClientOptions(server: Pick<WharfServer, 'caFile'>): { tlsOptions?: { ca: string } } {
  return server.caFile ? { tlsOptions: { ca: readFileSync(server.caFile, 'utf8') } } : {};
}

/** Credential options: Wharf is the authority, no instance discovery (it would go to login.microsoftonline.com). */
export function credentialOptions(server: Pick<WharfServer, 'caFile' | 'baseUrl'>): ClientSecretCredentialOptions {
  return { authorityHost: server.baseUrl, disableInstanceDiscovery: true, ...sdkClientOptions(server) };
}

export function servicePrincipalCredential(
  server: Pick<WharfServer, 'caFile' | 'baseUrl'>,
  login: { tenantId: string; clientId: string; clientSecret: string },
): ClientSecretCredential {
  return new ClientSecretCredential(login.tenantId, login.clientId, login.clientSecret, credentialOptions(server));
}

/** The bootstrap owner's credential (Owner on the installation's subscription). */
export function ownerCredential(server: Pick<WharfServer, 'caFile' | 'baseUrl' | 'dataDir'>): ClientSecretCredential {
  return servicePrincipalCredential(server, readBootstrapOwner(server));
}

/**
 * A ManagedIdentityCredential that asks Wharf's IMDS-compatible endpoint (through
 * AZURE_POD_IDENTITY_AUTHORITY_HOST, which MSAL's IMDS source reads). With no clientId it gets
 * the host's own identity, 'wharf-host'.
 */
export function managedIdentityCredential(
  server: Pick<WharfServer, 'caFile' | 'baseUrl'>,
  identity: { clientId?: string; objectId?: string } = {},
): ManagedIdentityCredential {
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = server.baseUrl;
  const options = { ...sdkClientOptions(server), retryOptions: { maxRetries: 1 } };
  if (identity.clientId) return new ManagedIdentityCredential({ clientId: identity.clientId, ...options });
  if (identity.objectId) return new ManagedIdentityCredential({ objectId: identity.objectId, ...options });
  return new ManagedIdentityCredential(options);
}

/** What an Azure SDK call throws (a RestError). */
export interface RestErrorLike {
  name: string;
  statusCode?: number;
  code?: string;
  message: string;
}

/** The SDK's error of a call that must fail. */
export async function rejection(promise: Promise<unknown>): Promise<RestErrorLike> {
  try {
    await promise;
  } catch (error) {
    return error as RestErrorLike;
  }
  return assert.fail('expected the call to fail');
}

/** Every item of a paged SDK listing. */
export async function all<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterator) items.push(item);
  return items;
}
