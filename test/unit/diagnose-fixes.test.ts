/**
 * The fixes `wharf diagnose` prints: every kind of fix is a wharf command that exists, with
 * options the command accepts (checked against the built CLI's own --help), and every
 * translation of the diagnose catalog keeps the English message's placeholders, so no command,
 * address or rule goes missing in another language.
 */
import assert from 'node:assert/strict';
import { englishReason, reason, type Reason } from '../../src/access/decision.js';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { diagnoseReport, fixCommands } from '../../src/cli/checks/diagnose.js';
import { diagnoseMessages } from '../../src/cli/checks/messages/diagnose-messages.js';
import { LANGUAGES } from '../../src/i18n/index.js';
import { recordedCredentialFailure } from '../../src/management/resources/diagnose-recorded.js';
import type { DiagnoseFix, DiagnoseStageResult, RecordedRequest } from '../../src/management/resources/diagnose-types.js';
import { WHARF_CLI } from '../helpers/contract.js';

const REGISTRY_ID = '/subscriptions/s/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/reg';

const FIXES: DiagnoseFix[] = [
  { kind: 'addIpRule', params: { registry: 'reg', ipAddress: '203.0.113.7' } },
  { kind: 'enablePublicAccess', params: { registry: 'reg' } },
  { kind: 'approveConnection', params: { registry: 'reg', connection: 'conn', endpoint: 'pe' } },
  { kind: 'useOwnEndpoint', params: { registry: 'reg', endpoint: 'pe', endpointRegistry: 'other' } },
  { kind: 'addServiceEndpoint', params: { subnetId: 'id', subnet: 'sn', vnet: 'vn', resourceGroup: 'g' } },
  { kind: 'enableAdminUser', params: { registry: 'reg' } },
  { kind: 'enableToken', params: { registry: 'reg', token: 'tok' } },
  { kind: 'renewTokenPassword', params: { registry: 'reg', token: 'tok', password: 'password2' } },
  { kind: 'resetSecret', params: { appId: '11111111-2222-3333-4444-555555555555' } },
  { kind: 'checkIdentity', params: { registry: 'reg', identity: 'who' } },
  { kind: 'assignRole', params: { registry: 'reg', registryId: REGISTRY_ID, assignee: 'app', role: 'AcrPush' } },
  { kind: 'extendScopeMap', params: { registry: 'reg', scopeMap: 'map', repository: 'team/app', scopeMapAction: 'content/write' } },
  { kind: 'useSystemScopeMap', params: { registry: 'reg', token: 'tok', scopeMap: '_repositories_pull' } },
  { kind: 'enableAnonymousPull', params: { registry: 'reg' } },
  { kind: 'login', params: { registry: 'reg', loginServer: 'reg.localhost' } },
  { kind: 'useAdminPassword', params: { registry: 'reg', loginServer: 'reg.localhost' } },
  { kind: 'useTokenPassword', params: { registry: 'reg', token: 'tok', password: 'password1', loginServer: 'reg.localhost' } },
  { kind: 'useClientSecret', params: { appId: '11111111-2222-3333-4444-555555555555', loginServer: 'reg.localhost' } },
  { kind: 'useUserPassword', params: { user: 'ana@example.test', loginServer: 'reg.localhost' } },
  {
    kind: 'signInAgain',
    params: { registry: 'reg', loginServer: 'reg.localhost', identity: '11111111-2222-3333-4444-555555555555', identityKind: 'ServicePrincipal' },
  },
  { kind: 'useNullGuid', params: { registry: 'reg', loginServer: 'reg.localhost' } },
  { kind: 'trustedServiceBlocked', params: { registry: 'reg', ipAddress: '203.0.113.7', service: 'builder' } },
  { kind: 'allowTrustedServices', params: { registry: 'reg', service: 'builder' } },
];

const helpCache = new Map<string, string>();
function helpOf(path: string[]): string {
  const key = path.join(' ');
  let help = helpCache.get(key);
  if (help === undefined) {
    help = execFileSync(process.execPath, [WHARF_CLI, ...path, '--help'], { encoding: 'utf8' });
    helpCache.set(key, help);
  }
  return help;
}

