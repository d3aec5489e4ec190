/**
 * `POST <registry id>/networkRuleWhatIf?days=N`: what a PATCH body's network settings would
 * do, before saving them. Every distinct client address in the registry's login events of the
 * last N days (successful or not) is evaluated as public traffic with the gate's own
 * evaluation; the answer lists those it would shut out, with the identities seen from each,
 * and the caller's own address. Nothing is saved.
 */
import { armErrors, armReason } from '../../kernel/arm-errors.js';
import { addressedRegistry, type ManagementContext, type ManagementResult, ok, type ManagementServices } from '../context.js';
import { propertiesOf } from '../../kernel/json-body.js';
import { onRegistry, type RouteSpec } from '../route-table.js';
import { REGISTRY_PATH, registryActions } from '../resources/lookup.js';
import { callerChecks, loadNetworkState, requestedSettings } from '../resources/registry-network.js';
import { checkSku, validateSettings, withoutStamp } from '../../domain/registry-rules.js';
import { renderReason } from '../../access/decision.js';
import { requestLanguage } from '../../kernel/request-language.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'arm' | 'network' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

const MAX_DAYS = 90;
const MAX_EVENTS = 10_000;

function daysOf(context: HandlerContext): number {
  const text = context.query.get('days');
  if (text === null || text === '') return 7;
  if (!/^\d{1,3}$/.test(text) || Number(text) < 1 || Number(text) > MAX_DAYS) {
    throw armErrors.invalidParameter('days', armReason('notDays', { text, max: MAX_DAYS }));
  }
  return Number(text);
}

interface AddressSeen {
  identities: Set<string>;
  lastSeen: string;
  events: number;
}

async function whatIf(context: HandlerContext): Promise<ManagementResult> {
  const { services } = context;
  const { registry } = addressedRegistry(context);
  const days = daysOf(context);
  const body = await context.body();
  const state = await loadNetworkState(services, registry);
  let settings = requestedSettings(propertiesOf(body), withoutStamp(state.settings));
  checkSku(registry.name, registry.sku, registry.sku === 'Premium', settings, state);
  settings = await validateSettings(
    { ...callerChecks(context, body).validation, savedSubnetRules: state.settings.virtualNetworkRules },
    registry.name,
    registry.sku,
    settings,
  );

  const subnets = await services.store.network.allSubnets();
  const evaluate = (clientIp: string) =>
    services.network.gate.evaluate({ registry: registry.name, settings: { ...settings, updatedAt: '' }, subnets, clientIp, arrival: { kind: 'public' } });

  const from = new Date(Date.now() - days * 86_400_000).toISOString();
  const events = await services.store.audit.logins({ registry: registry.name, from, limit: MAX_EVENTS });
  const seen = new Map<string, AddressSeen>();
  for (const event of events) {
    if (!event.callerIpAddress) continue;
    const entry = seen.get(event.callerIpAddress) ?? { identities: new Set<string>(), lastSeen: event.timeGenerated, events: 0 };
    if (event.identity) entry.identities.add(event.identity);
    if (event.timeGenerated > entry.lastSeen) entry.lastSeen = event.timeGenerated;
    entry.events++;
    seen.set(event.callerIpAddress, entry);
  }
  // The reasons are read by people (`wharf network-rule what-if`): in the caller's language.
  const language = requestLanguage(context.request);
  const shutOut: Record<string, unknown>[] = [];
  let unaffected = 0;
  for (const [address, entry] of seen) {
    const decision = evaluate(address);
    if (decision.allowed) {
      unaffected++;
      continue;
    }
    shutOut.push({
      callerIpAddress: address,
      identities: [...entry.identities].sort(),
      lastSeen: entry.lastSeen,
      events: entry.events,
      rule: decision.rule,
      reason: renderReason(decision.because, language),
    });
  }
  shutOut.sort((a, b) => String(b.lastSeen).localeCompare(String(a.lastSeen)));
  const caller = evaluate(context.request.ip);
  return ok({
    callerIpAddress: context.request.ip,
    callerDecision: { allowed: caller.allowed, rule: caller.rule, reason: renderReason(caller.because, language) },
    days,
    shutOut,
    unaffectedAddresses: unaffected,
  });
}

export const networkWhatIfRoutes: RouteSpec[] = [
  {
    id: 'registries.networkRuleWhatIf',
    template: `${REGISTRY_PATH}/networkRuleWhatIf`,
    methods: { POST: { handler: whatIf, needs: onRegistry('write', registryActions.write) } },
  },
];
