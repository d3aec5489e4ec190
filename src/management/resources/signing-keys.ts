/**
 * The JWT signing keys of this installation (Wharf's own provider namespace, not ARM's):
 *   GET  /subscriptions/{s}/providers/Wharf.Security/signingKeys          the keys, newest first
 *   POST /subscriptions/{s}/providers/Wharf.Security/signingKeys/rotate   a new key signs from now on
 * Retired keys keep verifying tokens for a grace period longer than any token lives, so a
 * rotation logs nobody out. Owners of the subscription only (it secures every token).
 */
import { armErrors } from '../../kernel/arm-errors.js';
import { ok, type ManagementContext, type ManagementResult } from '../context.js';
import type { RouteSpec } from '../route-table.js';

async function subscriptionScope(context: ManagementContext): Promise<string> {
  const id = context.params.subscriptionId!;
  const known = (await context.services.store.scaffold.subscriptions()).some((s) => s.id.toLowerCase() === id.toLowerCase());
  if (!known) throw armErrors.subscriptionNotFound(id);
  return `/subscriptions/${id}`;
}

function view(key: { kid: string; algorithm: string; createdAt: string; retiredAt: string | null }) {
  return { kid: key.kid, algorithm: key.algorithm, createdAt: key.createdAt, retiredAt: key.retiredAt, active: key.retiredAt === null };
}

async function listKeys(context: ManagementContext): Promise<ManagementResult> {
  const scope = await subscriptionScope(context);
  await context.access.require(scope, 'assignRoles', 'Wharf.Security/signingKeys/read');
  return ok({ value: (await context.services.store.signingKeys.list()).map(view) });
}

async function rotateKeys(context: ManagementContext): Promise<ManagementResult> {
  const scope = await subscriptionScope(context);
  await context.access.require(scope, 'assignRoles', 'Wharf.Security/signingKeys/rotate/action');
  const kid = await context.services.keys.rotate();
  // This node's key ring already signs with the new key; the event is for what holds keys elsewhere.
  context.services.events.publish({ kind: 'key' });
  return ok({ active: kid, value: (await context.services.store.signingKeys.list()).map(view) });
}

export const signingKeyRoutes: RouteSpec[] = [
  { id: 'signingKeys.list', template: '/subscriptions/{subscriptionId}/providers/Wharf.Security/signingKeys', methods: { GET: listKeys } },
  { id: 'signingKeys.rotate', template: '/subscriptions/{subscriptionId}/providers/Wharf.Security/signingKeys/rotate', methods: { POST: rotateKeys } },
];
