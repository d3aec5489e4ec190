import { after, before } from 'node:test';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import { metadataStoreSuite } from './metadata-store.suite.js';
import { startPostgres, type PostgresServer } from './postgres-server.js';

let server: PostgresServer;
before(async () => {
  server = await startPostgres();
});
after(async () => server?.stop());

let n = 0;
metadataStoreSuite('postgres', async () => openMetadataStore({ driver: 'postgres', url: await server.createDatabase(`suite${++n}`) }));
