/**
 * Credentials about to expire, read where they are kept: a service principal's client secrets
 * in the directory (Graph: the secret is matched by its hint, its first three characters) and a
 * repository token's passwords in ARM. Expired ones are errors elsewhere, when they are refused.
 */
import { ApiError, type ManagementClient } from '../management-client.js';
import type { HealthContext, RegistryTarget } from './context.js';

/** Warn this long before a credential expires. */
const EXPIRY_WARNING_DAYS = 30;

interface PasswordCredential {
  hint?: string;
  endDateTime?: string | null;
}

function daysLeft(endDateTime: string | null | undefined, now: number): number | undefined {
  if (!endDateTime) return undefined;
  const end = Date.parse(endDateTime);
  return Number.isNaN(end) ? undefined : (end - now) / 86_400_000;
}

export async function checkSecretExpiry(context: HealthContext, client: ManagementClient, appId: string, secret: string): Promise<void> {
  let credentials: PasswordCredential[];
  try {
    const application = await client.get<{ passwordCredentials?: PasswordCredential[] }>(`/v1.0/applications(appId='${encodeURIComponent(appId)}')`);
    credentials = application?.passwordCredentials ?? [];
  } catch {
    return; // not allowed to read the directory: nothing to say
  }
  const mine = credentials.filter((c) => c.hint && secret.startsWith(c.hint));
  const ends = mine
    .map((c) => c.endDateTime)
    .filter((e): e is string => !!e)
    .sort();
  const end = ends[ends.length - 1];
  const left = daysLeft(end, Date.now());
  if (left === undefined || left > EXPIRY_WARNING_DAYS || left <= 0) return;
  context.log.warning({
    check: 'credentials',
    code: 'CREDENTIALS_EXPIRING_WARNING',
    message: context.t('secretExpiringWarning', { who: appId, when: end!, days: String(Math.floor(left)) }),
    cause: context.t('expiringCause'),
    fix: context.t('secretExpiringFix', { appId }),
    details: { appId, endDateTime: end },
  });
}

export async function checkTokenExpiry(
  context: HealthContext,
  client: ManagementClient,
  target: RegistryTarget,
  token: string,
): Promise<{ scopeMap?: string; exists?: boolean }> {
  if (!target.id) return {};
  let body: { properties?: { scopeMapId?: string; credentials?: { passwords?: { name?: string; expiry?: string }[] } } } | undefined;
  try {
    body = await client.get(`${target.id}/tokens/${encodeURIComponent(token)}`);
  } catch (error) {
    // Not found is a fact (no such token); any other refusal leaves it unknown.
    return error instanceof ApiError && error.status === 404 ? { exists: false } : {};
  }
  const now = Date.now();
  for (const password of body?.properties?.credentials?.passwords ?? []) {
    const left = daysLeft(password.expiry, now);
    if (left === undefined || left > EXPIRY_WARNING_DAYS || left <= 0) continue;
    context.log.warning({
      check: 'credentials',
      code: 'CREDENTIALS_EXPIRING_WARNING',
      message: context.t('tokenPasswordExpiringWarning', { who: token, password: password.name ?? '', when: password.expiry!, days: String(Math.floor(left)) }),
      cause: context.t('expiringCause'),
      fix: context.t('tokenPasswordExpiredFix', { token, registry: target.name, password: password.name ?? 'password1' }),
      details: { token, password: password.name, expiry: password.expiry },
    });
  }
  const scopeMapId = body?.properties?.scopeMapId;
  return { exists: true, scopeMap: scopeMapId ? scopeMapId.slice(scopeMapId.lastIndexOf('/') + 1) : undefined };
}
