/**
 * Microsoft.ContainerRegistry/registries/tokens (repository-scoped tokens) and the registry's
 * POST generateCredentials. A token names a scope map of its registry and has up to two
 * passwords (`password1`, `password2`), optionally expiring. Password values are shown once,
 * in the generateCredentials answer, and stored only as scrypt hashes. A PUT or PATCH whose
 * `credentials.passwords` lists a subset of the token's passwords deletes the others (what
 * `az acr token credential delete` sends).
 */
import { generateSecret, hashSecret } from '../../server/secrets.js';
import type {
  RepositoryTokenRecord,
  TokenPasswordName,
  TokenPasswordRecord,
  TokenStatus,
} from '../../storage/metadata/access-records.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import { ArmError, armErrors, armText } from '../arm-errors.js';
import { collection, created, ok, type ManagementContext, type ManagementResult } from '../context.js';
import {
  isObject,
  optionalArray,
  optionalObject,
  optionalString,
  optionalTime,
  propertiesOf,
  requiredString,
  type JsonObject,
} from '../json-body.js';
import type { RouteSpec } from '../route-table.js';
import { REGISTRY_PATH, REGISTRY_TYPE, registryActions, requireRegistry } from './lookup.js';
import { findScopeMap } from './scope-maps.js';
import { SKU_LIMITS } from './sku-limits.js';

export const TOKEN_TYPE = `${REGISTRY_TYPE}/tokens`;
const TOKEN_NAME = /^[a-zA-Z0-9-]{5,50}$/;
/** The username `az acr login --expose-token` and docker use with an ACR refresh token. */
const NULL_GUID = '00000000-0000-0000-0000-000000000000';
const PASSWORD_NAMES: TokenPasswordName[] = ['password1', 'password2'];
/** 39 random bytes: 52 characters, as long as ACR's token passwords. */
const TOKEN_PASSWORD_BYTES = 39;

function parsePasswordName(value: string, target: string): TokenPasswordName {
  const name = PASSWORD_NAMES.find((n) => n === value.toLowerCase());
  if (!name) throw armErrors.invalidParameter(target, armText('tokenPasswordName', { value }));
  return name;
}

function parseStatus(value: string): TokenStatus {
  const status = value.toLowerCase();
  if (status !== 'enabled' && status !== 'disabled') {
    throw armErrors.invalidParameter('properties.status', armText('tokenStatus', { value }));
  }
  return status;
}

async function findToken(context: ManagementContext, registry: string, name: string): Promise<RepositoryTokenRecord | undefined> {
  const { tokens } = context.services.store;
  return (await tokens.get(registry, name)) ?? (await tokens.list(registry)).find((t) => t.name.toLowerCase() === name.toLowerCase());
}

function notFound(context: ManagementContext, registry: string, name: string): ArmError {
  return armErrors.resourceNotFound(`${REGISTRY_TYPE}/${registry}/tokens`, name, context.params.resourceGroupName!);
}

/** `<registry id>/<collection>/<name>` → name, when the id is a child of this registry. */
function childName(registryId: string, collectionName: string, id: string): string | undefined {
  const prefix = `${registryId}/${collectionName}/`.toLowerCase();
  if (!id.toLowerCase().startsWith(prefix)) return undefined;
  const name = id.slice(prefix.length);
  return name !== '' && !name.includes('/') ? name : undefined;
}

export async function tokenJson(context: ManagementContext, registryId: string, token: RepositoryTokenRecord): Promise<Record<string, unknown>> {
  const passwords = (await context.services.store.tokens.passwords(token.registry, token.name)).sort((a, b) => a.name.localeCompare(b.name));
  return {
    id: `${registryId}/tokens/${token.name}`,
    name: token.name,
    type: TOKEN_TYPE,
    systemData: { createdAt: token.createdAt, lastModifiedAt: token.updatedAt },
    properties: {
      creationDate: token.createdAt,
      provisioningState: 'Succeeded',
      scopeMapId: `${registryId}/scopeMaps/${token.scopeMap}`,
      status: token.status,
      // az reads credentials.username/passwords and fails on a missing object.
      credentials: {
        certificates: [],
        passwords: passwords.map((p) => ({ name: p.name, creationTime: p.createdAt, ...(p.expiresAt ? { expiry: p.expiresAt } : {}) })),
      },
    },
  };
}

