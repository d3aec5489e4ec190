/**
 * The JWT signing keys of this installation (Wharf's own provider namespace, not ARM's):
 *   GET  /subscriptions/{s}/providers/Wharf.Security/signingKeys          the keys, newest first
 *   POST /subscriptions/{s}/providers/Wharf.Security/signingKeys/rotate   a new key signs from now on
 * Retired keys keep verifying tokens for a grace period longer than any token lives, so a
 * rotation logs nobody out. Owners of the subscription only (it secures every token).
 */
import { ok, type ManagementContext, type ManagementResult, type ManagementServices } from '../context.js';
import { onSubscription, type RouteSpec } from '../route-table.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'events' | 'keys' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

function view(key: { kid: string; algorithm: string; createdAt: string; retiredAt: string | null }) {
  return { kid: key.kid, algorithm: key.algorithm, createdAt: key.createdAt, retiredAt: key.retiredAt, active: key.retiredAt === null };
}

async function listKeys(context: HandlerContext): Promise<ManagementResult> {
  return ok({ value: (await context.services.store.signingKeys.list()).map(view) });
}

async function rotateKeys(context: HandlerContext): Promise<ManagementResult> {
  const kid = await context.services.keys.rotate();
  // This node's key ring already signs with the new key; the event is for what holds keys elsewhere.
  context.services.events.publish({ kind: 'key' });
  return ok({ active: kid, value: (await context.services.store.signingKeys.list()).map(view) });
}

/** The subscription need only exist (whatever the caller's tenant): the right to assign roles there decides. */
const ownerOfSubscription = (action: string) => onSubscription('assignRoles', action, { anyTenant: true });

export const signingKeyRoutes: RouteSpec[] = [
  {
    id: 'signingKeys.list',
    template: '/subscriptions/{subscriptionId}/providers/Wharf.Security/signingKeys',
    methods: { GET: { handler: listKeys, needs: ownerOfSubscription('Wharf.Security/signingKeys/read') } },
  },
  {
    id: 'signingKeys.rotate',
    template: '/subscriptions/{subscriptionId}/providers/Wharf.Security/signingKeys/rotate',
    methods: { POST: { handler: rotateKeys, needs: ownerOfSubscription('Wharf.Security/signingKeys/rotate/action') } },
  },
];
