/**
 * The answer of `POST …/registries/{r}/diagnose`: each stage of a data-plane request replayed
 * (network gate, authentication, authorization), the rule that decided it and what would change
 * the outcome, as structured values. The server decides; the client (src/cli/checks/diagnose.ts)
 * words it in the user's language and turns a fix into the exact command.
 */

export type DiagnoseStage = 'network' | 'authentication' | 'authorization';
export type DiagnoseCode = 'NETWORK_DENIED' | 'AUTHENTICATION_FAILED' | 'AUTHORIZATION_DENIED';
export type StageResult = 'allowed' | 'denied' | 'notEvaluated';

/** What would change a denial into an allow; `params` are the command's arguments. */
export type DiagnoseFix =
  | { kind: 'addIpRule'; params: { registry: string; ipAddress: string } }
  | { kind: 'enablePublicAccess'; params: { registry: string } }
  | { kind: 'approveConnection'; params: { registry: string; connection: string; endpoint: string } }
  | { kind: 'useOwnEndpoint'; params: { registry: string; endpoint: string; endpointRegistry: string } }
  | { kind: 'addServiceEndpoint'; params: { subnetId: string; subnet: string; vnet: string; resourceGroup: string } }
  | { kind: 'enableAdminUser'; params: { registry: string } }
  | { kind: 'enableToken'; params: { registry: string; token: string } }
  | { kind: 'renewTokenPassword'; params: { registry: string; token: string; password: string } }
  | { kind: 'resetSecret'; params: { appId: string } }
  | { kind: 'checkIdentity'; params: { registry: string; identity: string } }
  | { kind: 'assignRole'; params: { registry: string; registryId: string; assignee: string; role: string } }
  | { kind: 'extendScopeMap'; params: { registry: string; scopeMap: string; repository: string; scopeMapAction: string } }
  | { kind: 'useSystemScopeMap'; params: { registry: string; token: string; scopeMap: string } }
  | { kind: 'enableAnonymousPull'; params: { registry: string } }
  | { kind: 'login'; params: { registry: string; loginServer: string } }
  /** A recorded wrong password of the admin user: sign in with its current one. */
  | { kind: 'useAdminPassword'; params: { registry: string; loginServer: string } }
  /** A recorded wrong token password: a new password, signed in with at once. */
  | { kind: 'useTokenPassword'; params: { registry: string; token: string; password: string; loginServer: string } }
  /** A recorded wrong client secret: a new secret, signed in with at once. */
  | { kind: 'useClientSecret'; params: { appId: string; loginServer: string } }
  | { kind: 'useUserPassword'; params: { user: string; loginServer: string } }
  /** An expired or revoked refresh token: a new one, by the sign-in of its identity (empty when unknown). */
  | { kind: 'signInAgain'; params: { registry: string; loginServer: string; identity: string; identityKind: string } }
  /** An ACR token given with another user name, or not an ACR token. */
  | { kind: 'useNullGuid'; params: { registry: string; loginServer: string } }
  /** A trusted service refused because the registry has virtual network rules: admit its address. */
  | { kind: 'trustedServiceBlocked'; params: { registry: string; ipAddress: string; service: string } }
  /** A trusted service refused because bypass is None. */
  | { kind: 'allowTrustedServices'; params: { registry: string; service: string } };

export interface DiagnoseStageResult {
  stage: DiagnoseStage;
  result: StageResult;
  /** Set when denied. */
  code?: DiagnoseCode;
  /** The rule that decided, e.g. `defaultAction:Deny`, `token:disabled`, `role AcrPull at the registry`. */
  rule: string;
  /** The decision in words (English, as the audit log keeps it). */
  reason: string;
  /** Facts the client may show: the grants held, the listener, the principal kind… */
  details?: Record<string, string | string[]>;
  fix?: DiagnoseFix;
}

/** The request as replayed: given, or read from the audit record. */
export interface DiagnoseInput {
  correlationId: string | null;
  ipAddress: string;
  /** Null: anonymous (parameters) or not recorded (an event written before authentication). */
  identity: string | null;
  repository: string | null;
  action: string | null;
  /** `address:port` of the private endpoint the request arrived at; null: the public endpoint. */
  listener: string | null;
}

/** The audit events of a correlation id, as recorded then. */
export interface RecordedRequest {
  timeGenerated: string;
  /** The operations recorded, e.g. `Network`, `Login`, `Pull`. */
  operations: string[];
  resultType: 'Succeeded' | 'Failed';
  /** The HTTP status, as text. */
  resultDescription: string;
  /** The recorded reason, in the caller's language when the row stores its key (else as stored). */
  reason: string;
  /** The reason's message key (null on rows written before migration 0009 or with a free-text reason). */
  reasonKey: string | null;
  identity: string;
  identityType: string;
}

export interface DiagnoseResult {
  registry: string;
  loginServer: string;
  input: DiagnoseInput;
  recorded: RecordedRequest | null;
  stages: DiagnoseStageResult[];
  /** `allowed`, or the code of the first stage that denies. */
  outcome: 'allowed' | DiagnoseCode;
  /** The stage and rule that decided (for `allowed`, the last stage evaluated). */
  decidedBy: { stage: DiagnoseStage; rule: string };
  /** True when the recorded request had the other outcome (something changed since); null without a record or replay. */
  changedSinceRecorded: boolean | null;
  /**
   * False when the recorded decision cannot be replayed (a wrong password or an expired refresh
   * token: the audit log keeps no secret): `outcome` is then the recorded one.
   */
  replayable: boolean;
}