/** `wharf a b -x v --flag v` → the command path and its options. */
function parse(command: string): { path: string[]; options: string[] } {
  const words = command.split(' ').slice(1);
  const first = words.findIndex((w) => w.startsWith('-'));
  const path = first < 0 ? words : words.slice(0, first);
  return { path, options: words.filter((w) => w.startsWith('-')) };
}

describe('diagnose fixes', () => {
  it('covers every kind of fix once', () => {
    assert.equal(new Set(FIXES.map((f) => f.kind)).size, FIXES.length);
  });

  for (const fix of FIXES) {
    it(`${fix.kind}: the wharf command exists and takes these options`, () => {
      const commands = fixCommands(fix);
      assert.match(commands.az, /^(az|docker) /);
      for (const single of commands.command.split('; ')) {
        assert.match(single, /^(wharf|docker) /, single);
        if (!single.startsWith('wharf ')) continue;
        const { path, options } = parse(single);
        const help = helpOf(path);
        assert.match(help, new RegExp(`^Usage: wharf ${path.join(' ')} `, 'm'), `${single}\n${help}`);
        for (const option of options) {
          // `  -n, --name <name>` or `  --status <status>`: the option as commander lists it.
          const listed = new RegExp(option.startsWith('--') ? `(^\\s+|, )${option}( |$)` : `^\\s+${option}, `, 'm');
          assert.match(help, listed, `${single}: '${option}' is not an option of wharf ${path.join(' ')}`);
        }
      }
    });
  }
});

describe('diagnose messages', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
  for (const language of LANGUAGES) {
    it(`${language} keeps every placeholder of the English messages`, () => {
      const en = diagnoseMessages.messages.en;
      const translated = diagnoseMessages.messages[language] as Record<string, string>;
      for (const [key, english] of Object.entries(en)) {
        assert.deepEqual(placeholders(translated[key]!), placeholders(english), `${language} ${key}`);
      }
    });
  }
});

describe('recorded credential failures (not replayable), read from the stored reason key', () => {
  const recorded = (why: Reason, status = '401'): RecordedRequest => ({
    timeGenerated: '2026-01-01T00:00:00Z',
    operations: ['Login'],
    resultType: 'Failed',
    resultDescription: status,
    reason: englishReason(why),
    reasonKey: why.key,
    identity: 'x',
    identityType: 'anonymous',
  });
  const adminWrong = reason('adminWrongPassword', { name: 'reg' });
  const cases: [Reason, string | undefined][] = [
    [adminWrong, 'credential:wrongPassword'],
    [reason('tokenWrongPassword', { token: 'tok' }), 'credential:wrongPassword'],
    [reason('secretInvalid', { appId: 'a' }), 'credential:wrongSecret'],
    [
      reason('refreshTokenExpiredHolder', {
        lifetime: { seconds: 10800 },
        holder: reason('principalServicePrincipal', { name: 'a' }),
        signIn: 'az acr login -n reg',
      }),
      'refreshToken:expired',
    ],
    [reason('refreshTokenExpired', { lifetime: { seconds: 60 }, signIn: 'az acr login -n reg' }), 'refreshToken:expired'],
    [reason('refreshTokenRevoked', { why: reason('adminPasswordRegenerated') }), 'refreshToken:revoked'],
    [reason('acrTokenAsPassword', { refusal: adminWrong, nullGuid: '00000000-0000-0000-0000-000000000000' }), 'acrToken:wrongUserName'],
    [reason('acrTokenInvalid', { nullGuid: '00000000-0000-0000-0000-000000000000', why: reason('tokenBadSignature') }), 'acrToken:invalid'],
    [reason('staleCredentials', { refusal: adminWrong, registry: 'reg', loginServer: 'reg.localhost' }), 'credential:wrongPassword'],
    [reason('tokenDisabled', { token: 'tok', registry: 'reg' }), undefined],
    [reason('unknownIdentity', { name: 'who', registry: 'reg' }), undefined],
  ];
  for (const [why, kind] of cases) {
    it(`${kind ?? 'replayable'}: ${why.key}`, () => assert.equal(recordedCredentialFailure(recorded(why), why), kind));
  }
  it('only a refused login (401) with a stored key is one', () => {
    const wrong = reason('tokenWrongPassword', { token: 'tok' });
    assert.equal(recordedCredentialFailure(recorded(wrong, '403'), wrong), undefined);
    assert.equal(recordedCredentialFailure(null, wrong), undefined);
    // A row written before the key was stored: its English words are not read back.
    assert.equal(recordedCredentialFailure(recorded(wrong), undefined), undefined);
  });
});

