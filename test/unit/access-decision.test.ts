/**
 * The access decision as a value (access/decision.ts): rendered once for the wire in each
 * protocol and language (network/refusal.ts), once for the audit row (the English text plus the
 * key and values), read back in the reader's language, and settled by the network when a
 * trusted service could lift the gate's denial (network/denial.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { reasonIn } from '../../src/audit/acr-rows.js';
import { auditEntriesOf, type RequestFacts } from '../../src/audit/audit-hook.js';
import type { RequestAudit } from '../../src/audit/request-audit.js';
import { localizedErrorBody } from '../../src/audit/localized-error-body.js';
import { errors } from '../../src/kernel/errors.js';
import { englishReason, parseStoredReason, reason, reasonText, renderReason, storedReason, type Reason } from '../../src/access/decision.js';
import { principalReason, scopeReason, throttleKeyReason } from '../../src/access/reasons.js';
import { renderRefusal, type Refusal } from '../../src/network/refusal.js';
import { LANGUAGES } from '../../src/i18n/index.js';
import { gateDecision } from '../../src/network/policy.js';
import { settleNetwork, type BypassableDenial } from '../../src/network/bypass.js';
import { NetworkDenied } from '../../src/network/denial.js';

const REGISTRY = 'wharf';
const LOGIN_SERVER = 'wharf.localhost';
const wrongPassword = reason('tokenWrongPassword', { token: 'ci' });
const lacking = reason('grantsLack', {
  principal: principalReason({ kind: 'repositoryToken', id: 'ci', name: 'ci', tenantId: null }),
  scope: scopeReason({ type: 'repository', name: 'team/app', actions: ['push'] }),
  sources: [reason('grantSourceScopeMap', { scopeMap: '_repositories_pull' })],
});
const expired = reason('refreshTokenExpiredHolder', {
  lifetime: { seconds: 3 * 3600 },
  holder: principalReason({ kind: 'ServicePrincipal', id: 'o', name: 'app-1', tenantId: 't' }),
  signIn: 'az acr login -n wharf',
});

/** Words of the English reasons that must not survive in another language. */
const ENGLISH_WORDS = /\b(scope map|wrong password|neither|matches|may not|its grants|has expired|sign in again|they live|on repository)\b/;

