/**
 * Microsoft.ContainerRegistry/registries/tokens (repository-scoped tokens) and the registry's
 * POST generateCredentials. A token names a scope map of its registry and has up to two
 * passwords (`password1`, `password2`), optionally expiring. Password values are shown once,
 * in the generateCredentials answer, and stored only as scrypt hashes. A PUT or PATCH whose
 * `credentials.passwords` lists a subset of the token's passwords deletes the others (what
 * `az acr token credential delete` sends).
 */
import { TOKEN_PASSWORD_NAMES, type TokenChange } from '../../domain/repository-token-service.js';
import type { RepositoryTokenRecord, TokenPasswordName, TokenStatus } from '../../storage/metadata/access-records.js';
import { ArmError, armErrors, armReason, armText } from '../../kernel/arm-errors.js';
import { addressedRegistry, collection, created, ok, type ManagementContext, type ManagementResult, type ManagementServices } from '../context.js';
import {
  isObject,
  optionalArray,
  optionalObject,
  optionalString,
  optionalTime,
  propertiesOf,
  requiredString,
  type JsonObject,
} from '../../kernel/json-body.js';
import { onRegistry, type RouteSpec } from '../route-table.js';
import { REGISTRY_PATH, REGISTRY_TYPE, registryActions } from './lookup.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'store' | 'tokenService'>;
type HandlerContext = ManagementContext<HandlerServices>;

const TOKEN_TYPE = `${REGISTRY_TYPE}/tokens`;
const PASSWORD_NAMES = TOKEN_PASSWORD_NAMES;

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

function notFound(context: HandlerContext, registry: string, name: string): ArmError {
  return armErrors.resourceNotFound(`${REGISTRY_TYPE}/${registry}/tokens`, name, context.params.resourceGroupName!);
}

async function tokenJson(context: HandlerContext, registryId: string, token: RepositoryTokenRecord): Promise<Record<string, unknown>> {
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

/** The password names `credentials.passwords` keeps, or undefined when it says nothing about them. */
function passwordsToKeep(properties: JsonObject): TokenPasswordName[] | undefined {
  const credentials = optionalObject(properties, 'credentials', 'properties.credentials');
  if (!credentials) return undefined;
  const certificates = optionalArray(credentials, 'certificates', 'properties.credentials.certificates');
  if (certificates && certificates.length > 0) {
    throw armErrors.featureNotSupported('properties.credentials.certificates', armReason('whyTokenCertificates'));
  }
  const passwords = optionalArray(credentials, 'passwords', 'properties.credentials.passwords');
  if (passwords === undefined) return undefined;
  return passwords.map((entry, index) => {
    const target = `properties.credentials.passwords[${index}].name`;
    if (!isObject(entry))
      throw armErrors.invalidRequestContent(armReason('passwordEntryNotObject', { path: `properties.credentials.passwords[${index}]` }), target);
    return parsePasswordName(requiredString(entry, 'name', target), target);
  });
}

async function listTokens(context: HandlerContext): Promise<ManagementResult> {
  const { registry, id } = addressedRegistry(context);
  const tokens = await context.services.store.tokens.list(registry.name);
  return collection(await Promise.all(tokens.map((t) => tokenJson(context, id, t))));
}

async function getToken(context: HandlerContext): Promise<ManagementResult> {
  const { registry, id } = addressedRegistry(context);
  const token = await context.services.tokenService.findToken(registry.name, context.params.tokenName!);
  if (!token) throw notFound(context, registry.name, context.params.tokenName!);
  return ok(await tokenJson(context, id, token));
}

/** What a PUT or PATCH asks of a token; the scope map id is required by a PUT. */
async function tokenChangeOf(context: HandlerContext, put: boolean): Promise<TokenChange> {
  const properties = propertiesOf(await context.body());
  const scopeMapId = put
    ? requiredString(properties, 'scopeMapId', 'properties.scopeMapId')
    : optionalString(properties, 'scopeMapId', 'properties.scopeMapId');
  const statusText = optionalString(properties, 'status', 'properties.status');
  const keep = passwordsToKeep(properties);
  return {
    ...(scopeMapId !== undefined ? { scopeMapId } : {}),
    ...(statusText !== undefined ? { status: parseStatus(statusText) } : {}),
    ...(keep !== undefined ? { keepPasswords: keep } : {}),
  };
}

async function putToken(context: HandlerContext): Promise<ManagementResult> {
  const { registry, id } = addressedRegistry(context);
  const { record, created: isNew } = await context.services.tokenService.replaceToken(registry, id, context.params.tokenName!, async () => {
    const change = await tokenChangeOf(context, true);
    return { ...change, scopeMapId: change.scopeMapId! };
  });
  const json = await tokenJson(context, id, record);
  return isNew ? created(json) : ok(json);
}

async function patchToken(context: HandlerContext): Promise<ManagementResult> {
  const { registry, id } = addressedRegistry(context);
  const record = await context.services.tokenService.updateToken(registry, id, context.params.tokenName!, () => tokenChangeOf(context, false));
  if (!record) throw notFound(context, registry.name, context.params.tokenName!);
  return ok(await tokenJson(context, id, record));
}

async function deleteToken(context: HandlerContext): Promise<ManagementResult> {
  const { registry } = addressedRegistry(context);
  const deleted = await context.services.tokenService.deleteToken(registry, context.params.tokenName!);
  return { status: deleted ? 200 : 204 };
}

async function generateCredentials(context: HandlerContext): Promise<ManagementResult> {
  const { registry, id } = addressedRegistry(context);
  const body = await context.body();
  const tokenId = requiredString(body, 'tokenId', 'tokenId');
  const result = await context.services.tokenService.generatePasswords(registry, id, tokenId, () => {
    const nameText = optionalString(body, 'name', 'name');
    const expiry = optionalTime(body, 'expiry', 'expiry');
    return {
      ...(nameText !== undefined ? { names: [parsePasswordName(nameText, 'name')] } : {}),
      ...(expiry !== undefined ? { expiry } : {}),
    };
  });
  if ('missing' in result) throw notFound(context, registry.name, result.missing);
  return ok({ username: result.token.name, passwords: result.passwords });
}

export const tokenRoutes: RouteSpec[] = [
  {
    id: 'tokens.list',
    template: `${REGISTRY_PATH}/tokens`,
    methods: {
      GET: { handler: listTokens, needs: onRegistry('read', registryActions.tokensRead) },
    },
  },
  {
    id: 'tokens.token',
    template: `${REGISTRY_PATH}/tokens/{tokenName}`,
    methods: {
      GET: { handler: getToken, needs: onRegistry('read', registryActions.tokensRead) },
      PUT: { handler: putToken, needs: onRegistry('write', registryActions.tokensWrite) },
      PATCH: { handler: patchToken, needs: onRegistry('write', registryActions.tokensWrite) },
      DELETE: { handler: deleteToken, needs: onRegistry('write', registryActions.tokensDelete) },
    },
  },
  {
    id: 'registries.generateCredentials',
    template: `${REGISTRY_PATH}/generateCredentials`,
    methods: {
      POST: { handler: generateCredentials, needs: onRegistry('write', registryActions.generateCredentials) },
    },
  },
];
