/**
 * The blob store suite on the Azure Blob Storage driver, against a throwaway Azurite; plus what
 * only this driver promises: an upload written by one node continues on another, appends are
 * staged in bounded blocks, and a container it cannot reach fails its readiness check clearly.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { AzureBlobStore } from '../../src/storage/blob/azure-blob-store.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { blobStoreSuite } from './blob-store.suite.js';

let azurite: Azurite;
before(async () => {
  azurite = await startAzurite();
});
after(async () => azurite?.stop());

let n = 0;
const newContainer = () => `suite-${process.pid}-${++n}`;
const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

blobStoreSuite('azure', async () => {
  const container = newContainer();
  const store = await new AzureBlobStore({ connectionString: azurite.connectionString, container }).init();
  return { store, dispose: async () => void (await azurite.service.getContainerClient(container).deleteIfExists()) };
});

describe('blob store: azure, its own promises', () => {
  let container: string;
  before(() => (container = newContainer()));

  it('creates its container, and an upload begun on one node continues and commits on another', async () => {
    const first = await new AzureBlobStore({ connectionString: azurite.connectionString, container }).init();
    assert.equal(await azurite.service.getContainerClient(container).exists(), true);
    const second = await new AzureBlobStore({ connectionString: azurite.connectionString, container }).init();
    const id = '0a0a0a0a-1b1b-4c2c-8d3d-4e4e4e4e4e4e';
    // Over one 8 MiB block, so the append stages several blocks.
    const data = randomBytes(9 * 1024 * 1024 + 5);
    await first.createUpload(id);
    const size = await first.appendUpload(id, 0, Readable.from([data.subarray(0, 4096)]), () => undefined);
    const total = await second.appendUpload(id, size, Readable.from([data.subarray(4096)]), () => undefined);
    assert.equal(total, data.length);
    assert.deepEqual(await readAll(second.readUpload(id, 4096)), data.subarray(0, 4096));
    const blocks = await azurite.service.getContainerClient(container).getBlockBlobClient(`uploads/${id}`).getBlockList('committed');
    assert.ok((blocks.committedBlocks ?? []).length >= 3, `one block for the first append, two for the second: ${JSON.stringify(blocks.committedBlocks)}`);
    await first.commitUpload(id, total, sha256(data));
    assert.equal(await second.stat(sha256(data)), data.length);
    assert.equal(await second.digestOf(sha256(data)), sha256(data));
    assert.equal(await first.inspectUpload(id), undefined, 'the upload is gone after its commit');
    const names: string[] = [];
    for await (const item of azurite.service.getContainerClient(container).listBlobsFlat()) names.push(item.name);
    assert.deepEqual(names, [`blobs/sha256/${sha256(data).slice('sha256:'.length)}`]);
  });

  it('cuts an upload back to an offset inside a block, and refuses an offset past what is stored', async () => {
    const store = await new AzureBlobStore({ connectionString: azurite.connectionString, container }).init();
    const id = '1a1a1a1a-2b2b-4c3c-8d4d-5e5e5e5e5e5e';
    await store.createUpload(id);
    await store.appendUpload(id, 0, Readable.from([Buffer.from('abcdef')]), () => undefined);
    await store.appendUpload(id, 6, Readable.from([Buffer.from('ghijkl')]), () => undefined);
    assert.equal(await store.appendUpload(id, 8, Readable.from([Buffer.from('XY')]), () => undefined), 10);
    assert.equal((await readAll(store.readUpload(id, 10))).toString(), 'abcdefghXY');
    await assert.rejects(
      store.appendUpload(id, 11, Readable.from([Buffer.from('Z')]), () => undefined),
      (error: NodeJS.ErrnoException) => error.code === 'EUPLOADSHORT' && /holds 10 bytes, fewer than the 11 acknowledged/.test(error.message),
    );
    await assert.rejects(readAll(store.readUpload(id, 11)), /returned 10 bytes, not the 11 acknowledged/);
    // A commit of fewer bytes than stored keeps exactly the first ones.
    await store.commitUpload(id, 7, sha256(Buffer.from('abcdefg')));
    assert.equal((await readAll(await store.open(sha256(Buffer.from('abcdefg'))))).toString(), 'abcdefg');
  });

  it('of two nodes appending at one offset at once, the later commit fails instead of interleaving bytes', async () => {
    const first = await new AzureBlobStore({ connectionString: azurite.connectionString, container }).init();
    const second = await new AzureBlobStore({ connectionString: azurite.connectionString, container }).init();
    const id = '2a2a2a2a-3b3b-4c4c-8d5d-6e6e6e6e6e6e';
    await first.createUpload(id);
    await first.appendUpload(id, 0, Readable.from([Buffer.from('base|')]), () => undefined);
    const slow = new PassThrough();
    let started!: () => void;
    const reading = new Promise<void>((resolve) => (started = resolve));
    const firstAppend = first.appendUpload(id, 5, slow, () => started());
    slow.write(Buffer.from('first'));
    await reading;
    assert.equal(await second.appendUpload(id, 5, Readable.from([Buffer.from('second')]), () => undefined), 11);
    slow.end();
    await assert.rejects(firstAppend, (error: { statusCode?: number }) => error.statusCode === 412);
    assert.equal((await readAll(second.readUpload(id, 11))).toString(), 'base|second');
  });

  it('a container it cannot reach fails the readiness check with a clear reason', async () => {
    const wrongKey = azurite.connectionString.replace(/AccountKey=[^;]+/, `AccountKey=${randomBytes(64).toString('base64')}`);
    const refused = new AzureBlobStore({ connectionString: wrongKey, container });
    await assert.rejects(
      refused.check(),
      /Azure Blob Storage container suite-\d+-\d+ at http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/suite-\d+-\d+ is not usable: the credentials were refused/,
    );
    const missing = new AzureBlobStore({ connectionString: azurite.connectionString, container: 'never-created' });
    await assert.rejects(missing.check(), /container never-created .* is not usable: the container does not exist/);
  });
});
