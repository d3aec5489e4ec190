/** The blob store test suite: every implementation must pass it. `open` returns an empty store. */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { BlobStore } from '../../src/storage/blob/blob-store.js';

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function blobStoreSuite(label: string, open: () => Promise<{ store: BlobStore; dispose(): Promise<void> }>): void {
  describe(`blob store: ${label}`, () => {
    let store: BlobStore;
    let dispose: () => Promise<void>;
    before(async () => ({ store, dispose } = await open()));
    after(async () => dispose());

    it('appends chunks, hashes what it writes, and commits to the digest', async () => {
      const data = randomBytes(3 * 1024 * 1024 + 17);
      await store.createUpload('up-1');
      const seen = createHash('sha256');
      let size = await store.appendUpload('up-1', 0, Readable.from([data.subarray(0, 1_000_000)]), (c) => seen.update(c));
      assert.equal(size, 1_000_000);
      size = await store.appendUpload('up-1', size, Readable.from([data.subarray(1_000_000)]), (c) => seen.update(c));
      assert.equal(size, data.length);
      assert.equal(`sha256:${seen.digest('hex')}`, sha256(data));
      assert.deepEqual(await readAll(store.readUpload('up-1', size)), data);
      await store.commitUpload('up-1', size, sha256(data));
      assert.equal(await store.stat(sha256(data)), data.length);
      assert.deepEqual(await readAll(await store.open(sha256(data))), data);
      assert.deepEqual(await readAll(await store.open(sha256(data), { start: 10, end: 19 })), data.subarray(10, 20));
    });

    it('drops bytes past the acknowledged offset before appending', async () => {
      await store.createUpload('up-2');
      await store.appendUpload('up-2', 0, Readable.from([Buffer.from('hello, unacknowledged')]), () => undefined);
      const size = await store.appendUpload('up-2', 5, Readable.from([Buffer.from(' world')]), () => undefined);
      assert.equal(size, 11);
      assert.equal(await text(store.readUpload('up-2', size)), 'hello world');
      await store.commitUpload('up-2', size, sha256(Buffer.from('hello world')));
      assert.equal(await text(await store.open(sha256(Buffer.from('hello world')))), 'hello world');
    });

    it('keeps one copy per digest when the same content is committed twice', async () => {
      const data = Buffer.from('same content');
      for (const id of ['dup-1', 'dup-2']) {
        await store.createUpload(id);
        await store.appendUpload(id, 0, Readable.from([data]), () => undefined);
        await store.commitUpload(id, data.length, sha256(data));
      }
      assert.equal(await store.stat(sha256(data)), data.length);
    });

    it('handles empty blobs and unknown digests', async () => {
      await store.createUpload('empty');
      assert.deepEqual(await readAll(store.readUpload('empty', 0)), Buffer.alloc(0));
      await store.commitUpload('empty', 0, sha256(Buffer.alloc(0)));
      assert.equal(await store.stat(sha256(Buffer.alloc(0))), 0);
      const unknown = sha256(Buffer.from('never stored'));
      assert.equal(await store.stat(unknown), undefined);
      await assert.rejects(store.open(unknown), (error: NodeJS.ErrnoException) => error.code === 'ENOENT');
    });

    it('deletes uploads and blobs', async () => {
      const data = Buffer.from('to delete');
      await store.createUpload('del-1');
      await store.appendUpload('del-1', 0, Readable.from([data]), () => undefined);
      await store.deleteUpload('del-1');
      await assert.rejects(store.appendUpload('del-1', 0, Readable.from([data]), () => undefined));
      await store.createUpload('del-2');
      await store.appendUpload('del-2', 0, Readable.from([data]), () => undefined);
      await store.commitUpload('del-2', data.length, sha256(data));
      await store.delete(sha256(data));
      assert.equal(await store.stat(sha256(data)), undefined);
      await store.check();
    });

    it('refuses to create an upload that already exists', async () => {
      await store.createUpload('twice');
      await assert.rejects(store.createUpload('twice'));
    });

    async function commit(id: string, data: Buffer): Promise<string> {
      await store.createUpload(id);
      const size = await store.appendUpload(id, 0, Readable.from([data]), () => undefined);
      await store.commitUpload(id, size, sha256(data));
      return sha256(data);
    }

    it('lists stored blobs and upload files, recomputes digests, and quarantines content', async () => {
      const data = randomBytes(70_000);
      const digest = await commit('11111111-2222-4333-8444-555555555555', data);
      const listed = [];
      for await (const file of store.listBlobs()) listed.push(file);
      const found = listed.find((file) => file.digest === digest);
      assert.equal(found?.size, data.length);
      assert.ok(found!.modifiedMs > Date.now() - 60_000, 'a commit stamps the time the content appeared');
      assert.equal((await store.inspect(digest))?.size, data.length);
      assert.equal(await store.digestOf(digest), digest);

      const uploadId = '66666666-7777-4888-9999-000000000000';
      await store.createUpload(uploadId);
      const uploads = [];
      for await (const file of store.listUploads()) uploads.push(file.id);
      assert.ok(uploads.includes(uploadId));
      assert.equal((await store.inspectUpload(uploadId))?.size, 0);
      await store.deleteUpload(uploadId);
      assert.equal(await store.inspectUpload(uploadId), undefined);

      assert.equal(await store.quarantine(digest), true);
      assert.equal(await store.stat(digest), undefined, 'quarantined content is no longer stored');
      assert.equal(await store.digestOf(digest), undefined);
      assert.equal(await store.quarantine(digest), false);
    });

    it('keeps a stored copy that matches its digest when the same digest is committed again', async () => {
      const data = randomBytes(10_000);
      const digest = await commit('a-first', data);
      // The caller checks uploads against their digest; the store checks its own copy before keeping it.
      const other = Buffer.from(data).fill(7);
      await store.createUpload('a-again');
      await store.appendUpload('a-again', 0, Readable.from([other]), () => undefined);
      await store.commitUpload('a-again', other.length, digest);
      assert.equal(await store.digestOf(digest), digest);
      assert.deepEqual(await readAll(await store.open(digest)), data);
    });
  });
}
