/**
 * `wharf diagnose`, client side: the server's structured answer (POST …/diagnose) as a Report
 * of Findings in the user's language — what was replayed, what was recorded then, one finding
 * per stage (a pass, an error with its code, cause and the exact fix command, or a stage that
 * could not be evaluated) and the outcome now beside the recorded one.
 */
import { translator, type Language } from '../../i18n/index.js';
import type { DiagnoseFix, DiagnoseResult, DiagnoseStageResult } from '../../management/resources/diagnose-types.js';
import { diagnoseMessages } from './messages/diagnose-messages.js';
import { reportOf, type Finding, type Report, type ReportLabels } from './report.js';

type T = ReturnType<typeof translator<typeof diagnoseMessages.messages.en>>;

/** A shell word, quoted when it has anything a shell would read. */
function word(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./*-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function command(...parts: string[]): string {
  return parts.map((p, i) => (i === 0 ? p : word(p))).join(' ');
}

/** The wharf command (and az's) that the fix stands for. */
export function fixCommands(fix: DiagnoseFix): { command: string; az: string; login?: string; renew?: string } {
  switch (fix.kind) {
    case 'addIpRule': {
      const { registry, ipAddress } = fix.params;
      return {
        command: command('wharf network-rule add', '-n', registry, '--ip-address', ipAddress),
        az: command('az acr network-rule add', '-n', registry, '--ip-address', ipAddress),
      };
    }
    case 'enablePublicAccess':
      return {
        command: command('wharf update', '-n', fix.params.registry, '--public-network-enabled', 'true'),
        az: command('az acr update', '-n', fix.params.registry, '--public-network-enabled', 'true'),
      };
    case 'approveConnection': {
      const { registry, connection } = fix.params;
      return {
        command: command('wharf private-endpoint-connection approve', '-r', registry, '-n', connection),
        az: command('az acr private-endpoint-connection approve', '-r', registry, '-n', connection),
      };
    }
    case 'useOwnEndpoint':
      return {
        command: command('wharf private-endpoint-connection list', '-r', fix.params.registry),
        az: command('az acr private-endpoint-connection list', '-r', fix.params.registry),
      };
    case 'addServiceEndpoint': {
      const { resourceGroup, vnet, subnet } = fix.params;
      const args = ['-g', resourceGroup, '--vnet-name', vnet, '-n', subnet, '--service-endpoints', 'Microsoft.ContainerRegistry'];
      return { command: command('wharf network vnet subnet update', ...args), az: command('az network vnet subnet update', ...args) };
    }
    case 'enableAdminUser':
      return {
        command: command('wharf update', '-n', fix.params.registry, '--admin-enabled', 'true'),
        az: command('az acr update', '-n', fix.params.registry, '--admin-enabled', 'true'),
      };
    case 'enableToken': {
      const { registry, token } = fix.params;
      return {
        command: command('wharf token update', '-n', token, '-r', registry, '--status', 'enabled'),
        az: command('az acr token update', '-n', token, '-r', registry, '--status', 'enabled'),
      };
    }
    case 'renewTokenPassword': {
      const { registry, token, password } = fix.params;
      return {
        command: command('wharf token credential generate', '-n', token, '-r', registry, `--${password}`),
        az: command('az acr token credential generate', '-n', token, '-r', registry, `--${password}`),
      };
    }
    case 'resetSecret':
      return { command: command('wharf sp credential reset', '--id', fix.params.appId), az: command('az ad sp credential reset', '--id', fix.params.appId) };
    case 'checkIdentity':
      return {
        command: `${command('wharf token list', '-r', fix.params.registry)}; wharf sp list`,
        az: `${command('az acr token list', '-r', fix.params.registry)}; az ad sp list`,
      };
    case 'assignRole': {
      const { registry, registryId, assignee, role } = fix.params;
      return {
        command: command('wharf role assignment create', '--assignee', assignee, '--role', role, '-r', registry),
        az: command('az role assignment create', '--assignee', assignee, '--role', role, '--scope', registryId),
      };
    }
    case 'extendScopeMap': {
      const { registry, scopeMap, repository, scopeMapAction } = fix.params;
      return {
        command: command('wharf scope-map update', '-n', scopeMap, '-r', registry, '--add-repository', repository, scopeMapAction),
        az: command('az acr scope-map update', '-n', scopeMap, '-r', registry, '--add-repository', repository, scopeMapAction),
      };
    }
    case 'useSystemScopeMap': {
      const { registry, token, scopeMap } = fix.params;
      return {
        command: command('wharf token update', '-n', token, '-r', registry, '--scope-map', scopeMap),
        az: command('az acr token update', '-n', token, '-r', registry, '--scope-map', scopeMap),
      };
    }
    case 'enableAnonymousPull':
      return {
        command: command('wharf update', '-n', fix.params.registry, '--anonymous-pull-enabled', 'true'),
        az: command('az acr update', '-n', fix.params.registry, '--anonymous-pull-enabled', 'true'),
        login: command('az acr login', '-n', fix.params.registry),
      };
    case 'login':
      return { command: command('docker login', fix.params.loginServer), az: command('az acr login', '-n', fix.params.registry) };
    case 'useAdminPassword': {
      const { registry, loginServer } = fix.params;
      return {
        command: command('wharf credential show', '-n', registry),
        az: `${command('az acr credential show', '-n', registry, '--query', 'passwords[0].value', '-o', 'tsv')} | ${command('docker login', loginServer, '-u', registry, '--password-stdin')}`,
        renew: `${command('az acr credential renew', '-n', registry, '--password-name', 'password')} (wharf: ${command('wharf credential renew', '-n', registry, '--password-name', 'password')})`,
      };
    }
    case 'useTokenPassword': {
      const { registry, token, password, loginServer } = fix.params;
      return {
        command: command('wharf token credential generate', '-n', token, '-r', registry, `--${password}`),
        az: `${command('az acr token credential generate', '-n', token, '-r', registry, `--${password}`, '--query', 'passwords[0].value', '-o', 'tsv')} | ${command('docker login', loginServer, '-u', token, '--password-stdin')}`,
      };
    }
    case 'useClientSecret': {
      const { appId, loginServer } = fix.params;
      return {
        command: command('wharf sp credential reset', '--id', appId),
        az: `${command('az ad sp credential reset', '--id', appId, '--query', 'password', '-o', 'tsv')} | ${command('docker login', loginServer, '-u', appId, '--password-stdin')}`,
      };
    }
    case 'useUserPassword':
      return { command: command('docker login', fix.params.loginServer, '-u', fix.params.user), az: command('az login', '-u', fix.params.user) };
    case 'signInAgain':
    case 'useNullGuid': {
      const { registry, loginServer } = fix.params;
      const token = `${command('az acr login', '-n', registry, '--expose-token', '--query', 'accessToken', '-o', 'tsv')} | ${command('docker login', loginServer, '-u', NULL_GUID, '--password-stdin')}`;
      const identity = fix.kind === 'signInAgain' ? fix.params.identity : '';
      // The wharf-less way: docker asks for the password (the identity's, or an ACR token).
      return { command: command('docker login', loginServer, '-u', identity || NULL_GUID), az: token };
    }
    case 'trustedServiceBlocked': {
      const { registry, ipAddress } = fix.params;
      return {
        command: command('wharf network-rule add', '-n', registry, '--ip-address', ipAddress),
        az: command('az acr network-rule add', '-n', registry, '--ip-address', ipAddress),
      };
    }
    case 'allowTrustedServices':
      return {
        command: command('wharf update', '-n', fix.params.registry, '--allow-trusted-services', 'true'),
        az: command('az acr update', '-n', fix.params.registry, '--allow-trusted-services', 'true'),
      };
  }
}

/** Docker's user name for "the password is an ACR token". */
const NULL_GUID = '00000000-0000-0000-0000-000000000000';

/** "the service principal <name>", in the user's language; undefined for an unknown kind. */
function holderText(t: T, kind: string | undefined, name: string | undefined): string | undefined {
  if (!name || !kind || !['adminUser', 'repositoryToken', 'ServicePrincipal', 'ManagedIdentity', 'User'].includes(kind)) return undefined;
  return t(`kind.${kind as 'adminUser'}`, { name });
}

function fixText(t: T, fix: DiagnoseFix): string {
  const commands = fixCommands(fix);
  const values = { ...fix.params, ...commands, login: commands.login ?? '', renew: commands.renew ?? '' };
  if (fix.kind === 'signInAgain') {
    const holder = holderText(t, fix.params.identityKind, fix.params.identity);
    if (!holder) return t('fix.signInAgainUnknown', values);
    return t(fix.params.identityKind === 'repositoryToken' ? 'fix.signInAgainToken' : 'fix.signInAgain', { ...values, holder });
  }
  return t(`fix.${fix.kind}`, values);
}

interface Named {
  ip: string;
  listener: string;
  identity: string;
  registry: string;
  repository: string;
  action: string;
}

/** The cause in the user's words, from the deciding rule; the server's English reason otherwise. */
function causeOf(t: T, stage: DiagnoseStageResult, named: Named): string {
  const fix = stage.fix;
  const values = { ...named, grants: (stage.details?.grants as string[] | undefined)?.join(', ') ?? '' };
  const rule = stage.rule;
  const holder = holderText(t, stage.details?.principalKind as string | undefined, stage.details?.principal as string | undefined);
  if (fix?.kind === 'trustedServiceBlocked') return t('cause.trustedServiceVnet', { ...values, service: fix.params.service });
  if (fix?.kind === 'allowTrustedServices') return t('cause.trustedServiceBypassNone', { ...values, service: fix.params.service });
  if (rule === 'credential:wrongPassword') {
    const kind = stage.details?.principalKind;
    return t(
      kind === 'adminUser' ? 'cause.wrongPassword.adminUser' : kind === 'repositoryToken' ? 'cause.wrongPassword.repositoryToken' : 'cause.wrongPassword.user',
      values,
    );
  }
  if (rule === 'credential:wrongSecret') return t('cause.wrongSecret', values);
  if (rule === 'refreshToken:expired') return holder ? t('cause.refreshTokenExpired', { ...values, holder }) : t('cause.refreshTokenExpiredUnknown', values);
  if (rule === 'refreshToken:revoked') return t('cause.refreshTokenRevoked', { ...values, holder: holder ?? named.identity });
  if (rule === 'acrToken:wrongUserName') return t('cause.acrTokenWrongUserName', values);
  if (rule === 'acrToken:invalid') return t('cause.acrTokenInvalid', values);
  if (rule === 'publicNetworkAccess:Disabled') return t('cause.publicDisabled', values);
  if (fix?.kind === 'addServiceEndpoint') return t('cause.inertSubnet', { ...values, subnet: fix.params.subnet });
  if (rule === 'defaultAction:Deny') return t('cause.defaultDeny', values);
  if (fix?.kind === 'approveConnection') return t('cause.endpointNotApproved', { ...values, endpoint: fix.params.endpoint });
  if (fix?.kind === 'useOwnEndpoint') return t('cause.endpointOtherRegistry', { ...values, endpoint: fix.params.endpoint, other: fix.params.endpointRegistry });
  if (rule === 'adminUser:disabled') return t('cause.adminDisabled', values);
  if (rule === 'token:disabled') return t('cause.tokenDisabled', { ...values, token: named.identity });
  if (rule === 'token:passwordExpired') return t('cause.tokenExpired', { ...values, token: named.identity });
  if (rule === 'token:noPassword') return t('cause.tokenNoPassword', { ...values, token: named.identity });
  if (rule === 'servicePrincipal:secretExpired') return t('cause.secretExpired', values);
  if (rule === 'servicePrincipal:noSecret') return t('cause.noSecret', values);
  if (rule === 'identity:unknown') return t('cause.unknownIdentity', values);
  if (rule === 'identity:deleted') return t('cause.identityDeleted', values);
  if (stage.stage === 'authorization' && stage.details?.principalKind === 'anonymous') return t('cause.anonymous', values);
  if (rule === 'noGrant') return t('cause.noGrant', values);
  if (rule === 'noMatchingGrant') return t('cause.noMatchingGrant', values);
  return stage.reason;
}

function stageFinding(t: T, stage: DiagnoseStageResult, named: Named, anonymous: boolean): Finding {
  const details = { rule: stage.rule, reason: stage.reason, ...(stage.details ?? {}), ...(stage.fix ? { fix: stage.fix } : {}) };
  const values = { ...named, rule: stage.rule };
  if (stage.result === 'notEvaluated') {
    const key =
      stage.stage === 'authentication'
        ? 'notEvaluated.authentication'
        : stage.rule === 'request:unrecorded'
          ? 'notEvaluated.request'
          : stage.rule === 'identity:unrecorded'
            ? 'notEvaluated.identity'
            : 'notEvaluated.authorization';
    return { check: stage.stage, level: 'info', message: t(key), details };
  }
  if (stage.result === 'allowed') {
    return { check: stage.stage, level: 'ok', message: t(`${stage.stage}.allowed`, values), details };
  }
  const withKind = anonymous && stage.stage === 'authorization' ? { ...stage, details: { ...stage.details, principalKind: 'anonymous' } } : stage;
  return {
    check: stage.stage,
    level: 'error',
    ...(stage.code ? { code: stage.code } : {}),
    message: stage.details?.replayed === 'false' ? t('authentication.deniedRecorded', values) : t(`${stage.stage}.denied`, values),
    cause: causeOf(t, withKind, named),
    ...(stage.fix ? { fix: fixText(t, stage.fix) } : {}),
    details,
  };
}

export function diagnoseReport(result: DiagnoseResult, language: Language): Report {
  const t = translator(diagnoseMessages, language);
  const { input } = result;
  const authentication = result.stages.find((s) => s.stage === 'authentication');
  const anonymous = authentication?.result === 'allowed' && authentication.rule === 'anonymous';
  const named: Named = {
    ip: input.ipAddress,
    listener: input.listener ?? t('word.publicEndpoint'),
    identity: input.identity ?? (input.correlationId ? t('word.unknownIdentity') : t('word.anonymous')),
    registry: result.registry,
    repository: input.repository ?? '',
    action: input.action ?? '',
  };
  const findings: Finding[] = [];
  if (result.recorded) {
    const r = result.recorded;
    findings.push({
      check: 'recorded',
      level: 'info',
      message: t('recorded.summary', {
        time: r.timeGenerated,
        id: input.correlationId ?? '',
        operations: r.operations.join(', '),
        result: r.resultType,
        status: r.resultDescription,
        identity: r.identity || '-',
      }),
      details: { ...r },
    });
    if (r.reason) findings.push({ check: 'recorded', level: 'info', message: t('recorded.reason', { reason: r.reason }) });
  }
  findings.push({
    check: 'request',
    level: 'info',
    message: t(input.repository ? 'request.parameters' : input.correlationId ? 'request.unrecorded' : 'request.noRepository', { ...named }),
    details: { ...input },
  });
  for (const stage of result.stages) findings.push(stageFinding(t, stage, named, anonymous));
  const decided = { stage: t(`stage.${result.decidedBy.stage}`), rule: result.decidedBy.rule };
  // A server before `replayable` replays everything it answers.
  const replayable = result.replayable !== false;
  findings.push({
    check: 'outcome',
    level: 'info',
    message: !replayable
      ? t('outcome.recorded', { ...decided, code: result.outcome })
      : result.outcome === 'allowed'
        ? t('outcome.allowed', decided)
        : t('outcome.denied', { ...decided, code: result.outcome }),
    details: { outcome: result.outcome, decidedBy: result.decidedBy, changedSinceRecorded: result.changedSinceRecorded, replayable },
  });
  if (!replayable) findings.push({ check: 'outcome', level: 'info', message: t('note.notReplayable') });
  // A refused login's password is not in the audit log: the replay judges the identity's state only.
  const recorded = result.recorded;
  if (
    replayable &&
    recorded &&
    recorded.resultType === 'Failed' &&
    recorded.resultDescription === '401' &&
    authentication?.result === 'allowed' &&
    !anonymous
  ) {
    findings.push({ check: 'recorded', level: 'info', message: t('note.credentialsNotReplayed') });
  }
  if (result.changedSinceRecorded !== null) {
    findings.push({ check: 'outcome', level: 'info', message: t(result.changedSinceRecorded ? 'outcome.changed' : 'outcome.unchanged') });
  }
  return reportOf('diagnose', language, findings);
}

export function diagnoseLabels(language: Language): ReportLabels {
  const t = translator(diagnoseMessages, language);
  return { ok: t('label.ok'), errorOccurred: t('label.errorOccurred'), warning: t('label.warning'), cause: t('label.cause'), fix: t('label.fix') };
}
