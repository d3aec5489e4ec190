/**
 * An import's manifest download has an overall deadline (`import.manifestDeadlineSeconds`):
 * a source registry that sends the response headers and then trickles the body a byte at a
 * time, forever, makes the import fail with a clear ARM error naming the source and the
 * deadline, instead of holding it open; the same holds for a token service that trickles its
 * answer. The source is a local fake registry on loopback (allowed by import.allowedSourceRanges).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../helpers/eventually.js';
import { WharfAdmin } from '../helpers/wharf-admin.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const DEADLINE_SECONDS = 2;

/** Writes a byte every 200 ms until the client goes away; resolves `closed` then. */
function trickle(res: ServerResponse, contentType: string, closed: () => void): void {
  res.writeHead(200, { 'content-type': contentType, 'content-length': '100000' });
  res.write('{');
  const timer = setInterval(() => res.write(' '), 200);
  res.once('close', () => {
    clearInterval(timer);
    closed();
  });
}

describe('image import: the manifest download has a deadline', () => {
  let target: WharfServer;
  let admin: WharfAdmin;
  let registryUri: string;
  const sockets = new Set<Socket>();
  /** Trickled responses the importer has let go of. */
  const released: string[] = [];
  const fake = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    const origin = `http://${req.headers.host}`;
    if (url.startsWith('/token')) return trickle(res, 'application/json', () => released.push('token'));
    if (url.startsWith('/v2/guarded/')) {
      // Behind a Bearer challenge whose token service trickles.
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${origin}/token",service="fake"` }).end();
      return;
    }
    if (/^\/v2\/trickle\/app\/manifests\//.test(url)) {
      return trickle(res, 'application/vnd.oci.image.manifest.v1+json', () => released.push('manifest'));
    }
    res.writeHead(404).end();
  });
  fake.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  before(async () => {
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    registryUri = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    target = await startWharf({ config: { import: { allowedSourceRanges: ['127.0.0.1/32'], manifestDeadlineSeconds: DEADLINE_SECONDS } } });
    admin = new WharfAdmin(target);
  });
  after(async () => {
    await target?.stop();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => fake.close(() => resolve()));
  });

  async function importFrom(sourceImage: string): Promise<{ code: string; message: string; details: { code: string; message: string }[] }> {
    const res = await admin.call('POST', `${admin.registryId}/importImage`, { source: { registryUri, sourceImage }, targetTags: ['deadline:v1'] });
    assert.equal(res.status, 400, res.text());
    return res.json<{ error: { code: string; message: string; details: { code: string; message: string }[] } }>().error;
  }

  it('a manifest trickled forever after its headers fails the import with the deadline, and the source is let go', async () => {
    const error = await importFrom('trickle/app:v1');
    assert.equal(error.code, 'InvalidParameters');
    assert.equal(error.details[0]!.code, 'SourceRegistryUnreachable');
    assert.match(error.message, new RegExp(`source registry 127\\.0\\.0\\.1:\\d+ did not deliver the manifest trickle/app:v1 within ${DEADLINE_SECONDS} s`));
    // The importer closed the connection: nothing keeps reading from the source afterwards.
    await eventually(async () => assert.ok(released.includes('manifest'), 'the trickled manifest response was abandoned'));
    assert.equal((await target.request('/v2/deadline/manifests/v1')).status, 404, 'nothing was imported');
  });

  it('a token service that trickles its answer is under the same deadline', async () => {
    const error = await importFrom('guarded/app:v1');
    assert.equal(error.details[0]!.code, 'SourceRegistryUnreachable');
    assert.match(error.message, new RegExp(`did not deliver the manifest guarded/app:v1 within ${DEADLINE_SECONDS} s`));
  });
});