/** The scope map a `scopeMapId` names: a map of this registry, system or user-defined. */
async function scopeMapNameOf(context: ManagementContext, registry: RegistryRecord, registryId: string, scopeMapId: string): Promise<string> {
  const name = childName(registryId, 'scopeMaps', scopeMapId);
  if (name === undefined) {
    throw armErrors.invalidParameter(
      'properties.scopeMapId',
      armText('notScopeMapId', { value: scopeMapId, registryId }),
    );
  }
  const found = await findScopeMap(context, registry, name);
  if (!found) throw armErrors.invalidParameter('properties.scopeMapId', armText('scopeMapMissing', { name, registry: registry.name }));
  return found.record.name;
}

/** The password names `credentials.passwords` keeps, or undefined when it says nothing about them. */
function passwordsToKeep(properties: JsonObject): TokenPasswordName[] | undefined {
  const credentials = optionalObject(properties, 'credentials', 'properties.credentials');
  if (!credentials) return undefined;
  const certificates = optionalArray(credentials, 'certificates', 'properties.credentials.certificates');
  if (certificates && certificates.length > 0) {
    throw armErrors.featureNotSupported('properties.credentials.certificates', 'token certificates are not supported by this Wharf version; use passwords');
  }
  const passwords = optionalArray(credentials, 'passwords', 'properties.credentials.passwords');
  if (passwords === undefined) return undefined;
  return passwords.map((entry, index) => {
    const target = `properties.credentials.passwords[${index}].name`;
    if (!isObject(entry)) throw armErrors.invalidRequestContent(`'properties.credentials.passwords[${index}]' must be an object with a name`, target);
    return parsePasswordName(requiredString(entry, 'name', target), target);
  });
}

async function keepOnlyPasswords(context: ManagementContext, token: RepositoryTokenRecord, keep: TokenPasswordName[]): Promise<void> {
  const { tokens } = context.services.store;
  const existing = await tokens.passwords(token.registry, token.name);
  for (const name of keep) {
    if (!existing.some((p) => p.name === name)) {
      throw armErrors.invalidParameter(
        'properties.credentials.passwords',
        `The token '${token.name}' has no ${name}: create passwords with POST generateCredentials; credentials.passwords only lists those to keep.`,
      );
    }
  }
  for (const password of existing) {
    if (!keep.includes(password.name)) await tokens.removePassword(token.registry, token.name, password.name);
  }
}

async function listTokens(context: ManagementContext): Promise<ManagementResult> {
  const { registry, id } = await requireRegistry(context, 'read', registryActions.tokensRead);
  const tokens = await context.services.store.tokens.list(registry.name);
  return collection(await Promise.all(tokens.map((t) => tokenJson(context, id, t))));
}

async function getToken(context: ManagementContext): Promise<ManagementResult> {
  const { registry, id } = await requireRegistry(context, 'read', registryActions.tokensRead);
  const token = await findToken(context, registry.name, context.params.tokenName!);
  if (!token) throw notFound(context, registry.name, context.params.tokenName!);
  return ok(await tokenJson(context, id, token));
}

