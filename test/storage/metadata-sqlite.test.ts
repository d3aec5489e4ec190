import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import { metadataStoreSuite } from './metadata-store.suite.js';

metadataStoreSuite('sqlite', () => openMetadataStore({ driver: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'wharf-sqlite-')), 'metadata.sqlite') }));
