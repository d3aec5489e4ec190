import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsBlobStore } from '../../src/storage/blob/fs-blob-store.js';
import { blobStoreSuite } from './blob-store.suite.js';

blobStoreSuite('filesystem', async () => {
  const root = mkdtempSync(join(tmpdir(), 'wharf-blobs-'));
  return { store: await new FsBlobStore(root).init(), dispose: async () => rmSync(root, { recursive: true, force: true }) };
});
