/**
 * Diagnose, stage 2: who the identity named by the user (or recorded in the audit log) is, in
 * the order the credential checker tries user names (src/auth/credentials.ts: admin user,
 * repository-scoped token, Entra identity), and whether it can still sign in: the checker's own
 * `stillValid` (admin user enabled, token enabled, identity exists) plus the expiry of the
 * token's passwords or the service principal's client secrets. No password is known here, so a
 * wrong one cannot be replayed: the stage says what the identity's state allows.
 */
import { englishReason } from '../../access/decision.js';
import { NULL_GUID } from '../../auth/acr-tokens.js';
import { ANONYMOUS, describePrincipal, type Principal } from '../../access/principal.js';
import type { IdentityRecord, RepositoryTokenRecord } from '../../storage/metadata/access-records.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import type { DiagnoseStageResult } from './diagnose-types.js';
import type { ManagementServices } from '../context.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'dataPlane' | 'store'>;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AuthenticationReplay {
  stage: DiagnoseStageResult;
  /** Set when the identity can sign in: what authorization is replayed for. */
  principal?: Principal;
  identity?: IdentityRecord;
  token?: RepositoryTokenRecord;
}

function allowed(rule: string, reason: string, principal: Principal, extra: Omit<AuthenticationReplay, 'stage' | 'principal'> = {}): AuthenticationReplay {
  return {
    stage: { stage: 'authentication', result: 'allowed', rule, reason, details: { principalKind: principal.kind, principal: principal.name } },
    principal,
    ...extra,
  };
}

function failed(rule: string, reason: string, fix: DiagnoseStageResult['fix']): AuthenticationReplay {
  return { stage: { stage: 'authentication', result: 'denied', code: 'AUTHENTICATION_FAILED', rule, reason, ...(fix ? { fix } : {}) } };
}

/**
 * The identity named `name` in the registry's own tenant (the tenant of its subscription), and
 * only there: a caller who may read one registry must not learn through diagnose which
 * identities exist in other tenants.
 */
async function findIdentity(services: HandlerServices, registry: RegistryRecord, name: string): Promise<IdentityRecord | undefined> {
  const subscription = (await services.store.scaffold.subscriptions()).find((s) => s.id.toLowerCase() === registry.subscriptionId.toLowerCase());
  if (!subscription) return undefined;
  const identities = services.store.identities;
  const found = GUID.test(name)
    ? ((await identities.get(name.toLowerCase())) ??
      (await identities.get(name)) ??
      (await identities.getByAppId(name)) ??
      (await identities.getByAppId(name.toLowerCase())))
    : await identities.getByUserName(name);
  return found && found.tenantId === subscription.tenantId ? found : undefined;
}

async function tokenState(services: HandlerServices, registry: RegistryRecord, token: RepositoryTokenRecord): Promise<AuthenticationReplay> {
  const principal: Principal = { kind: 'repositoryToken', id: token.name, name: token.name, tenantId: null };
  const still = await services.dataPlane.credentials.stillValid(principal, registry);
  if (still !== true) return failed('token:disabled', englishReason(still), { kind: 'enableToken', params: { registry: registry.name, token: token.name } });
  const now = Date.now();
  const passwords = await services.store.tokens.passwords(registry.name, token.name);
  const live = passwords.filter((p) => !p.expiresAt || Date.parse(p.expiresAt) > now);
  if (live.length === 0) {
    const expired = passwords.map((p) => `${p.name} expired at ${p.expiresAt}`).join(', ');
    const reason =
      passwords.length === 0 ? `the token '${token.name}' has no password` : `every password of the token '${token.name}' has expired (${expired})`;
    const password = passwords[0]?.name ?? 'password1';
    return failed(passwords.length === 0 ? 'token:noPassword' : 'token:passwordExpired', reason, {
      kind: 'renewTokenPassword',
      params: { registry: registry.name, token: token.name, password },
    });
  }
  return allowed('token:enabled', `the token '${token.name}' is enabled and has a valid password (${live.map((p) => p.name).join(', ')})`, principal, {
    token,
  });
}

