/**
 * How token requests name what they want (scope / resource parameters, per endpoint flavor and
 * grant), which Entra error each malformed request gets, and which callers count as loopback
 * for the managed identity endpoint.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EntraError } from '../../src/identity/entra-errors.js';
import { isLoopback } from '../../src/identity/http.js';
import { parseRequestedAccess } from '../../src/identity/token-scopes.js';

type Input = Parameters<typeof parseRequestedAccess>[0];

function access(input: Partial<Input>) {
  return parseRequestedAccess({ flavor: 'v2', grantType: 'client_credentials', scope: undefined, resource: undefined, ...input });
}

function refusal(input: Partial<Input>): string {
  try {
    access(input);
  } catch (error) {
    assert.ok(error instanceof EntraError, String(error));
    return `${error.status} ${error.error} ${error.code}`;
  }
  assert.fail('expected a refusal');
}

describe('requested access (scope and resource)', () => {
  it('takes the resource of <resource>/.default as given, trailing slash included', () => {
    assert.equal(access({ scope: 'https://management.azure.com/.default' }).resource, 'https://management.azure.com');
    assert.equal(access({ scope: 'https://management.core.windows.net//.default' }).resource, 'https://management.core.windows.net/');
    assert.equal(access({ scope: 'https://127.0.0.1:8443/.default' }).resource, 'https://127.0.0.1:8443');
    assert.equal(access({ scope: '  api://wharf/.DEFAULT  ' }).resource, 'api://wharf');
  });

  it('separates OpenID Connect scopes from the resource for users', () => {
    const result = access({ grantType: 'password', scope: 'https://containerregistry.azure.net/.default openid profile offline_access' });
    assert.equal(result.resource, 'https://containerregistry.azure.net');
    assert.deepEqual([...result.oidc].sort(), ['offline_access', 'openid', 'profile']);
    assert.equal(result.scope, 'https://containerregistry.azure.net/.default openid profile offline_access');
  });

  it('accepts delegated permissions on one resource for users, not for client credentials', () => {
    const result = access({ grantType: 'password', scope: 'https://management.azure.com/user_impersonation openid' });
    assert.equal(result.resource, 'https://management.azure.com');
    assert.deepEqual(result.permissions, ['user_impersonation']);
    assert.equal(refusal({ scope: 'https://management.azure.com/user_impersonation' }), '400 invalid_scope AADSTS1002012');
  });

  it('answers Entra codes for missing, invalid and multi-resource scopes', () => {
    assert.equal(refusal({ scope: undefined }), '400 invalid_request AADSTS900144');
    assert.equal(refusal({ scope: '   ' }), '400 invalid_request AADSTS900144');
    assert.equal(refusal({ scope: 'openid profile' }), '400 invalid_scope AADSTS1002012');
    assert.equal(refusal({ grantType: 'password', scope: 'openid profile' }), '400 invalid_scope AADSTS70011');
    assert.equal(refusal({ grantType: 'password', scope: 'User.Read' }), '400 invalid_scope AADSTS70011');
    assert.equal(refusal({ scope: '/.default' }), '400 invalid_scope AADSTS70011');
    assert.equal(refusal({ scope: 'https://a/.default https://b/.default' }), '400 invalid_request AADSTS28000');
  });

  it('reads v1 requests from resource=, and ADFS from either', () => {
    assert.equal(access({ flavor: 'v1', resource: 'https://management.core.windows.net/' }).resource, 'https://management.core.windows.net/');
    assert.equal(refusal({ flavor: 'v1', scope: 'https://a/.default' }), '400 invalid_request AADSTS900144');
    assert.equal(access({ flavor: 'adfs', resource: 'https://management.core.windows.net/' }).resource, 'https://management.core.windows.net/');
    assert.equal(access({ flavor: 'adfs', scope: 'https://management.core.windows.net//.default' }).resource, 'https://management.core.windows.net/');
  });

  it("lets a refresh fall back to the refresh token's resource", () => {
    assert.equal(access({ grantType: 'refresh_token', fallbackResource: 'https://x' }).resource, 'https://x');
    assert.equal(access({ grantType: 'refresh_token', scope: 'openid', fallbackResource: 'https://x' }).resource, 'https://x');
    assert.equal(access({ flavor: 'v1', grantType: 'refresh_token', fallbackResource: 'https://x' }).resource, 'https://x');
  });
});

describe('loopback callers', () => {
  it('accepts 127.0.0.0/8, ::1 and IPv4-mapped loopback only', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']) assert.ok(isLoopback(address), address);
    for (const address of ['10.0.0.1', '192.168.1.1', '::ffff:10.0.0.1', '::2', 'fe80::1', '', undefined, '128.0.0.1', 'localhost']) {
      assert.ok(!isLoopback(address), String(address));
    }
  });
});
