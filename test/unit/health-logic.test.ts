/**
 * The decisions inside check-health and check-pull that have many cases: which proxy a host
 * uses (NO_PROXY as curl and Go read it), "did you mean" names, clock skew, what an access token
 * grants, the challenge header, the smallest blob; and the catalog: every language gives every
 * message with exactly the English placeholders (a missing {{ip}} would print a wrong fix).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientIpOf, clockSkewSeconds } from '../../src/cli/checks/connectivity.js';
import { smallestBlob } from '../../src/cli/checks/image-checks.js';
import { healthMessages } from '../../src/cli/checks/messages/health-messages.js';
import { bypassesProxy, httpsProxyOf, proxyFor } from '../../src/cli/checks/probes/proxy.js';
import { parseChallenge } from '../../src/cli/checks/probes/registry-http.js';
import { closest } from '../../src/cli/checks/similar-names.js';
import { grants } from '../../src/cli/checks/token-checks.js';
import { renderFinding } from '../../src/cli/checks/report.js';
import { LANGUAGES } from '../../src/i18n/index.js';

test('NO_PROXY: *, names, domain suffixes with or without a dot, ports, CIDRs', () => {
  const cases: [string, number, string | undefined, boolean][] = [
    ['wharf.wharf.test', 443, undefined, false],
    ['wharf.wharf.test', 443, '', false],
    ['wharf.wharf.test', 443, '*', true],
    ['wharf.wharf.test', 443, 'wharf.wharf.test', true],
    ['wharf.wharf.test', 443, 'WHARF.wharf.test', true],
    ['wharf.wharf.test', 443, 'wharf.test', true],
    ['wharf.wharf.test', 443, '.wharf.test', true],
    ['wharf.wharf.test', 443, '*.wharf.test', true],
    ['notwharf.test', 443, 'wharf.test', false],
    ['wharf.wharf.test', 8443, 'wharf.wharf.test:8443', true],
    ['wharf.wharf.test', 443, 'wharf.wharf.test:8443', false],
    ['127.0.0.5', 443, '127.0.0.0/8', true],
    ['10.1.2.3', 443, '127.0.0.0/8', false],
    ['10.1.2.3', 443, 'localhost, 10.0.0.0/8', true],
    ['registry.example', 443, 'localhost,127.0.0.1', false],
  ];
  for (const [host, port, noProxy, expected] of cases) {
    assert.equal(bypassesProxy(host, port, noProxy), expected, `${host}:${port} with NO_PROXY=${noProxy}`);
  }
});

test('the proxy variables: HTTPS_PROXY before https_proxy before ALL_PROXY; a bare host:port is http; NO_PROXY exempts', () => {
  assert.equal(httpsProxyOf({})?.url, undefined);
  assert.equal(httpsProxyOf({ https_proxy: '127.0.0.1:3128' })?.url.href, 'http://127.0.0.1:3128/');
  assert.equal(httpsProxyOf({ HTTPS_PROXY: 'http://a:1', https_proxy: 'http://b:2' })?.variable, 'HTTPS_PROXY');
  assert.equal(httpsProxyOf({ ALL_PROXY: 'http://c:3' })?.variable, 'ALL_PROXY');
  assert.equal(httpsProxyOf({ HTTPS_PROXY: 'socks5://d:4' }), undefined);
  assert.equal(proxyFor('r.test', 443, { HTTPS_PROXY: 'http://a:1', no_proxy: 'r.test' }), undefined);
  assert.equal(proxyFor('r.test', 443, { HTTPS_PROXY: 'http://a:1' })?.url.host, 'a:1');
});

test('"did you mean": close names first, nothing for unrelated ones', () => {
  assert.deepEqual(closest('wharff', ['wharf', 'other', 'wharf2'], 3), ['wharf', 'wharf2']);
  assert.deepEqual(closest('v1.0', ['v1.0.1', 'v1', 'latest'], 3), ['v1', 'v1.0.1']);
  assert.deepEqual(closest('zzz', ['wharf', 'registry'], 3), []);
  assert.deepEqual(closest('wharf', ['wharf'], 3), [], 'the name itself is no suggestion');
});

test('clock skew from the Date header, in whole seconds, positive when we are ahead', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  assert.equal(clockSkewSeconds('Mon, 23 Nov 2026 12:00:00 GMT', now), 0);
  assert.equal(clockSkewSeconds('Mon, 23 Nov 2026 11:50:00 GMT', now), 600);
  assert.equal(clockSkewSeconds('Mon, 23 Nov 2026 12:07:30 GMT', now), -450);
  assert.equal(clockSkewSeconds(undefined, now), undefined);
  assert.equal(clockSkewSeconds('yesterday', now), undefined);
});

function tokenWith(access: unknown): string {
  return `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ access })).toString('base64url')}.sig`;
}

test('what an access token grants: the action, or *, for the exact type and name', () => {
  const pull = { type: 'repository' as const, name: 'app', action: 'pull' };
  assert.deepEqual(grants(tokenWith([{ type: 'repository', name: 'app', actions: ['pull', 'metadata_read'] }]), pull), {
    granted: true,
    actions: ['pull', 'metadata_read'],
  });
  assert.equal(grants(tokenWith([{ type: 'repository', name: 'app', actions: ['*'] }]), pull).granted, true);
  assert.equal(grants(tokenWith([{ type: 'repository', name: 'app', actions: [] }]), pull).granted, false);
  assert.equal(grants(tokenWith([{ type: 'repository', name: 'other', actions: ['pull'] }]), pull).granted, false);
  assert.equal(grants(tokenWith([]), pull).granted, false);
  assert.equal(grants('not-a-jwt', pull).granted, false);
  assert.equal(grants(tokenWith([{ type: 'registry', name: 'catalog', actions: ['*'] }]), { type: 'registry', name: 'catalog', action: '*' }).granted, true);
});

test('the challenge header and the firewall message', () => {
  assert.deepEqual(parseChallenge('Bearer realm="https://r.test/oauth2/token",service="r.test"'), {
    scheme: 'bearer',
    params: { realm: 'https://r.test/oauth2/token', service: 'r.test' },
  });
  assert.deepEqual(parseChallenge('Basic realm="x"')?.scheme, 'basic');
  assert.equal(parseChallenge(undefined), undefined);
  assert.equal(clientIpOf("client with IP '127.0.0.1' is not allowed access. Refer x to grant access."), '127.0.0.1');
  assert.equal(clientIpOf('client with IP 10.0.0.7 is not allowed access'), '10.0.0.7');
  assert.equal(clientIpOf('denied'), undefined);
});

test('the smallest blob: the smallest layer, else the config', () => {
  const config = { digest: 'sha256:c', size: 10 };
  assert.equal(
    smallestBlob({
      config,
      layers: [
        { digest: 'sha256:a', size: 300 },
        { digest: 'sha256:b', size: 200 },
      ],
    })?.digest,
    'sha256:b',
  );
  assert.equal(smallestBlob({ config, layers: [] })?.digest, 'sha256:c');
  assert.equal(smallestBlob({}), undefined);
});

test('the catalog: every language gives every message with exactly the English placeholders', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
  const english = healthMessages.messages.en;
  for (const language of LANGUAGES) {
    const messages = healthMessages.messages[language] as Record<string, string>;
    assert.deepEqual(Object.keys(messages).sort(), Object.keys(english).sort(), language);
    for (const [key, text] of Object.entries(english)) {
      assert.deepEqual([...new Set(placeholders(messages[key]!))], [...new Set(placeholders(text))], `${language} ${key}: ${messages[key]}`);
      if (
        language !== 'en' &&
        !['labelOk', 'labelCause'].includes(key) &&
        !/^[^a-zA-Z]*$/.test(text) &&
        /[a-z]{4}/.test(text.replace(/\{\{\w+\}\}|wharf [^;(]*|az [^;)]*/g, ''))
      ) {
        assert.notEqual(messages[key], text, `${language} ${key} is not translated`);
      }
    }
  }
});

test("a server's multi-line cause prints as lines in order under its label, no carriage return left to overwrite them", () => {
  const lines = renderFinding(
    {
      check: 'sign-in',
      level: 'error',
      code: 'ENTRA_SIGN_IN_ERROR',
      message: "The identity 'app' could not sign in.",
      cause: 'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: t-1\r\nCorrelation ID: c-1\r\nTimestamp: 2026-12-07 06:00:00Z',
      fix: 'wharf sp credential reset --id app --append',
    },
    { ok: 'OK', errorOccurred: 'An error occurred:', warning: 'Warning:', cause: 'Cause:', fix: 'Fix:' },
  );
  assert.deepEqual(lines, [
    'An error occurred: ENTRA_SIGN_IN_ERROR',
    "The identity 'app' could not sign in.",
    '  Cause: AADSTS7000215: Invalid client secret provided.',
    '    Trace ID: t-1',
    '    Correlation ID: c-1',
    '    Timestamp: 2026-12-07 06:00:00Z',
    '  Fix: wharf sp credential reset --id app --append',
  ]);
});