async function entraState(services: HandlerServices, registry: RegistryRecord, identity: IdentityRecord): Promise<AuthenticationReplay> {
  const principal: Principal = {
    kind: identity.type,
    id: identity.objectId,
    name: identity.appId ?? identity.userName ?? identity.displayName,
    tenantId: identity.tenantId,
  };
  const still = await services.dataPlane.credentials.stillValid(principal, registry);
  if (still !== true)
    return failed('identity:deleted', englishReason(still), { kind: 'checkIdentity', params: { registry: registry.name, identity: principal.name } });
  if (identity.type === 'ServicePrincipal') {
    const now = Date.now();
    const secrets = await services.store.identities.secrets(identity.objectId);
    const live = secrets.filter((s) => Date.parse(s.endAt) > now && Date.parse(s.startAt) <= now);
    if (live.length === 0) {
      const reason =
        secrets.length === 0
          ? `${describePrincipal(principal)} has no client secret`
          : `every client secret of ${describePrincipal(principal)} has expired (${secrets.map((s) => `${s.hint}… ended ${s.endAt}`).join(', ')})`;
      return failed(secrets.length === 0 ? 'servicePrincipal:noSecret' : 'servicePrincipal:secretExpired', reason, {
        kind: 'resetSecret',
        params: { appId: identity.appId ?? identity.objectId },
      });
    }
    return allowed('servicePrincipal:secretValid', `${describePrincipal(principal)} exists and has a valid client secret`, principal, { identity });
  }
  const rule = identity.type === 'ManagedIdentity' ? 'managedIdentity:exists' : 'user:exists';
  return allowed(rule, `${describePrincipal(principal)} exists in tenant ${identity.tenantId}`, principal, { identity });
}

/**
 * `name` null: no credentials (anonymous). `unrecorded`: the audit event was written before
 * authentication ran (a network refusal), so who called is unknown.
 */
export async function replayAuthentication(
  services: HandlerServices,
  registry: RegistryRecord,
  name: string | null,
  unrecorded: boolean,
): Promise<AuthenticationReplay> {
  if (services.dataPlane.openAccess) {
    const open: Principal = { kind: 'anonymous', id: 'anonymous', name: 'anonymous (open access)', tenantId: null };
    return allowed('openAccess', 'open access (auth.openAccess is on: every request is allowed)', open);
  }
  if (name === null || name === '' || name.toLowerCase() === 'anonymous') {
    if (unrecorded) {
      return {
        stage: {
          stage: 'authentication',
          result: 'notEvaluated',
          rule: 'identity:unrecorded',
          reason: 'the audit record names no identity: the request was refused before authentication',
        },
      };
    }
    return allowed('anonymous', 'no credentials: the request is anonymous', ANONYMOUS);
  }
  if (name.toLowerCase() === registry.name.toLowerCase()) {
    const principal: Principal = { kind: 'adminUser', id: registry.name, name: registry.name, tenantId: null };
    const still = await services.dataPlane.credentials.stillValid(principal, registry);
    if (still !== true) return failed('adminUser:disabled', englishReason(still), { kind: 'enableAdminUser', params: { registry: registry.name } });
    return allowed('adminUser:enabled', `the admin user of registry '${registry.name}' is enabled`, principal);
  }
  const token = await services.store.tokens.get(registry.name, name);
  if (token) return tokenState(services, registry, token);
  const identity = await findIdentity(services, registry, name);
  if (identity) return entraState(services, registry, identity);
  const reason =
    name === NULL_GUID
      ? `the user name ${NULL_GUID} goes with an ACR refresh token, which is not kept: sign in again (wharf login, az acr login) and diagnose by the identity the token was issued to`
      : `no admin user, token, service principal, managed identity or user named '${name}' exists for registry '${registry.name}'`;
  return failed('identity:unknown', reason, { kind: 'checkIdentity', params: { registry: registry.name, identity: name } });
}
