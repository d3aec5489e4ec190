/** Logic with many cases: docker scopes, grants and their intersection, scope-map actions, Basic/Bearer headers, throttling. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ALL_GRANTS, intersect, matchesPattern, missingActions, NO_GRANTS, type GrantSet } from '../../src/access/grants.js';
import { parseScopeMapAction } from '../../src/access/scope-maps.js';
import { formatScope, parseScope, parseScopes } from '../../src/access/scopes.js';
import { parseAuthorization } from '../../src/auth/data-plane-auth.js';
import { LoginThrottle } from '../../src/access/login-throttle.js';
import { roleById, roleByName } from '../../src/access/roles.js';
import { englishReason, reason, renderReason } from '../../src/access/decision.js';

describe('docker scopes', () => {
  const cases: [string, ReturnType<typeof parseScope>][] = [
    ['repository:samples/hello:pull', { type: 'repository', name: 'samples/hello', actions: ['pull'] }],
    ['repository:a/b/c:pull,push', { type: 'repository', name: 'a/b/c', actions: ['pull', 'push'] }],
    ['repository:x:pull,pull', { type: 'repository', name: 'x', actions: ['pull'] }],
    ['registry:catalog:*', { type: 'registry', name: 'catalog', actions: ['*'] }],
    ['registry:None:*', { type: 'registry', name: 'None', actions: ['*'] }],
    ['artifact-repository:charts:pull', { type: 'artifact-repository', name: 'charts', actions: ['pull'] }],
    ['repository:host:5000/x:pull', { type: 'repository', name: 'host:5000/x', actions: ['pull'] }],
    ['repository:x:', undefined],
    ['repository::pull', undefined],
    ['nonsense', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of cases) {
    test(`parses '${text}'`, () => assert.deepEqual(parseScope(text), expected));
  }

  test('several scope parameters, space-separated scopes, and merging', () => {
    assert.deepEqual(parseScopes(['repository:a:pull repository:b:push', 'repository:a:push', 'junk']), [
      { type: 'repository', name: 'a', actions: ['pull', 'push'] },
      { type: 'repository', name: 'b', actions: ['push'] },
    ]);
    assert.equal(formatScope({ type: 'repository', name: 'a/b', actions: ['pull', 'push'] }), 'repository:a/b:pull,push');
  });
});

const ACR_PULL = reason('grantSourceRole', { role: 'AcrPull', where: reason('grantAtRegistry') });
const MAP_M = reason('grantSourceScopeMap', { scopeMap: 'm' });

describe('grants', () => {
  test('where a grant came from reads in each language; the English text is the one the audit rows always had', () => {
    assert.equal(englishReason(ACR_PULL), 'role AcrPull at the registry');
    assert.equal(englishReason(MAP_M), 'scope map m');
    assert.equal(renderReason(ACR_PULL, 'fr'), 'le rôle AcrPull au niveau du registre');
    assert.equal(renderReason(ACR_PULL, 'pl'), 'rola AcrPull w zakresie rejestru');
    const repository = reason('grantSourceRole', { role: 'AcrPush', where: reason('grantAtRepository', { repository: 'team/*' }) });
    assert.equal(englishReason(repository), "role AcrPush at repository 'team/*'");
    assert.equal(renderReason(repository, 'pt-BR'), "a função AcrPush no repositório 'team/*'");
    assert.equal(
      renderReason(reason('grantsAllow', { sources: [ACR_PULL, MAP_M], scope: 'pull' }), 'sv'),
      'rollen AcrPull på registret, omfångsmappningen m tillåter pull',
    );
  });

  const pullOnly: GrantSet = {
    repositories: [{ pattern: '*', actions: new Set(['pull', 'metadata_read']), source: ACR_PULL }],
    catalog: true,
    sources: [ACR_PULL],
  };
  const teamOnly: GrantSet = {
    repositories: [{ pattern: 'team/*', actions: new Set(['pull', 'push']), source: MAP_M }],
    catalog: false,
    sources: [MAP_M],
  };

  test('patterns: * spans slashes, exact names match only themselves', () => {
    assert.ok(matchesPattern('*', 'a/b/c'));
    assert.ok(matchesPattern('team/*', 'team/app/api'));
    assert.ok(!matchesPattern('team/*', 'teams/app'));
    assert.ok(matchesPattern('a*c', 'abc'));
    assert.ok(!matchesPattern('a.c', 'abc'), 'dots are literal');
    assert.ok(matchesPattern('samples/hello', 'samples/hello'));
    assert.ok(!matchesPattern('samples/hello', 'samples/hello2'));
  });

  test('an access token carries requested ∩ granted', () => {
    assert.deepEqual(intersect(pullOnly, [{ type: 'repository', name: 'x', actions: ['pull', 'push'] }]), [
      { type: 'repository', name: 'x', actions: ['pull'] },
    ]);
    assert.deepEqual(intersect(pullOnly, [{ type: 'repository', name: 'x', actions: ['*'] }]), [
      { type: 'repository', name: 'x', actions: ['pull', 'metadata_read'] },
    ]);
    assert.deepEqual(intersect(teamOnly, [{ type: 'repository', name: 'other', actions: ['pull'] }]), []);
    assert.deepEqual(intersect(teamOnly, [{ type: 'repository', name: 'team/a', actions: ['push', 'delete'] }]), [
      { type: 'repository', name: 'team/a', actions: ['push'] },
    ]);
  });

  test('the catalog needs the catalog grant and the * action; other registry scopes are never granted', () => {
    assert.deepEqual(intersect(pullOnly, [{ type: 'registry', name: 'catalog', actions: ['*'] }]), [{ type: 'registry', name: 'catalog', actions: ['*'] }]);
    assert.deepEqual(intersect(teamOnly, [{ type: 'registry', name: 'catalog', actions: ['*'] }]), []);
    assert.deepEqual(intersect(ALL_GRANTS(reason('grantSourceAdminUser')), [{ type: 'registry', name: 'None', actions: ['*'] }]), []);
    assert.deepEqual(intersect(NO_GRANTS, [{ type: 'repository', name: 'x', actions: ['pull'] }]), []);
  });

  test('missing actions of a held access claim', () => {
    const held = [{ type: 'repository', name: 'x', actions: ['pull'] }];
    assert.deepEqual(missingActions(held, { type: 'repository', name: 'x', actions: ['push'] }), ['push']);
    assert.deepEqual(missingActions(held, { type: 'repository', name: 'x', actions: ['pull'] }), []);
    assert.deepEqual(missingActions(held, { type: 'repository', name: 'y', actions: ['pull'] }), ['pull']);
    assert.deepEqual(missingActions([{ type: 'repository', name: 'x', actions: ['*'] }], { type: 'repository', name: 'x', actions: ['delete'] }), []);
  });
});

describe('scope map actions', () => {
  test('valid actions translate to registry actions', () => {
    assert.deepEqual(parseScopeMapAction('repositories/samples/hello/content/read'), { repository: 'samples/hello', action: 'pull' });
    assert.deepEqual(parseScopeMapAction('repositories/a/content/write'), { repository: 'a', action: 'push' });
    assert.deepEqual(parseScopeMapAction('repositories/a/content/delete'), { repository: 'a', action: 'delete' });
    assert.deepEqual(parseScopeMapAction('Repositories/A/Metadata/Read'), { repository: 'a', action: 'metadata_read' });
    assert.deepEqual(parseScopeMapAction('repositories/team/*/metadata/write'), { repository: 'team/*', action: 'metadata_write' });
    assert.deepEqual(parseScopeMapAction('repositories/*/content/read'), { repository: '*', action: 'pull' });
  });
  for (const bad of ['repositories/a/content/execute', 'repos/a/content/read', 'repositories//content/read', 'content/read']) {
    test(`rejects '${bad}' as no scope map action`, () => assert.deepEqual(parseScopeMapAction(bad), { problem: 'notAction', text: bad }));
  }
  test("rejects 'repositories/A B/content/read' for its repository", () =>
    assert.deepEqual(parseScopeMapAction('repositories/A B/content/read'), {
      problem: 'badRepository',
      text: 'repositories/A B/content/read',
      repository: 'a b',
    }));
});

