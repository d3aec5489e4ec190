/**
 * `POST <registry id>/diagnose`: why a data-plane request was (or would be) allowed or refused.
 * The body names the request either by its correlation id — its login and repository events are
 * read from the audit log and replayed with the recorded address, identity, repository and
 * action — or by its parameters: `{ipAddress, identity?, repository?, action?, listener?}`.
 * The network gate, authentication and authorization are replayed by the modules that decide
 * real requests; the answer (diagnose-types.ts) gives each stage's result, the deciding rule and
 * the fix's parameters, and the recorded outcome beside today's (with the private endpoint
 * listener the request arrived at, which the audit events keep since migration 0004). Needs read access (Reader and up).
 */
import { isIP } from 'node:net';
import { parseStoredReason, type Reason } from '../../access/decision.js';
import { reasonIn } from '../../audit/acr-rows.js';
import type { Language } from '../../i18n/languages.js';
import { requestLanguage } from '../../kernel/request-language.js';
import { REPOSITORY_ACTIONS, type RepositoryAction } from '../../access/scopes.js';
import { armErrors, armReason } from '../../kernel/arm-errors.js';
import { addressedRegistry, type ManagementContext, type ManagementResult, ok, type ManagementServices } from '../context.js';
import { optionalString } from '../../kernel/json-body.js';
import { onRegistry, type RouteSpec } from '../route-table.js';
import type { LoginEvent, RepositoryEvent } from '../../storage/metadata/access-records.js';
import type { RegistryRecord } from '../../storage/metadata/store.js';
import { replayAuthorization } from './diagnose-access.js';
import { replayAuthentication } from './diagnose-identity.js';
import { identityToReplay, recordedAuthentication, recordedCredentialFailure } from './diagnose-recorded.js';
import { parseListener, replayNetwork, type Listener } from './diagnose-network.js';
import type { DiagnoseInput, DiagnoseResult, DiagnoseStageResult, RecordedRequest } from './diagnose-types.js';
import { REGISTRY_PATH, REGISTRY_TYPE } from './lookup.js';
import { loginServerOfRecord } from './registry-view.js';

/** What this module uses of the management plane's services (context.ts): nothing else is in reach. */
type HandlerServices = Pick<ManagementServices, 'config' | 'dataPlane' | 'network' | 'store'>;
type HandlerContext = ManagementContext<HandlerServices>;

const DIAGNOSE_ACTION = `${REGISTRY_TYPE}/diagnose/action`;

/** The repository action a recorded operation needed (data-plane-auth's recordRefusal, reversed). */
const ACTION_OF_OPERATION: Record<string, RepositoryAction> = { pull: 'pull', push: 'push', delete: 'delete', untag: 'metadata_write' };

interface Replay {
  input: DiagnoseInput;
  listener: Listener | undefined;
  recorded: RecordedRequest | null;
  /** The recorded decision's reason, when the row stores its key (since migration 0009). */
  recordedReason?: Reason;
  /** The record was written before authentication (a network refusal): the caller is unknown. */
  identityUnrecorded: boolean;
}

function actionOf(text: string | undefined): RepositoryAction | null {
  if (text === undefined) return null;
  const action = REPOSITORY_ACTIONS.find((a) => a === text.trim().toLowerCase());
  if (!action) throw armErrors.invalidParameter('action', armReason('notRepositoryAction', { text, actions: REPOSITORY_ACTIONS.join(', ') }));
  return action;
}

/** `listener`: `address:port`, or the name of a private endpoint of the registry. */
async function listenerOf(context: HandlerContext, registry: RegistryRecord, text: string | undefined): Promise<Listener | undefined> {
  if (text === undefined || text.trim() === '' || text.trim().toLowerCase() === 'public') return undefined;
  const parsed = parseListener(text);
  if (parsed) return parsed;
  const endpoints = await context.services.store.network.privateEndpoints({ registry: registry.name });
  const endpoint = endpoints.find((e) => e.name.toLowerCase() === text.trim().toLowerCase() || e.connectionName.toLowerCase() === text.trim().toLowerCase());
  if (!endpoint) {
    throw armErrors.invalidParameter('listener', armReason('notListener', { text, registry: registry.name }));
  }
  return { address: endpoint.address, port: endpoint.port };
}

function fromParameters(body: Record<string, unknown>, listener: Listener | undefined): Replay {
  const ipAddress = optionalString(body, 'ipAddress', 'ipAddress')?.trim();
  if (!ipAddress) throw armErrors.invalidRequestContent(armReason('diagnoseNeedsInput'), 'ipAddress');
  if (isIP(ipAddress) === 0) throw armErrors.invalidParameter('ipAddress', armReason('notIpAddress', { value: ipAddress }));
  const identity = optionalString(body, 'identity', 'identity')?.trim() || null;
  const repository = optionalString(body, 'repository', 'repository')?.trim().toLowerCase() || null;
  const action = actionOf(optionalString(body, 'action', 'action'));
  if ((repository === null) !== (action === null)) {
    throw armErrors.invalidRequestContent(armReason('repositoryActionTogether'), repository === null ? 'repository' : 'action');
  }
  return {
    input: { correlationId: null, ipAddress, identity, repository, action, listener: listener ? `${listener.address}:${listener.port}` : null },
    listener,
    recorded: null,
    identityUnrecorded: false,
  };
}

