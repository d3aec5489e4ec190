/**
 * Slow clients cannot hold the server: request headers and small bodies have deadlines, any body
 * (uploads too) a minimum pace over a window, and one client address a limit of open
 * connections. The server runs with a low file-descriptor limit (prlimit), short limits given
 * through the environment, and is driven through raw sockets from several loopback addresses:
 * the slow client from 127.0.0.3 and 127.0.0.4, the legitimate one from 127.0.0.2.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { READY_PATH, serveArgs } from '../helpers/contract.js';
import { head, RawConnection } from '../helpers/raw-http.js';
import { tempDir } from '../helpers/tmp.js';
import { freePort, launch, type WharfServer } from '../helpers/wharf-server.js';

/** Enough to start (the module loader opens many files at once), fewer than the flood below opens. */
const FD_LIMIT = 512;
const PER_ADDRESS = 16;
const FLOOD = 600;
const LIMITS = {
  WHARF_HEADERS_TIMEOUT_SECONDS: '2',
  WHARF_BODY_IDLE_TIMEOUT_SECONDS: '2',
  WHARF_SMALL_BODY_TIMEOUT_SECONDS: '3',
  WHARF_BODY_MIN_BYTES_PER_SECOND: '1000',
  WHARF_BODY_RATE_WINDOW_SECONDS: '3',
  WHARF_MAX_CONNECTIONS_PER_ADDRESS: String(PER_ADDRESS),
};
/** Generous bounds on every wait: a server that never cuts fails the test, it does not hang it. */
const CUT_MS = 15_000;

let w: WharfServer;

before(async () => {
  const dataDir = tempDir('data');
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  w = await launch({
    command: 'prlimit',
    args: [`--nofile=${FD_LIMIT}`, process.execPath, ...serveArgs({ dataDir, port, http: true, extra: [] })],
    env: { WHARF_OPEN_ACCESS: 'true', ...LIMITS },
    port,
    dataDir,
    http: true,
    readyPath: READY_PATH,
    options: { http: true, dataDir, port },
    name: 'wharf',
  });
});
after(async () => {
  await w?.stop();
});

const SIGN_IN = 'grant_type=password&service=wharf.localhost&scope=repository%3Ahello%3Apull';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** An (anonymous) sign-in at the token endpoint from `address`: the status it got. */
async function signIn(address: string): Promise<number> {
  const connection = await RawConnection.open(w.port, address);
  try {
    connection.write(head('POST', '/oauth2/token', { ...FORM, 'content-length': String(SIGN_IN.length) }) + SIGN_IN);
    const response = await connection.response(CUT_MS);
    assert.ok(response, 'the sign-in connection closed without an answer');
    if (response.status === 200) assert.ok(JSON.parse(response.body).access_token);
    return response.status;
  } finally {
    connection.destroy();
  }
}

/** Sends `bytes` one small piece at a time until the server answers or closes (bounded). */
async function trickle(connection: RawConnection, piece: string, everyMs: number): Promise<void> {
  const deadline = Date.now() + CUT_MS;
  while (!connection.closed && Date.now() < deadline) {
    connection.write(piece);
    if (await connection.closes(everyMs)) return;
  }
}

test('a sign-in form trickled byte by byte is answered 408 in the OCI format and the connection closed', async () => {
  const connection = await RawConnection.open(w.port, '127.0.0.4');
  connection.write(head('POST', '/oauth2/token', { ...FORM, 'content-length': '500' }));
  await trickle(connection, 'g', 400);
  assert.ok(connection.closed, `still open after ${CUT_MS} ms`);
  const response = await connection.response(0);
  assert.ok(response, 'closed without an answer, though none of the response had been started');
  assert.equal(response.status, 408);
  const error = JSON.parse(response.body).errors[0];
  assert.equal(error.code, 'UNSUPPORTED');
  assert.match(error.message, /^The request timed out: /);
  assert.match(w.logs(), /request cut: The request timed out/);
});