describe('diagnose report: causes the end-to-end table does not reach', () => {
  const base = {
    registry: 'reg',
    loginServer: 'reg.localhost',
    input: { correlationId: 'c', ipAddress: '203.0.113.7', identity: 'tok', repository: null, action: null, listener: null },
    recorded: null,
    decidedBy: { stage: 'authentication' as const, rule: 'x' },
    changedSinceRecorded: null,
  };
  const causeOf = (stage: DiagnoseStageResult, replayable = true) =>
    diagnoseReport({ ...base, stages: [stage], outcome: stage.code!, replayable }, 'en').findings.find((f) => f.check === stage.stage)!;

  it('a deleted identity: the cause in the reader language, not the server’s English reason', () => {
    const stage: DiagnoseStageResult = {
      stage: 'authentication',
      result: 'denied',
      code: 'AUTHENTICATION_FAILED',
      rule: 'identity:deleted',
      reason: "the identity 'tok' no longer exists",
      fix: { kind: 'checkIdentity', params: { registry: 'reg', identity: 'tok' } },
    };
    const cause = (language: 'en' | 'fr' | 'pl') =>
      diagnoseReport({ ...base, stages: [stage], outcome: stage.code!, replayable: true }, language).findings.find((f) => f.check === 'authentication')!.cause;
    assert.equal(cause('en'), 'The identity tok no longer exists.');
    assert.equal(cause('fr'), 'L’identité tok n’existe plus.');
    assert.equal(cause('pl'), 'Tożsamość tok już nie istnieje.');
  });

  it('a revoked refresh token names its holder; the token signs in again with docker login', () => {
    const finding = causeOf(
      {
        stage: 'authentication',
        result: 'denied',
        code: 'AUTHENTICATION_FAILED',
        rule: 'refreshToken:revoked',
        reason: 'the refresh token was revoked: …',
        details: { replayed: 'false', principalKind: 'repositoryToken', principal: 'tok' },
        fix: { kind: 'signInAgain', params: { registry: 'reg', loginServer: 'reg.localhost', identity: 'tok', identityKind: 'repositoryToken' } },
      },
      false,
    );
    assert.equal(finding.cause, 'The ACR refresh token of the token tok was revoked: the credential it was obtained with has been changed or removed since.');
    assert.equal(finding.fix, 'sign in again with a current password of the token tok: docker login reg.localhost -u tok');
  });

  it('an expired refresh token whose holder is not recorded: the az sign-in, and no holder', () => {
    const finding = causeOf(
      {
        stage: 'authentication',
        result: 'denied',
        code: 'AUTHENTICATION_FAILED',
        rule: 'refreshToken:expired',
        reason: 'the ACR refresh token has expired',
        details: { replayed: 'false' },
        fix: { kind: 'signInAgain', params: { registry: 'reg', loginServer: 'reg.localhost', identity: '', identityKind: '' } },
      },
      false,
    );
    assert.match(finding.cause!, /had expired; who it was issued to is not recorded\.$/);
    assert.match(
      finding.fix!,
      /az acr login -n reg --expose-token --query accessToken -o tsv \| docker login reg\.localhost -u 00000000-0000-0000-0000-000000000000 --password-stdin$/,
    );
  });

  it('a trusted service with bypass None: the allow-trusted-services command', () => {
    const finding = causeOf({
      stage: 'network',
      result: 'denied',
      code: 'NETWORK_DENIED',
      rule: 'defaultAction:Deny',
      reason: '…',
      details: { trustedService: 'builder', trustedServiceBlockedBy: 'bypassNone' },
      fix: { kind: 'allowTrustedServices', params: { registry: 'reg', service: 'builder' } },
    });
    assert.equal(
      finding.cause,
      'tok is the trusted service builder, but registry reg does not let trusted services bypass its network rules (networkRuleBypassOptions is None).',
    );
    assert.equal(
      finding.fix,
      'let trusted services bypass the network rules: wharf update -n reg --allow-trusted-services true (az: az acr update -n reg --allow-trusted-services true)',
    );
  });
});