/** The recorded request; its reason in the caller's language when the row stores the key. */
function recordedOf(logins: LoginEvent[], operations: RepositoryEvent[], language: Language): { recorded: RecordedRequest; reason: Reason | undefined } {
  const events = [...logins, ...operations].sort((a, b) => a.timeGenerated.localeCompare(b.timeGenerated));
  const failure = events.find((e) => e.resultType === 'Failed');
  const decisive = failure ?? events[events.length - 1]!;
  const named = events.find((e) => e.identity !== '') ?? decisive;
  const recorded: RecordedRequest = {
    timeGenerated: events[0]!.timeGenerated,
    operations: [...new Set(events.map((e) => e.operationName))],
    resultType: failure ? 'Failed' : 'Succeeded',
    resultDescription: decisive.resultDescription,
    reason: reasonIn(decisive, language),
    reasonKey: decisive.reasonKey ?? null,
    identity: named.identity,
    identityType: named.identityType,
  };
  return { recorded, reason: parseStoredReason(decisive.reasonKey, decisive.reasonValues) };
}

async function fromRecord(context: HandlerContext, registry: RegistryRecord, correlationId: string, listener: Listener | undefined): Promise<Replay> {
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(correlationId))
    throw armErrors.invalidParameter('correlationId', armReason('notCorrelationId', { value: correlationId }));
  const filter = { registry: registry.name, correlationId, limit: 100 };
  const audit = context.services.store.audit;
  const [logins, operations] = await Promise.all([audit.logins(filter), audit.repositoryEvents(filter)]);
  if (logins.length === 0 && operations.length === 0) {
    throw armErrors.notFound('CorrelationIdNotFound', armReason('correlationNotFound', { registry: registry.name, correlationId }));
  }
  const { recorded, reason: recordedReason } = recordedOf(logins, operations, requestLanguage(context.request));
  // The private endpoint listener it arrived at (recorded since migration 0004), unless the body names one.
  const recordedListener = [...logins, ...operations].find((e) => e.listener)?.listener;
  const used = listener ?? (recordedListener ? parseListener(recordedListener) : undefined);
  const ipAddress = [...logins, ...operations].find((e) => e.callerIpAddress !== '')?.callerIpAddress ?? '';
  const operation = operations[0];
  const action = operation ? (ACTION_OF_OPERATION[operation.operationName.toLowerCase()] ?? null) : null;
  const identity = recorded.identity === '' ? null : recorded.identity;
  return {
    input: {
      correlationId,
      ipAddress,
      identity,
      repository: operation && action ? operation.repository : null,
      action,
      listener: used ? `${used.address}:${used.port}` : null,
    },
    listener: used,
    recorded,
    ...(recordedReason ? { recordedReason } : {}),
    identityUnrecorded: identity === null,
  };
}

async function diagnose(context: HandlerContext): Promise<ManagementResult> {
  const { services } = context;
  const { registry } = addressedRegistry(context);
  const body = await context.body();
  const listener = await listenerOf(context, registry, optionalString(body, 'listener', 'listener'));
  const correlationId = optionalString(body, 'correlationId', 'correlationId')?.trim();
  const replay = correlationId ? await fromRecord(context, registry, correlationId, listener) : fromParameters(body, listener);
  const { input } = replay;

  const loginServer = loginServerOfRecord(registry, services.config);
  // A wrong password or an expired refresh token is not in the audit log: the identity's state
  // is replayed, and when it allows the sign-in, the recorded refusal is reported as such.
  const credentialFailure = recordedCredentialFailure(replay.recorded, replay.recordedReason);
  const replayedIdentity = identityToReplay(credentialFailure, input.identity);
  const state =
    replayedIdentity === null && credentialFailure ? undefined : await replayAuthentication(services, registry, replayedIdentity, replay.identityUnrecorded);
  const replayable = !(credentialFailure && (state === undefined || state.stage.result === 'allowed'));
  const authentication = replayable ? state! : recordedAuthentication(credentialFailure!, replay.recorded!, state, registry.name, loginServer);
  // The network stage needs the principal only to settle a trusted service's bypass.
  const network = await replayNetwork(services, registry, input.ipAddress, replay.listener, authentication.principal);
  const authorization = await replayAuthorization(
    services,
    registry,
    authentication,
    input.repository,
    input.action as RepositoryAction | null,
    requestLanguage(context.request),
  );
  const stages: DiagnoseStageResult[] = [network, authentication.stage, authorization];

  const denied = stages.find((s) => s.result === 'denied');
  const lastEvaluated = [...stages].reverse().find((s) => s.result === 'allowed') ?? network;
  const decider = denied ?? lastEvaluated;
  const outcome = denied?.code ?? 'allowed';
  const result: DiagnoseResult = {
    registry: registry.name,
    loginServer,
    input,
    recorded: replay.recorded,
    stages,
    outcome,
    decidedBy: { stage: decider.stage, rule: decider.rule },
    changedSinceRecorded: replay.recorded && replayable ? (replay.recorded.resultType === 'Succeeded') !== (outcome === 'allowed') : null,
    replayable,
  };
  return ok(result);
}

export const diagnoseRoutes: RouteSpec[] = [
  { id: 'registries.diagnose', template: `${REGISTRY_PATH}/diagnose`, methods: { POST: { handler: diagnose, needs: onRegistry('read', DIAGNOSE_ACTION) } } },
];
