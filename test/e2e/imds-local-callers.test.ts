/**
 * The managed identity endpoint (IMDS) answers only callers on this machine: the socket's peer
 * is loopback, it is not a configured reverse proxy, and no forwarding header says the request
 * came from elsewhere. Behind a local proxy (network.trustedProxies), X-Forwarded-For must not
 * turn a remote caller into the host identity — nor must the proxy's own loopback address.
 * Requests from several loopback addresses through raw sockets, so headers go as written.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { head, RawConnection, type RawResponse } from '../helpers/raw-http.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

/** The local reverse proxy. */
const PROXY = '127.0.0.5';
const IMDS = '/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com';

let w: WharfServer;

before(async () => {
  w = await startWharf({ http: true, secure: true, config: { network: { trustedProxies: [PROXY] } } });
});
after(async () => {
  await w?.stop();
});

async function imds(from: string, headers: Record<string, string> = {}, path = IMDS): Promise<RawResponse> {
  const connection = await RawConnection.open(w.port, from);
  try {
    connection.write(head('GET', path, { host: 'localhost', metadata: 'true', ...headers }));
    const response = await connection.response(10_000);
    assert.ok(response, 'closed without an answer');
    return response;
  } finally {
    connection.destroy();
  }
}

test('a caller on this machine, straight to the socket, gets a token for the host identity', async () => {
  const response = await imds('127.0.0.2');
  assert.equal(response.status, 200, response.body);
  assert.ok(JSON.parse(response.body).access_token);
});

test('a remote client relayed by the trusted local proxy (X-Forwarded-For) is refused', async () => {
  const response = await imds(PROXY, { 'x-forwarded-for': '203.0.113.9' });
  assert.equal(response.status, 403, response.body);
  const body = JSON.parse(response.body);
  assert.equal(body.error, 'access_denied');
  assert.match(body.error_description, /X-Forwarded-For/);
  assert.equal(body.access_token, undefined);
});

test('the trusted proxy itself is refused, even without forwarding headers: it speaks for others', async () => {
  const response = await imds(PROXY);
  assert.equal(response.status, 403, response.body);
  assert.match(JSON.parse(response.body).error_description, /127\.0\.0\.5 is a trusted proxy/);
});

test('any forwarding header from a loopback peer means a relayed caller, and is refused', async () => {
  for (const [name, value] of [
    ['forwarded', 'for=203.0.113.9'],
    ['x-real-ip', '203.0.113.9'],
    ['x-forwarded-for', '127.0.0.1'],
  ] as const) {
    const response = await imds('127.0.0.2', { [name]: value });
    assert.equal(response.status, 403, `${name}: ${response.body}`);
    assert.equal(JSON.parse(response.body).error, 'access_denied');
  }
});

test('a resource id that does not percent-decode (%zz) is a 400 in IMDS format, not a 500', async () => {
  const resourceId = '/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/%zz';
  const response = await imds('127.0.0.2', {}, `${IMDS}&msi_res_id=${encodeURIComponent(resourceId)}`);
  assert.equal(response.status, 400, response.body);
  const body = JSON.parse(response.body);
  assert.equal(body.error, 'invalid_request');
  assert.match(body.error_description, /%zz/);
});
