/**
 * Registry properties Wharf shows with ACR's default values and does not let a client change:
 * zone redundancy, policies, customer-managed encryption and managed identities of the
 * registry (the network properties are real: registry-network.ts). A PUT or PATCH may repeat
 * a default (clients send back what they read); any other value is refused with
 * FeatureNotSupported naming the field, never silently dropped.
 */
import type { RegistryRecord } from '../storage/metadata/store.js';
import { armErrors, armReason } from '../kernel/arm-errors.js';
import { isObject, type JsonObject } from '../kernel/json-body.js';

/** Fixed properties shown beside the network ones. */
export function fixedPropertiesOf(_registry: RegistryRecord | undefined): JsonObject {
  return { zoneRedundancy: 'Disabled' };
}

export function policiesOf(registry: RegistryRecord | undefined): JsonObject {
  return {
    quarantinePolicy: { status: 'disabled' },
    trustPolicy: { type: 'Notary', status: 'disabled' },
    retentionPolicy: { days: 7, lastUpdatedTime: registry?.createdAt ?? new Date().toISOString(), status: 'disabled' },
    exportPolicy: { status: 'enabled' },
    // az acr login reads this: 'enabled' means ARM-audience Entra tokens are accepted by /oauth2/exchange.
    azureADAuthenticationAsArmPolicy: { status: 'enabled' },
  };
}

export function encryptionOf(_registry: RegistryRecord | undefined): JsonObject {
  return { status: 'disabled' };
}

/** Read-only parts of a default that a client may echo back with any value. */
const READ_ONLY_KEYS = new Set(['lastUpdatedTime']);

/**
 * Whether `value` says nothing other than `defaults`: every key it has must equal the
 * default's (strings compared case-insensitively, as ARM enums are); arrays must be equal.
 */
function matchesDefault(value: unknown, defaults: unknown): boolean {
  if (typeof defaults === 'string' && typeof value === 'string') return value.toLowerCase() === defaults.toLowerCase();
  if (Array.isArray(defaults)) {
    return Array.isArray(value) && value.length === defaults.length && value.every((v, i) => matchesDefault(v, defaults[i]));
  }
  if (isObject(defaults)) {
    if (!isObject(value)) return false;
    return Object.entries(value).every(([key, v]) => {
      if (READ_ONLY_KEYS.has(key) || v === null) return true;
      // Empty lists say "none", which is the default.
      if (!(key in defaults)) return Array.isArray(v) && v.length === 0;
      return matchesDefault(v, defaults[key]);
    });
  }
  return value === defaults;
}

const WHY = {
  zoneRedundancy: 'whyZoneRedundancy',
  policies: 'whyPolicies',
  encryption: 'whyEncryption',
} as const;

/**
 * Refuses any non-default value of a fixed property in a PUT's or PATCH's `properties`
 * (`registry` is undefined when a PUT creates it).
 */
export function rejectFixedPropertyChanges(registry: RegistryRecord | undefined, properties: JsonObject): void {
  const defaults: JsonObject = { ...fixedPropertiesOf(registry), policies: policiesOf(registry), encryption: encryptionOf(registry) };
  for (const [field, why] of Object.entries(WHY)) {
    const value = properties[field];
    if (value === undefined || value === null) continue;
    if (!matchesDefault(value, defaults[field])) throw armErrors.featureNotSupported(`properties.${field}`, armReason(why));
  }
}

/** The registry's own managed identity (`identity` beside `properties`): only 'None'. */
export function rejectRegistryIdentity(body: JsonObject): void {
  const identity = body.identity;
  if (identity === undefined || identity === null) return;
  if (isObject(identity) && (identity.type === undefined || String(identity.type).toLowerCase() === 'none')) return;
  throw armErrors.featureNotSupported('identity', armReason('whyRegistryIdentity'));
}
