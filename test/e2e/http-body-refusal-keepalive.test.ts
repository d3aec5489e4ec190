/**
 * A body refused before it was all read (413 or 400 on a chunked body that is too large) must
 * not leave its connection in limbo: the client gets the error in its protocol's format, and the
 * next request on that keep-alive connection is either answered or meets a closed connection —
 * never silence. Raw sockets, because client libraries would hide or retry the difference.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chunk, head, LAST_CHUNK, RawConnection } from '../helpers/raw-http.js';
import { bootstrapOwner, identityToken, API_VERSION } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const MANIFEST_LIMIT = 64 * 1024;
/** Bounds on every wait: a hang fails the test in seconds. */
const RESPONSE_MS = 10_000;
const NEXT_MS = 5_000;

let w: WharfServer;

before(async () => {
  w = await startWharf({ http: true, config: { manifestMaxBytes: MANIFEST_LIMIT } });
});
after(async () => {
  await w?.stop();
});

/**
 * Sends `headers` and then a chunked body of `bytes` bytes (the server may close early: writes
 * into a closed connection are dropped), reads the answer, then asks again on the same socket.
 */
async function refusedThenAgain(method: string, path: string, headers: Record<string, string>, bytes: number) {
  const connection = await RawConnection.open(w.port);
  try {
    connection.write(head(method, path, { 'transfer-encoding': 'chunked', ...headers }));
    const piece = Buffer.alloc(64 * 1024, 'a');
    for (let sent = 0; sent < bytes && !connection.closed; sent += piece.length) {
      if (!(await connection.writeAll(chunk(piece)))) break;
    }
    connection.write(LAST_CHUNK);
    const refused = await connection.response(RESPONSE_MS);
    assert.ok(refused, `${method} ${path}: the connection closed without an answer`);
    connection.write(head('GET', '/readyz'));
    let next: Awaited<ReturnType<RawConnection['response']>>;
    try {
      next = await connection.response(NEXT_MS);
    } catch (error) {
      assert.fail(`${method} ${path}: after the ${refused.status}, the next request on the connection hung (${(error as Error).message})`);
    }
    if (next === null) {
      // Closing is a fine answer, if the refusal said so.
      assert.equal(refused.headers.connection, 'close', `${method} ${path}: closed without Connection: close`);
    } else {
      assert.equal(next.status, 200, `${method} ${path}: the next request got ${next.status}`);
    }
    return { refused, json: JSON.parse(refused.body) as Record<string, any> };
  } finally {
    connection.destroy();
  }
}

test('a too-large chunked form on POST /oauth2/token: OCI error, then no hang', async () => {
  const { refused, json } = await refusedThenAgain('POST', '/oauth2/token', { 'content-type': 'application/x-www-form-urlencoded' }, 256 * 1024);
  assert.equal(refused.status, 400);
  assert.equal(json.errors[0].code, 'UNSUPPORTED');
  assert.match(json.errors[0].message, /larger than/);
});

test('a too-large chunked PATCH of /acr/v1 tag attributes: OCI error, then no hang', async () => {
  const { refused, json } = await refusedThenAgain('PATCH', '/acr/v1/hello/_tags/v1', { 'content-type': 'application/json' }, 256 * 1024);
  assert.equal(refused.status, 413);
  assert.equal(json.errors[0].code, 'SIZE_INVALID');
});

test('a too-large chunked manifest PUT: 413 SIZE_INVALID, then no hang', async () => {
  const { refused, json } = await refusedThenAgain(
    'PUT',
    '/v2/hello/manifests/v1',
    { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
    MANIFEST_LIMIT + 256 * 1024,
  );
  assert.equal(refused.status, 413);
  assert.equal(json.errors[0].code, 'SIZE_INVALID');
});

test('a too-large chunked form on the identity plane token endpoint: Entra error, then no hang', async () => {
  const owner = bootstrapOwner(w);
  const { refused, json } = await refusedThenAgain(
    'POST',
    `/${owner.tenantId}/oauth2/v2.0/token`,
    { 'content-type': 'application/x-www-form-urlencoded' },
    1024 * 1024 + 256 * 1024,
  );
  assert.equal(refused.status, 400);
  assert.equal(json.error, 'invalid_request');
  assert.match(json.error_description, /larger than/);
});

test('a too-large chunked JSON body on the management plane: ARM error, then no hang', async () => {
  const owner = bootstrapOwner(w);
  const token = await identityToken(w, owner);
  const registry = `/subscriptions/${owner.subscriptionId}/resourceGroups/${owner.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/wharf`;
  const { refused, json } = await refusedThenAgain(
    'PATCH',
    `${registry}?api-version=${API_VERSION}`,
    { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    1024 * 1024 + 256 * 1024,
  );
  assert.equal(refused.status, 413);
  assert.equal(json.error.code, 'RequestEntityTooLarge');
});
