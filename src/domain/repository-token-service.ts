/**
 * Repository-scoped tokens and their scope maps as a domain service: names, quotas per SKU,
 * the system maps that cannot change, actions in ACR's normalized form, which passwords a
 * token keeps, new passwords; each change is one store transaction and publishes a `grant`
 * event (the grant resolver forgets the registry's grants). The ARM handlers
 * (management/resources/scope-maps.ts and tokens.ts) parse, call this, and render.
 */
import { parseScopeMapAction, SYSTEM_SCOPE_MAPS, systemScopeMapRecord } from '../access/scope-maps.js';
import { armErrors, armText, armReason } from '../kernel/arm-errors.js';
import { SKU_LIMITS } from './sku-limits.js';
import type {
  RepositoryTokenIndex,
  RepositoryTokenRecord,
  ScopeMapIndex,
  ScopeMapRecord,
  TokenPasswordName,
  TokenPasswordRecord,
  TokenStatus,
} from '../storage/metadata/access-records.js';
import type { RegistryRecord } from '../storage/metadata/store.js';
import type { ChangeEvents } from './change-events.js';

const SCOPE_MAP_NAME = /^[a-zA-Z0-9_-]{5,50}$/;
const MAX_DESCRIPTION = 256;
const TOKEN_NAME = /^[a-zA-Z0-9-]{5,50}$/;
/** The username `az acr login --expose-token` and docker use with an ACR refresh token. */
const NULL_GUID = '00000000-0000-0000-0000-000000000000';
export const TOKEN_PASSWORD_NAMES: TokenPasswordName[] = ['password1', 'password2'];
/** 39 random bytes: 52 characters, as long as ACR's token passwords. */
export const TOKEN_PASSWORD_BYTES = 39;

interface RepositoryTokenServiceDeps {
  scopeMaps: Pick<ScopeMapIndex, 'list' | 'get' | 'put' | 'delete' | 'usedBy'>;
  tokens: Pick<RepositoryTokenIndex, 'list' | 'get' | 'save' | 'delete' | 'passwords' | 'putPasswords'>;
  events: ChangeEvents;
  /** A new password: its value (shown once) and the hash that is stored. */
  newPassword(): Promise<{ value: string; hash: string }>;
}

/**
 * The request's part of a change, read when the checks that come before it have passed (so a
 * request with several problems is refused for the same one as ever).
 */
type Read<T> = () => T | Promise<T>;

interface FoundScopeMap {
  record: ScopeMapRecord;
  system: boolean;
}

export interface TokenChange {
  /** The scope map's ARM id (a map of this registry). */
  scopeMapId?: string;
  status?: TokenStatus;
  /** The passwords the token keeps (the others are removed); undefined: no change. */
  keepPasswords?: TokenPasswordName[];
}

interface NewPassword {
  name: TokenPasswordName;
  value: string;
  creationTime: string;
  expiry?: string;
}

/** `<registry id>/<collection>/<name>` → name, when the id is a child of this registry. */
function childName(registryId: string, collectionName: string, id: string): string | undefined {
  const prefix = `${registryId}/${collectionName}/`.toLowerCase();
  if (!id.toLowerCase().startsWith(prefix)) return undefined;
  const name = id.slice(prefix.length);
  return name !== '' && !name.includes('/') ? name : undefined;
}

export class RepositoryTokenService {
  constructor(private readonly deps: RepositoryTokenServiceDeps) {}

  // ------------------------------------------------------------------ scope maps

  /** A map of the registry by name (system or user-defined; names compare case-insensitively). */
  async findScopeMap(registry: RegistryRecord, name: string): Promise<FoundScopeMap | undefined> {
    const system = SYSTEM_SCOPE_MAPS.find((m) => m.name.toLowerCase() === name.toLowerCase());
    if (system) return { record: systemScopeMapRecord(registry.name, system, registry.createdAt), system: true };
    const { scopeMaps } = this.deps;
    const exact = await scopeMaps.get(registry.name, name);
    if (exact) return { record: exact, system: false };
    const other = (await scopeMaps.list(registry.name)).find((m) => m.name.toLowerCase() === name.toLowerCase());
    return other && { record: other, system: false };
  }

  /** Creates or replaces a user-defined map (an ARM PUT); `read` gives the request's change once the name passed. */
  async replaceScopeMap(
    registry: RegistryRecord,
    name: string,
    read: Read<{ actions: string[]; description?: string }>,
  ): Promise<{ record: ScopeMapRecord; created: boolean }> {
    if (SYSTEM_SCOPE_MAPS.some((m) => m.name.toLowerCase() === name.toLowerCase())) throw readOnly(name);
    if (!SCOPE_MAP_NAME.test(name) || name.startsWith('_')) {
      throw armErrors.invalidResourceName(armReason('kindScopeMap'), name, armReason('ruleScopeMapName'));
    }
    const change = await read();
    const limits = SKU_LIMITS[registry.sku];
    const actions = normalizeActions(change.actions, limits.actionsPerScopeMap);
    checkDescription(change.description);
    const existing = await this.findScopeMap(registry, name);
    if (!existing && (await this.deps.scopeMaps.list(registry.name)).length >= limits.scopeMaps) {
      throw armErrors.quotaExceeded(armReason('quotaScopeMaps'), limits.scopeMaps, registry.sku);
    }
    const now = new Date().toISOString();
    const record: ScopeMapRecord = {
      registry: registry.name,
      name: existing?.record.name ?? name,
      description: change.description ?? '',
      actions,
      createdAt: existing?.record.createdAt ?? now,
      updatedAt: now,
    };
    await this.deps.scopeMaps.put(record);
    this.grantsChanged(registry);
    return { record, created: !existing };
  }