test('request headers that never finish are answered 408 and the connection closed', async () => {
  const connection = await RawConnection.open(w.port, '127.0.0.4');
  connection.write('GET /v2/ HTTP/1.1\r\nHost: wharf.localhost\r\n');
  await trickle(connection, 'X', 500);
  assert.ok(connection.closed, `still open after ${CUT_MS} ms`);
  const response = await connection.response(0);
  assert.ok(response);
  assert.equal(response.status, 408);
  assert.match(JSON.parse(response.body).errors[0].message, /headers did not arrive in full within 2 s/);
});

test('an upload trickling far below the minimum rate is cut; one at a slow but real pace outlives every fixed limit', async () => {
  const started = await w.request('/v2/slow/blobs/uploads/', { method: 'POST' });
  assert.equal(started.status, 202);
  const location = started.headers.location!;

  // 100 bytes a second against a minimum of 1000: cut once the 3 s window has passed.
  const slow = await RawConnection.open(w.port, '127.0.0.4');
  slow.write(head('PATCH', location, { 'content-type': 'application/octet-stream', 'content-length': '10000000' }));
  await trickle(slow, 'x'.repeat(50), 500);
  assert.ok(slow.closed, `a 100 B/s upload was still open after ${CUT_MS} ms`);
  // The log line travels through the server's stdout pipe: it may land just after the socket closes.
  const cutLine = /request cut: The request timed out: its body arrived at [\d.]+ bytes per second/;
  for (let waited = 0; waited < 5000 && !cutLine.test(w.logs()); waited += 100) await sleep(100);
  assert.match(w.logs(), cutLine);

  // 4000 bytes a second for 4 s: longer than the small-body time and the rate window, and never idle.
  const fresh = await w.request('/v2/slow/blobs/uploads/', { method: 'POST' });
  const good = await RawConnection.open(w.port, '127.0.0.4');
  const pieces = 8;
  const piece = 'y'.repeat(2000);
  good.write(head('PATCH', fresh.headers.location!, { 'content-type': 'application/octet-stream', 'content-length': String(pieces * piece.length) }));
  for (let i = 0; i < pieces; i++) {
    good.write(piece);
    await sleep(500);
  }
  const accepted = await good.response(CUT_MS);
  good.destroy();
  assert.ok(accepted, 'the slow but steady upload was cut');
  assert.equal(accepted.status, 202, accepted.body);
  assert.equal(accepted.headers.range, `0-${pieces * piece.length - 1}`);
});

test(`one address holds at most ${PER_ADDRESS} connections, so a flood of slow ones under a low descriptor limit blocks no sign-in`, async () => {
  const flood: RawConnection[] = [];
  try {
    // What the tester did: connections that send their headers and then trickle a body.
    for (let i = 0; i < FLOOD; i++) {
      const connection = await RawConnection.open(w.port, '127.0.0.3').catch(() => undefined);
      if (!connection) continue;
      connection.write(head('POST', '/oauth2/token', { ...FORM, 'content-length': '1000' }) + 'g');
      flood.push(connection);
    }
    // The ones over the limit are closed at once, not when a timeout strikes.
    const deadline = Date.now() + CUT_MS;
    while (flood.filter((c) => !c.closed).length > PER_ADDRESS && Date.now() < deadline) await sleep(50);
    const held = flood.filter((c) => !c.closed).length;
    assert.equal(held, PER_ADDRESS, `one address holds ${held} connections`);
    assert.match(w.logs(), /connection refused: address 127\.0\.0\.3 already holds 16 open connections/);

    assert.equal(await signIn('127.0.0.2'), 200, 'a sign-in from another address during the flood');
    // Once the slow ones are cut, their address may sign in too.
    for (const connection of flood) await connection.closes(CUT_MS);
    assert.equal(await signIn('127.0.0.3'), 200, 'a sign-in from the flooding address afterwards');
  } finally {
    for (const connection of flood) connection.destroy();
  }
});
