/**
 * Operations through the wire: liveness, readiness, Prometheus metrics, the request id in the
 * response and in the log line, and purging of abandoned upload sessions.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { readdirSync, rmSync } from 'node:fs';
import { errorCodes, sha256 } from '../helpers/http.js';
import { locationPath, pushBlob, startUpload } from '../helpers/registry-api.js';
import { tempDir } from '../helpers/tmp.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

describe('operations endpoints and logs', () => {
  let server: WharfServer;
  before(async () => {
    server = await startWharf({ args: ['--log-level', 'info'] });
  });
  after(async () => server?.stop());

  it('answers liveness and readiness with the state of both stores', async () => {
    const live = await server.request('/healthz');
    assert.equal(live.status, 200);
    const ready = await server.request('/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.json(), { status: 'ready', checks: { metadata: 'ok', blobs: 'ok' } });
  });

  it('counts requests by route and status in Prometheus metrics', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await server.request('/v2/ops/app/manifests/missing')).status, 404);
    const metrics = await server.request('/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers['content-type']!, /text\/plain/);
    const line = metrics
      .text()
      .split('\n')
      .find((l) => l.startsWith('wharf_http_requests_total{method="GET",route="manifest",status="404"}'));
    assert.ok(line, metrics.text().slice(0, 2000));
    assert.ok(Number(line.split(' ').pop()) >= 3);
    assert.match(metrics.text(), /wharf_http_request_duration_seconds_bucket\{/);
    assert.match(metrics.text(), /wharf_process_resident_memory_bytes/);
  });

  it("returns a request id that finds the request's log line", async () => {
    const res = await server.request('/v2/ops/app/tags/list');
    assert.deepEqual(errorCodes(res), ['NAME_UNKNOWN']);
    const id = res.headers['x-request-id'];
    assert.match(id ?? '', /^[0-9a-f-]{36}$/);
    await sleep(200);
    const line = server
      .logs()
      .split('\n')
      .find((l) => l.includes(id!));
    assert.ok(line, 'a log line carries the request id');
    const entry = JSON.parse(line) as Record<string, unknown>;
    assert.equal(entry.requestId, id);
    assert.equal(entry.status, 404);
    assert.equal(entry.route, 'tags');
  });
});

describe('a blob store that lost a file', () => {
  it('answers 404 BLOB_UNKNOWN with a clean body, and keeps serving', async () => {
    const server = await startWharf({ http: true });
    try {
      const data = Buffer.from('content that will vanish from disk');
      const digest = sha256(data);
      assert.equal((await pushBlob(server, 'lost/file', data)).status, 201);
      rmSync(join(server.dataDir, 'blobs', 'sha256', digest.slice(7, 9), digest.slice(7)));
      const res = await server.request(`/v2/lost/file/blobs/${digest}`);
      assert.equal(res.status, 404);
      assert.deepEqual(errorCodes(res), ['BLOB_UNKNOWN']);
      assert.equal(res.headers['content-length'], String(res.body.length));
      assert.equal((await server.request('/v2/')).status, 200);
    } finally {
      await server.stop();
    }
  });
});

describe('abandoned upload sessions', () => {
  it('are purged after the configured idle time, with their scratch files', async () => {
    const config = join(tempDir('config'), 'wharf.json');
    // About 1.8 seconds.
    writeFileSync(config, JSON.stringify({ uploads: { purgeAfterHours: 0.0005 } }));
    const server = await startWharf({ http: true, args: ['--config', config] });
    try {
      const post = await startUpload(server, 'purge/me');
      assert.equal(post.status, 202);
      const session = locationPath(server, post.headers.location);
      assert.equal((await server.request(session)).status, 204);
      assert.equal(readdirSync(join(server.dataDir, 'uploads')).length, 1);
      let status = 204;
      for (let i = 0; i < 40 && status === 204; i++) {
        await sleep(250);
        status = (await server.request(session)).status;
      }
      const gone = await server.request(session);
      assert.equal(gone.status, 404);
      assert.deepEqual(errorCodes(gone), ['BLOB_UPLOAD_UNKNOWN']);
      assert.deepEqual(readdirSync(join(server.dataDir, 'uploads')), []);
    } finally {
      await server.stop();
    }
  });
});