  /** Changes what the request names (an ARM PATCH); undefined when there is no such map. */
  async updateScopeMap(registry: RegistryRecord, name: string, read: Read<{ actions?: string[]; description?: string }>): Promise<ScopeMapRecord | undefined> {
    const found = await this.findScopeMap(registry, name);
    if (!found) return undefined;
    if (found.system) throw readOnly(found.record.name);
    const change = await read();
    checkDescription(change.description);
    const record: ScopeMapRecord = {
      ...found.record,
      ...(change.actions !== undefined ? { actions: normalizeActions(change.actions, SKU_LIMITS[registry.sku].actionsPerScopeMap) } : {}),
      ...(change.description !== undefined ? { description: change.description } : {}),
      updatedAt: new Date().toISOString(),
    };
    await this.deps.scopeMaps.put(record);
    this.grantsChanged(registry);
    return record;
  }

  /** False when there is no such map; a map a token uses cannot go. */
  async deleteScopeMap(registry: RegistryRecord, name: string): Promise<boolean> {
    const found = await this.findScopeMap(registry, name);
    if (!found) return false;
    if (found.system) throw readOnly(found.record.name);
    const users = await this.deps.scopeMaps.usedBy(registry.name, found.record.name);
    if (users.length > 0) {
      throw armErrors.conflict(
        'ScopeMapInUse',
        armText('scopeMapInUse', { name: found.record.name, tokens: users.map((t) => `'${t}'`).join(', '), count: users.length }),
      );
    }
    await this.deps.scopeMaps.delete(registry.name, found.record.name);
    this.grantsChanged(registry);
    return true;
  }

  // ------------------------------------------------------------------ tokens

  async findToken(registry: string, name: string): Promise<RepositoryTokenRecord | undefined> {
    const { tokens } = this.deps;
    return (await tokens.get(registry, name)) ?? (await tokens.list(registry)).find((t) => t.name.toLowerCase() === name.toLowerCase());
  }