describe('Authorization header', () => {
  const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
  test('Basic, Bearer, none and malformed', () => {
    assert.deepEqual(parseAuthorization(undefined), { scheme: 'none' });
    assert.deepEqual(parseAuthorization(basic(':')), { scheme: 'none' }, "skopeo's empty credentials");
    assert.deepEqual(parseAuthorization(basic('user:pa:ss')), { scheme: 'basic', username: 'user', password: 'pa:ss' });
    assert.deepEqual(parseAuthorization('bearer abc.def'), { scheme: 'bearer', token: 'abc.def' });
    assert.equal(parseAuthorization('Bearer ').scheme, 'invalid');
    assert.equal(parseAuthorization(basic('nocolon')).scheme, 'invalid');
    assert.equal(parseAuthorization('Digest x').scheme, 'invalid');
  });
});

describe('failed-login throttle', () => {
  test('locks the address-and-identity pair, not the identity everywhere; identities compare without case', () => {
    const throttle = new LoginThrottle(3, 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      assert.equal(throttle.check('10.0.0.1', 'alice', t0).limited, false);
      throttle.fail('10.0.0.1', i === 0 ? 'ALICE ' : 'alice', t0);
    }
    const verdict = throttle.check('10.0.0.1', 'Alice', t0 + 1000);
    assert.equal(verdict.limited, true, 'the pair is locked, whatever the case of the name');
    assert.deepEqual(verdict.key, { kind: 'identity', address: '10.0.0.1', identity: 'alice' });
    assert.equal(verdict.retryAfter, 59);
    assert.equal(throttle.check('10.0.0.2', 'alice', t0 + 1000).limited, false, 'alice stays usable from an address that has not failed');
    assert.equal(throttle.check('10.0.0.1', 'bob', t0 + 1000).limited, false, 'the address may still try others, up to three times the limit');
    assert.equal(throttle.check('10.0.0.1', 'alice', t0 + 60_001).limited, false, 'the first lock-out lasts one window');
  });

  test('each further lock-out of the same pair lasts twice as long; a success clears it', () => {
    const throttle = new LoginThrottle(2, 10_000);
    let now = 0;
    const trip = () => {
      for (let i = 0; i < 2; i++) throttle.fail('10.0.0.9', 'eve', now);
    };
    trip();
    assert.equal(throttle.check('10.0.0.9', 'eve', now).retryAfter, 10);
    now += 10_001;
    trip();
    assert.equal(throttle.check('10.0.0.9', 'eve', now).retryAfter, 20);
    now += 20_001;
    trip();
    assert.equal(throttle.check('10.0.0.9', 'eve', now).retryAfter, 40);
    now += 40_001;
    const attempt = throttle.begin('10.0.0.9', 'eve', now);
    assert.equal(attempt.limited, false);
    if (!attempt.limited) attempt.attempt.succeeded(now);
    trip();
    assert.equal(throttle.check('10.0.0.9', 'eve', now).retryAfter, 10, 'back to one window after a success');
  });

  test('the address is limited across identities at three times the limit (password spraying)', () => {
    const throttle = new LoginThrottle(3, 60_000);
    for (let i = 0; i < 9; i++) throttle.fail('10.0.0.5', `user-${i}`, 0);
    const verdict = throttle.check('10.0.0.5', 'someone-new', 1000);
    assert.equal(verdict.limited, true);
    assert.deepEqual(verdict.key, { kind: 'address', address: '10.0.0.5' });
  });

  test('attempts under way count at once: a burst cannot start more checks than the limit allows', () => {
    const throttle = new LoginThrottle(10, 60_000);
    const started = Array.from({ length: 200 }, () => throttle.begin('10.0.0.7', 'wharf', 0));
    const running = started.filter((a) => !a.limited);
    assert.equal(running.length, 10);
    for (const a of running) if (!a.limited) a.attempt.failed(0);
    assert.equal(throttle.check('10.0.0.7', 'wharf', 1).limited, true);
    // Settling twice counts once.
    const another = new LoginThrottle(2, 60_000);
    const one = another.begin('10.0.0.8', 'x', 0);
    if (!one.limited) {
      one.attempt.failed(0);
      one.attempt.failed(0);
    }
    assert.equal(another.check('10.0.0.8', 'x', 1).limited, false);
  });
});

describe('roles', () => {
  test('by name (any case) and by role definition id', () => {
    assert.equal(roleByName('acrpull')?.name, 'AcrPull');
    assert.equal(roleById('/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/8311e382-0749-4cb8-b61a-304f252e45ec')?.name, 'AcrPush');
    assert.equal(roleByName('Superuser'), undefined);
    assert.deepEqual(roleByName('AcrPull')?.repositoryActions, ['pull', 'metadata_read']);
    assert.equal(roleByName('AcrPush')?.repositoryActions.includes('delete'), false);
  });
});
