/**
 * The network gate judges a request by the route it reaches, however its path is spelled:
 * percent-escaped prefixes (`/%762/` is `/v2/` to the router) and absolute-form request lines
 * (`GET https://host/oauth2/token HTTP/1.1`) get the same 403 as the plain paths. A token
 * request must also name the registry of the login server it is sent to.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { request as httpsRequest } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const FIREWALL = "client with IP '127.0.0.1' is not allowed access. Refer docs/network-access.md#firewall to grant access.";

interface RawResponse {
  status: number;
  body: string;
}

let w: WharfServer;
let ca: string;

/** A request whose path is sent exactly as written (no client-side normalization). */
function rawGet(path: string, host = `127.0.0.1:${w.port}`): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port: w.port, path, method: 'GET', ca, headers: { host }, servername: 'localhost' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.end();
  });
}

/** An absolute-form request line, written on a TLS socket by hand. */
function absoluteFormGet(target: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: w.port, ca, servername: 'localhost' }, () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${w.port}\r\nConnection: close\r\n\r\n`);
    });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('absolute-form request timed out')));
  });
}

function assertFirewall(response: RawResponse, what: string): void {
  assert.equal(response.status, 403, `${what}: ${response.body}`);
  assert.ok(response.body.includes(FIREWALL), `${what}: ${response.body}`);
}

describe('the network gate and the spelling of a request', () => {
  before(async () => {
    w = await startWharf({ secure: true });
    ca = readFileSync(w.caFile!, 'utf8');
    const admin = new WharfAdmin(w);
    await admin.ok('PATCH', admin.registryId, { sku: { name: 'Premium' } });
    // Only 127.0.0.2 may enter; the tests come from 127.0.0.1 (force: the caller is shut out too).
    // Without the trusted-service bypass every refused request is a 403 at once.
    await admin.ok('PATCH', `${admin.registryId}?force=true`, {
      properties: { networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '127.0.0.2' }] }, networkRuleBypassOptions: 'None' },
    });
  });
  after(async () => {
    await w?.stop();
  });

  it('percent-escaped data-plane prefixes get the 403 like the plain ones', async () => {
    assertFirewall(await rawGet('/v2/'), '/v2/');
    assertFirewall(await rawGet('/%762/'), '/%762/');
    assertFirewall(await rawGet('/v2/_catalog'), '/v2/_catalog');
    assertFirewall(await rawGet('/%762/_catalog'), '/%762/_catalog');
    assertFirewall(await rawGet('/%76%32/x/manifests/latest'), '/%76%32/x/manifests/latest');
    assertFirewall(await rawGet('/%61cr/v1/_catalog'), '/%61cr/v1/_catalog');
    assertFirewall(await rawGet('/%6fauth2/token?service=localhost'), '/%6fauth2/token');
  });

  it('an absolute-form request line gets the 403', async () => {
    assertFirewall(await absoluteFormGet(`https://127.0.0.1:${w.port}/oauth2/token?service=localhost`), 'absolute-form /oauth2/token');
    assertFirewall(await absoluteFormGet(`https://127.0.0.1:${w.port}/v2/`), 'absolute-form /v2/');
  });

  it('a token request sent to a host that is no login server is refused, whatever its service names', async () => {
    const response = await rawGet('/oauth2/token?service=wharf.localhost&scope=registry:catalog:*', 'no-such-registry.example');
    assert.equal(response.status, 404, response.body);
    assert.match(response.body, /NAME_UNKNOWN/);
    assert.ok(!response.body.includes('access_token'), response.body);
  });
});
