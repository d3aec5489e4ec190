/**
 * The upload-session service keeps a sha256 state per session in memory. Purging idle sessions
 * must release those states with the rows and files (they leaked: 60,000 purged sessions kept
 * theirs), the number held is bounded however many sessions are open, and a session whose
 * state was evicted still completes with the right digest (rebuilt from its bytes on disk).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { UploadSessions } from '../../src/distribution/upload-sessions.js';
import { parseDigest } from '../../src/distribution/digest.js';
import { FsBlobStore } from '../../src/storage/blob/fs-blob-store.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import type { MetadataStore, UploadRecord } from '../../src/storage/metadata/store.js';
import { tempDir } from '../helpers/tmp.js';

const ref = { registry: 'wharf', repository: 'unit/uploads' };
const future = () => new Date(Date.now() + 60_000).toISOString();

describe('upload sessions: hash states', () => {
  let store: MetadataStore;
  let blobs: FsBlobStore;
  let root: string;

  before(async () => {
    root = tempDir('upload-sessions');
    store = await openMetadataStore({ driver: 'sqlite', path: join(root, 'metadata.sqlite') });
    blobs = await new FsBlobStore(root).init();
  });
  after(async () => store?.close());

  async function open(sessions: UploadSessions, count: number): Promise<UploadRecord[]> {
    const opened: UploadRecord[] = [];
    for (let i = 0; i < count; i++) {
      const upload = await sessions.start(ref);
      await sessions.append(upload, Readable.from([Buffer.from(`chunk ${i}`)]), null, null);
      opened.push(upload);
    }
    return opened;
  }

  it('purging idle sessions releases their hash states, rows and files', async () => {
    const sessions = new UploadSessions(store, blobs);
    await open(sessions, 300);
    assert.equal(sessions.hashStatesHeld, 300);
    const purged = await sessions.purgeIdle(future());
    assert.equal(purged.length, 300);
    assert.equal(sessions.hashStatesHeld, 0, 'no hash state outlives its session');
    assert.deepEqual(await store.uploads.idleSince(future(), 10), []);
    assert.deepEqual(readdirSync(join(root, 'uploads')), []);
  });

  it('holds a bounded number of hash states, and an evicted session still completes with the right digest', async () => {
    const bound = 100;
    const sessions = new UploadSessions(store, blobs, bound);
    const first = await sessions.start(ref);
    const head = randomBytes(1000);
    const tail = randomBytes(500);
    await sessions.append(first, Readable.from([head]), null, null);
    await open(sessions, bound + 50);
    assert.ok(sessions.hashStatesHeld <= bound, `${sessions.hashStatesHeld} held`);
    const digest = `sha256:${createHash('sha256').update(head).update(tail).digest('hex')}`;
    const size = await sessions.finish(first, parseDigest(digest)!, Readable.from([tail]));
    assert.equal(size, head.length + tail.length);
    assert.equal(await blobs.digestOf(digest), digest);
    await sessions.purgeIdle(future());
    assert.equal(sessions.hashStatesHeld, 0);
  });
});