describe('a reason renders in every language, nested reasons and durations included', () => {
  for (const language of LANGUAGES) {
    it(language, () => {
      for (const why of [wrongPassword, lacking, expired]) {
        const text = renderReason(why, language);
        assert.doesNotMatch(text, /\{\{|\[object/, text);
        assert.match(text, /'ci'|'app-1'/);
        if (language !== 'en') assert.doesNotMatch(text, ENGLISH_WORDS, `${language}: ${text}`);
      }
    });
  }

  it('English is the audit text the rows always had', () => {
    assert.equal(englishReason(wrongPassword), "wrong password for the token 'ci' (neither password1 nor password2 matches)");
    assert.equal(englishReason(lacking), "the token 'ci' may not push on repository 'team/app' (its grants: scope map _repositories_pull)");
    assert.equal(
      englishReason(expired),
      "the ACR refresh token has expired (they live 3 hours on this registry); it was issued to the service principal 'app-1': sign in again: az acr login -n wharf",
    );
    assert.match(renderReason(expired, 'fr'), /3\sheures/);
    assert.equal(
      englishReason(reason('tooManyLogins', { key: throttleKeyReason({ kind: 'identity', identity: 'ci', address: '127.0.0.1' }) })),
      "too many failed logins for identity 'ci' from address 127.0.0.1",
    );
  });

  it('stored as a key and JSON values, and read back; an unknown key or broken JSON is no reason', () => {
    const stored = storedReason(expired);
    assert.equal(stored.key, 'refreshTokenExpiredHolder');
    assert.deepEqual(parseStoredReason(stored.key, stored.values), expired);
    assert.equal(parseStoredReason('noSuchKey', '{}'), undefined);
    assert.equal(parseStoredReason('tokenWrongPassword', '{'), undefined);
    assert.equal(parseStoredReason('tokenWrongPassword', JSON.stringify({ token: { key: 'nope', values: {} } })), undefined);
    assert.equal(parseStoredReason(null, null), undefined);
  });
});

describe('one renderer: a refusal as the protocol error, in the language it is sent in', () => {
  const refusal = (status: Refusal['status'], why: Reason, extra: Partial<Refusal> = {}): Refusal => ({
    allowed: false,
    stage: 'authentication',
    status,
    reason: why,
    ...extra,
  });
  const challenge = `Bearer realm="http://${LOGIN_SERVER}/oauth2/token",service="${LOGIN_SERVER}"`;
  const at = { registry: REGISTRY, loginServer: LOGIN_SERVER };

  it('/v2 and /acr: a 401 with the Bearer challenge, the reason in each language', () => {
    const error = renderRefusal(refusal(401, wrongPassword), { protocol: 'registry', challenge, at });
    assert.equal(error.status, 401);
    assert.equal(error.code, 'UNAUTHORIZED');
    assert.equal(error.headers['WWW-Authenticate'], challenge);
    assert.match(error.messageIn('en'), /Wrong password for the token 'ci'/);
    for (const language of LANGUAGES.filter((l) => l !== 'en')) {
      const message = error.toBody(language).errors[0]!.message;
      assert.doesNotMatch(message, ENGLISH_WORDS, `${language}: ${message}`);
      assert.match(message, /'ci'/);
    }
    assert.match(error.messageIn('fr'), /Mot de passe incorrect pour le jeton 'ci'/);
    assert.match(error.messageIn('pl'), /Nieprawidłowe hasło tokenu 'ci'/);
  });

  it('/oauth2: a 401 without a challenge, carrying the refusal as detail', () => {
    const detail = { credential: 'repositoryToken', refusal: 'invalidCredentials' };
    const error = renderRefusal(refusal(401, wrongPassword), { protocol: 'token', detail, at });
    assert.equal(error.status, 401);
    assert.equal(error.headers['WWW-Authenticate'], undefined);
    assert.deepEqual(error.toBody('sv').errors[0]!.detail, detail);
  });

  it('a refusal that must say less tells its own words (ACR does not say whether the name or the password was wrong)', () => {
    const error = renderRefusal(refusal(401, wrongPassword, { told: reasonText(reason('noCredentials')) }), { protocol: 'token' });
    assert.equal(error.messageIn('en').includes('wrong password'), false);
    assert.match(error.messageIn('en'), /no credentials were presented/);
  });

  it('403, 429 and 400 in the registry error format', () => {
    const denied = renderRefusal(refusal(403, lacking, { stage: 'authorization' }), { protocol: 'registry', challenge, detail: [{ Action: 'push' }] });
    assert.deepEqual([denied.status, denied.code], [403, 'DENIED']);
    assert.match(denied.messageIn('fr'), /n’est pas autorisé à push sur le dépôt 'team\/app'/);
    const why = reason('tooManyLogins', { key: throttleKeyReason({ kind: 'address', address: '127.0.0.1' }) });
    const limited = renderRefusal(refusal(429, why, { retryAfter: 30, told: reasonText(why) }), { protocol: 'token' });
    assert.deepEqual([limited.status, limited.code, limited.headers['Retry-After']], [429, 'TOOMANYREQUESTS', '30']);
    const invalid = renderRefusal(refusal(400, reason('unsupportedGrantType', { grantType: 'magic' }), { stage: 'request' }), { protocol: 'token' });
    assert.deepEqual([invalid.status, invalid.code], [400, 'UNSUPPORTED']);
    assert.match(invalid.messageIn('pt-BR'), /grant_type 'magic' sem suporte/);
  });
});

describe('one writer: the decision as the audit row', () => {
  const facts: RequestFacts = {
    startedAt: Date.parse('2026-01-01T00:00:00Z'),
    durationMs: 5,
    statusCode: 401,
    ip: '127.0.0.1',
    correlationId: 'c1',
    userAgent: 'docker/27',
    region: 'local',
    registry: REGISTRY,
    loginServer: LOGIN_SERVER,
  };
  const refused: RequestAudit = {
    login: { operationName: 'Login' },
    principal: { kind: 'anonymous', id: 'ci', name: 'ci', tenantId: null },
    decision: { allowed: false, stage: 'authentication', rule: 'repositoryToken:invalidCredentials', reason: wrongPassword },
  };

  it('keeps the English text, the key and the values', () => {
    const [entry] = auditEntriesOf(refused, facts);
    assert.equal(entry!.category, 'login');
    const event = entry!.event;
    assert.equal(event.reason, "wrong password for the token 'ci' (neither password1 nor password2 matches)");
    assert.equal(event.reasonKey, 'tokenWrongPassword');
    assert.deepEqual(JSON.parse(event.reasonValues!), { token: 'ci' });
    assert.match(reasonIn(event, 'fr'), /^mot de passe incorrect pour le jeton 'ci'/);
    assert.equal(reasonIn(event, 'en'), event.reason);
  });

  it("a trusted service's pass is part of the reason: decided; network", () => {
    const network = reason('trustedServiceAllowed', {
      gate: reason('gateNoRuleMatches', { ip: '127.0.0.9' }),
      principal: principalReason({ kind: 'ManagedIdentity', id: 'o', name: 'tasks-mi', tenantId: 't' }),
      service: 'tasks',
      serviceType: 'Tasks',
    });
    const audit: RequestAudit = {
      ...refused,
      decision: { allowed: true, stage: 'authentication', rule: 'credentials', reason: reason('validCredentials') },
      network,
    };
    const [entry] = auditEntriesOf(audit, { ...facts, statusCode: 200 });
    assert.equal(entry!.event.reasonKey, 'withNetwork');
    assert.match(entry!.event.reason, /^valid credentials; network: no rule matches 127\.0\.0\.9 .*is the trusted service 'tasks' \(Tasks\)/);
    assert.match(reasonIn(entry!.event, 'sv'), /^giltiga autentiseringsuppgifter; nätverk: /);
  });

  it("a handler's own free-text reason wins over the decision and stores no key; such rows show their text in every language", () => {
    const audit: RequestAudit = { ...refused, reason: 'the repository is read-only' };
    const [entry] = auditEntriesOf(audit, facts);
    assert.equal(entry!.event.reason, 'the repository is read-only');
    assert.equal(entry!.event.reasonKey, undefined);
    assert.equal(reasonIn(entry!.event, 'pl'), 'the repository is read-only');
  });

  it("a failure no decision explains keeps its error message's key: an unknown host, read in French and Polish", () => {
    const error = errors.unknownHost('nosuch.localhost');
    for (const acceptLanguage of ['en', 'fr']) {
      const audit: RequestAudit = { login: { operationName: 'Login' } };
      const body = localizedErrorBody({ headers: { 'accept-language': acceptLanguage }, audit }, (language) => error.toBody(language), error.text);
      assert.equal(body.errors[0]!.message, error.messageIn(acceptLanguage === 'fr' ? 'fr' : 'en'));
      const [entry] = auditEntriesOf(audit, { ...facts, statusCode: 404 });
      const event = entry!.event;
      assert.equal(event.reason, error.message, 'the English text, as before');
      assert.equal(event.reasonKey, 'registry-errors:unknownHost');
      assert.deepEqual(JSON.parse(event.reasonValues!), { host: 'nosuch.localhost' });
      assert.equal(
        reasonIn(event, 'fr'),
        "aucun registre n’est servi à l’adresse 'nosuch.localhost' : vérifiez le nom du registre dans le serveur de connexion (par exemple '<nom>.<domaine>')",
      );
      assert.match(reasonIn(event, 'pl'), /^pod adresem 'nosuch\.localhost' nie jest obsługiwany żaden rejestr/);
      assert.equal(reasonIn(event, 'en'), error.message);
    }
    // A key this code does not know (a newer version's) shows the row's text.
    const unknown = { reason: 'text as stored', reasonKey: 'registry-errors:noSuchKey', reasonValues: '{}' };
    assert.equal(reasonIn(unknown, 'fr'), 'text as stored');
    assert.equal(reasonIn({ ...unknown, reasonKey: 'no-such-namespace:unknownHost' }, 'fr'), 'text as stored');
  });
});

describe('the trusted-services bypass is settled where authentication decides', () => {
  const gate = gateDecision(false, 'defaultAction:Deny', reason('gateNoRuleMatches', { ip: '127.0.0.9' }), true);
  const services = {
    trustedService: async (id: string) => (id === 'mi-tasks' ? { name: 'tasks', serviceType: 'Tasks' } : undefined),
    trustedElsewhere: (id: string) => id === 'mi-other',
  };
  const request = (anonymous = false) =>
    ({
      ip: '127.0.0.9',
      bypassableDenial: { decision: gate, clientIp: '127.0.0.9', helpUrl: 'https://aka.ms/acr/firewall', services, anonymous } satisfies BypassableDenial,
    }) as unknown as FastifyRequest;
  const mi = (id: string) => ({ kind: 'ManagedIdentity' as const, id, name: id, tenantId: 't' });

  it('a trusted service of the subscription passes, and the network reason is recorded', async () => {
    const r = request();
    await settleNetwork(r, mi('mi-tasks'));
    assert.equal(r.audit?.network?.key, 'trustedServiceAllowed');
    // Settled once: asking again changes nothing.
    await settleNetwork(r, mi('someone-else'));
  });

  it('anyone else gets the network 403, recorded as a network decision with why', async () => {
    for (const [id, key] of [
      ['mi-other', 'trustedElsewhere'],
      ['mi-stranger', 'notTrustedService'],
    ] as const) {
      const r = request();
      await assert.rejects(settleNetwork(r, mi(id)), NetworkDenied);
      assert.equal(r.audit?.decision?.stage, 'network');
      assert.equal(r.audit?.decision?.reason.key, key);
      assert.equal(r.audit?.login?.operationName, 'Network');
    }
  });

  it("authentication's refusal: a 401 without credentials stands (the client may authenticate); with credentials, the network refuses", async () => {
    await settleNetwork(request(true), undefined, 401);
    const r = request();
    await assert.rejects(settleNetwork(r, undefined, 401), NetworkDenied);
    assert.equal(r.audit?.decision?.reason.key, 'credentialsNotTrusted');
    // A trusted service refused for another reason (a missing grant): that refusal stands.
    await settleNetwork(request(), mi('mi-tasks'), 403);
  });

  it('nothing pending: nothing to settle', async () => {
    const r = { ip: '127.0.0.1' } as unknown as FastifyRequest;
    await settleNetwork(r, undefined, 401);
    assert.equal(r.audit, undefined);
  });
});