async function putToken(context: ManagementContext): Promise<ManagementResult> {
  const { registry, id } = await requireRegistry(context, 'write', registryActions.tokensWrite);
  const name = context.params.tokenName!;
  if (!TOKEN_NAME.test(name)) throw armErrors.invalidResourceName('token', name, "a token name is 5 to 50 letters, digits or '-'");
  if (name.toLowerCase() === registry.name || name === NULL_GUID) {
    throw armErrors.invalidResourceName('token', name, `that user name is reserved (${name === NULL_GUID ? 'for ACR refresh tokens' : "for the registry's admin user"})`);
  }
  const properties = propertiesOf(await context.body());
  const scopeMap = await scopeMapNameOf(context, registry, id, requiredString(properties, 'scopeMapId', 'properties.scopeMapId'));
  const statusText = optionalString(properties, 'status', 'properties.status');
  const keep = passwordsToKeep(properties);
  const { tokens } = context.services.store;
  const existing = await findToken(context, registry.name, name);
  const limits = SKU_LIMITS[registry.sku];
  if (!existing && (await tokens.list(registry.name)).length >= limits.tokens) throw armErrors.quotaExceeded('tokens', limits.tokens, registry.sku);
  if (!existing && keep && keep.length > 0) {
    throw armErrors.invalidParameter(
      'properties.credentials.passwords',
      armText('newTokenPasswords'),
    );
  }
  const now = new Date().toISOString();
  const record: RepositoryTokenRecord = {
    registry: registry.name,
    name: existing?.name ?? name,
    scopeMap,
    status: statusText === undefined ? 'enabled' : parseStatus(statusText),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  if (existing && keep) await keepOnlyPasswords(context, existing, keep);
  await tokens.put(record);
  const json = await tokenJson(context, id, record);
  return existing ? ok(json) : created(json);
}

async function patchToken(context: ManagementContext): Promise<ManagementResult> {
  const { registry, id } = await requireRegistry(context, 'write', registryActions.tokensWrite);
  const existing = await findToken(context, registry.name, context.params.tokenName!);
  if (!existing) throw notFound(context, registry.name, context.params.tokenName!);
  const properties = propertiesOf(await context.body());
  const scopeMapId = optionalString(properties, 'scopeMapId', 'properties.scopeMapId');
  const statusText = optionalString(properties, 'status', 'properties.status');
  const keep = passwordsToKeep(properties);
  const record: RepositoryTokenRecord = {
    ...existing,
    ...(scopeMapId !== undefined ? { scopeMap: await scopeMapNameOf(context, registry, id, scopeMapId) } : {}),
    ...(statusText !== undefined ? { status: parseStatus(statusText) } : {}),
    updatedAt: new Date().toISOString(),
  };
  if (keep) await keepOnlyPasswords(context, existing, keep);
  await context.services.store.tokens.put(record);
  context.services.events.publish({ kind: 'grant', registry: registry.name });
  return ok(await tokenJson(context, id, record));
}

async function deleteToken(context: ManagementContext): Promise<ManagementResult> {
  const { registry } = await requireRegistry(context, 'write', registryActions.tokensDelete);
  const token = await findToken(context, registry.name, context.params.tokenName!);
  if (!token) return { status: 204 };
  await context.services.store.tokens.delete(registry.name, token.name);
  context.services.events.publish({ kind: 'grant', registry: registry.name });
  return { status: 200 };
}

async function generateCredentials(context: ManagementContext): Promise<ManagementResult> {
  const { registry, id } = await requireRegistry(context, 'write', registryActions.generateCredentials);
  const body = await context.body();
  const tokenId = requiredString(body, 'tokenId', 'tokenId');
  const tokenName = childName(id, 'tokens', tokenId);
  if (tokenName === undefined) {
    throw armErrors.invalidParameter('tokenId', armText('notTokenId', { value: tokenId, registryId: id }));
  }
  const token = await findToken(context, registry.name, tokenName);
  if (!token) throw notFound(context, registry.name, tokenName);
  const nameText = optionalString(body, 'name', 'name');
  const names = nameText === undefined ? PASSWORD_NAMES : [parsePasswordName(nameText, 'name')];
  const expiry = optionalTime(body, 'expiry', 'expiry');
  if (expiry !== undefined && Date.parse(expiry) <= Date.now()) {
    throw armErrors.invalidParameter('expiry', armText('expiryInPast', { expiry }));
  }
  const createdAt = new Date().toISOString();
  const passwords: { name: TokenPasswordName; value: string; creationTime: string; expiry?: string }[] = [];
  for (const name of names) {
    const value = generateSecret(TOKEN_PASSWORD_BYTES);
    const record: TokenPasswordRecord = {
      registry: registry.name,
      token: token.name,
      name,
      hash: await hashSecret(value),
      createdAt,
      expiresAt: expiry ?? null,
    };
    await context.services.store.tokens.putPassword(record);
    passwords.push({ name, value, creationTime: createdAt, ...(expiry ? { expiry } : {}) });
  }
  return ok({ username: token.name, passwords });
}

export const tokenRoutes: RouteSpec[] = [
  { id: 'tokens.list', template: `${REGISTRY_PATH}/tokens`, methods: { GET: listTokens } },
  {
    id: 'tokens.token',
    template: `${REGISTRY_PATH}/tokens/{tokenName}`,
    methods: { GET: getToken, PUT: putToken, PATCH: patchToken, DELETE: deleteToken },
  },
  { id: 'registries.generateCredentials', template: `${REGISTRY_PATH}/generateCredentials`, methods: { POST: generateCredentials } },
];