  /** Creates or replaces a token (an ARM PUT): it needs a scope map; a new token has no passwords to keep. */
  async replaceToken(
    registry: RegistryRecord,
    registryId: string,
    name: string,
    read: Read<TokenChange & { scopeMapId: string }>,
  ): Promise<{ record: RepositoryTokenRecord; created: boolean }> {
    if (!TOKEN_NAME.test(name)) throw armErrors.invalidResourceName(armReason('kindToken'), name, armReason('ruleTokenName'));
    if (name.toLowerCase() === registry.name || name === NULL_GUID) {
      throw armErrors.invalidResourceName(armReason('kindToken'), name, armReason(name === NULL_GUID ? 'ruleReservedForRefresh' : 'ruleReservedForAdmin'));
    }
    const change = await read();
    const scopeMap = await this.scopeMapNameOf(registry, registryId, change.scopeMapId);
    const existing = await this.findToken(registry.name, name);
    const limits = SKU_LIMITS[registry.sku];
    if (!existing && (await this.deps.tokens.list(registry.name)).length >= limits.tokens)
      throw armErrors.quotaExceeded(armReason('quotaTokens'), limits.tokens, registry.sku);
    if (!existing && change.keepPasswords && change.keepPasswords.length > 0) {
      throw armErrors.invalidParameter('properties.credentials.passwords', armText('newTokenPasswords'));
    }
    const now = new Date().toISOString();
    const record: RepositoryTokenRecord = {
      registry: registry.name,
      name: existing?.name ?? name,
      scopeMap,
      status: change.status ?? 'enabled',
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    const keep = existing ? await this.checkedKeep(existing, change.keepPasswords) : undefined;
    await this.deps.tokens.save(record, keep);
    this.grantsChanged(registry);
    return { record, created: !existing };
  }

  /** Changes what the request names (an ARM PATCH); undefined when there is no such token. */
  async updateToken(registry: RegistryRecord, registryId: string, name: string, read: Read<TokenChange>): Promise<RepositoryTokenRecord | undefined> {
    const existing = await this.findToken(registry.name, name);
    if (!existing) return undefined;
    const change = await read();
    const record: RepositoryTokenRecord = {
      ...existing,
      ...(change.scopeMapId !== undefined ? { scopeMap: await this.scopeMapNameOf(registry, registryId, change.scopeMapId) } : {}),
      ...(change.status !== undefined ? { status: change.status } : {}),
      updatedAt: new Date().toISOString(),
    };
    await this.deps.tokens.save(record, await this.checkedKeep(existing, change.keepPasswords));
    this.grantsChanged(registry);
    return record;
  }

  async deleteToken(registry: RegistryRecord, name: string): Promise<boolean> {
    const token = await this.findToken(registry.name, name);
    if (!token) return false;
    await this.deps.tokens.delete(registry.name, token.name);
    this.grantsChanged(registry);
    return true;
  }

  /**
   * New passwords for the token a `tokenId` names (both, or the one named), saved together;
   * undefined when the registry has no such token. Their values are shown once, here.
   */
  async generatePasswords(
    registry: RegistryRecord,
    registryId: string,
    tokenId: string,
    read: Read<{ names?: TokenPasswordName[]; expiry?: string }>,
  ): Promise<{ token: RepositoryTokenRecord; passwords: NewPassword[] } | { missing: string }> {
    const tokenName = childName(registryId, 'tokens', tokenId);
    if (tokenName === undefined) {
      throw armErrors.invalidParameter('tokenId', armText('notTokenId', { value: tokenId, registryId }));
    }
    const token = await this.findToken(registry.name, tokenName);
    if (!token) return { missing: tokenName };
    const request = await read();
    const { expiry } = request;
    if (expiry !== undefined && Date.parse(expiry) <= Date.now()) {
      throw armErrors.invalidParameter('expiry', armText('expiryInPast', { expiry }));
    }
    const createdAt = new Date().toISOString();
    const records: TokenPasswordRecord[] = [];
    const passwords: NewPassword[] = [];
    for (const name of request.names ?? TOKEN_PASSWORD_NAMES) {
      const { value, hash } = await this.deps.newPassword();
      records.push({ registry: registry.name, token: token.name, name, hash, createdAt, expiresAt: expiry ?? null });
      passwords.push({ name, value, creationTime: createdAt, ...(expiry ? { expiry } : {}) });
    }
    await this.deps.tokens.putPasswords(records);
    return { token, passwords };
  }

  /** The scope map a `scopeMapId` names: a map of this registry, system or user-defined. */
  private async scopeMapNameOf(registry: RegistryRecord, registryId: string, scopeMapId: string): Promise<string> {
    const name = childName(registryId, 'scopeMaps', scopeMapId);
    if (name === undefined) {
      throw armErrors.invalidParameter('properties.scopeMapId', armText('notScopeMapId', { value: scopeMapId, registryId }));
    }
    const found = await this.findScopeMap(registry, name);
    if (!found) throw armErrors.invalidParameter('properties.scopeMapId', armText('scopeMapMissing', { name, registry: registry.name }));
    return found.record.name;
  }

  /** The passwords to keep, each one the token has; `credentials.passwords` only lists those to keep. */
  private async checkedKeep(token: RepositoryTokenRecord, keep: TokenPasswordName[] | undefined): Promise<TokenPasswordName[] | undefined> {
    if (keep === undefined) return undefined;
    const existing = await this.deps.tokens.passwords(token.registry, token.name);
    for (const name of keep) {
      if (!existing.some((p) => p.name === name)) {
        throw armErrors.invalidParameter('properties.credentials.passwords', armReason('tokenHasNoPassword', { token: token.name, name }));
      }
    }
    return keep;
  }

  private grantsChanged(registry: RegistryRecord): void {
    this.deps.events.publish({ kind: 'grant', registry: registry.name });
  }
}

function readOnly(name: string) {
  return armErrors.conflict('SystemScopeMapReadOnly', armText('systemScopeMapReadOnly', { name }));
}

/** Checks and normalizes the actions; a reason names the first bad one. */
function normalizeActions(actions: string[], limit: number): string[] {
  if (actions.length === 0) throw armErrors.invalidRequestContent(armReason('needsAction', { path: 'properties.actions' }), 'properties.actions');
  if (actions.length > limit) {
    throw armErrors.invalidParameter('properties.actions', armText('tooManyActions', { limit, count: actions.length }));
  }
  const normalized: string[] = [];
  for (const action of actions) {
    const parsed = parseScopeMapAction(action);
    if ('problem' in parsed) {
      throw armErrors.invalidParameter(
        'properties.actions',
        parsed.problem === 'notAction'
          ? armReason('notScopeMapAction', { text: parsed.text })
          : armReason('scopeMapActionRepository', { text: parsed.text, repository: parsed.repository }),
      );
    }
    const text = action.trim().toLowerCase();
    if (!normalized.includes(text)) normalized.push(text);
  }
  return normalized;
}

function checkDescription(text: string | undefined): void {
  if (text !== undefined && text.length > MAX_DESCRIPTION) {
    throw armErrors.invalidParameter('properties.description', armReason('descriptionTooLong', { max: MAX_DESCRIPTION }));
  }
}
