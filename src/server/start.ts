/**
 * Starting a Wharf server from a configuration: stores, registries, TLS, the HTTP app and its
 * listener, the upload purger; and stopping it cleanly.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { UploadSessions } from '../distribution/upload-sessions.js';
import { createMetrics } from '../ops/metrics.js';
import { FsBlobStore } from '../storage/blob/fs-blob-store.js';
import { openMetadataStore } from '../storage/metadata/open.js';
import type { MetadataStore, RegistryRecord } from '../storage/metadata/store.js';
import { buildApp } from './app.js';
import { loginServerOf, type WharfConfig } from './config.js';
import { RegistryDirectory } from './host-routing.js';
import { ensureTls } from './tls.js';
import { startUploadPurger } from './upload-purger.js';

const SHUTDOWN_GRACE_MS = 5000;

export interface RunningServer {
  url: string;
  port: number;
  caFile: string | null;
  registries: RegistryRecord[];
  firstStart: boolean;
  close(): Promise<void>;
}

/** Registries from the configuration, plus the default one; created or updated at start. */
async function ensureRegistries(store: MetadataStore, config: WharfConfig): Promise<{ registries: RegistryRecord[]; firstStart: boolean }> {
  const firstStart = (await store.registries.list()).length === 0;
  const wanted = [...config.registries];
  if (!wanted.some((r) => r.name === config.defaultRegistry)) {
    const existing = await store.registries.get(config.defaultRegistry);
    wanted.unshift({
      name: config.defaultRegistry,
      loginServer: existing?.loginServer ?? undefined,
      deletesEnabled: existing?.deletesEnabled ?? true,
    });
  }
  for (const registry of wanted) {
    await store.registries.upsert({
      name: registry.name,
      loginServer: registry.loginServer ?? null,
      deletesEnabled: registry.deletesEnabled,
    });
  }
  return { registries: await store.registries.list(), firstStart };
}

/** Every name the server certificate must cover. */
function tlsNames(config: WharfConfig, registries: RegistryRecord[]): string[] {
  const names = ['localhost', '*.localhost', '127.0.0.1', '::1', config.domain, `*.${config.domain}`];
  if (config.host !== '0.0.0.0' && config.host !== '::') names.push(config.host);
  for (const registry of registries) names.push(loginServerOf(registry, config.domain).replace(/:\d+$/, ''));
  return names;
}

export async function startServer(config: WharfConfig): Promise<RunningServer> {
  mkdirSync(config.data, { recursive: true });
  const logger = pino({
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.password', '*.secret'], remove: true },
  });
  const store = await openMetadataStore(
    config.metadata.driver === 'sqlite'
      ? { driver: 'sqlite', path: config.metadata.path ?? join(config.data, 'metadata.sqlite') }
      : config.metadata,
  );
  try {
    const blobStore = await new FsBlobStore(config.data).init();
    const { registries, firstStart } = await ensureRegistries(store, config);
    const directory = new RegistryDirectory(store, config.domain, config.defaultRegistry);
    await directory.refresh();
    const tls = config.http ? null : ensureTls(config.data, tlsNames(config, registries));
    const metrics = createMetrics();
    const services = {
      store,
      blobStore,
      uploads: new UploadSessions(store, blobStore),
      metrics,
      manifestMaxBytes: config.manifestMaxBytes,
    };
    const app = await buildApp({
      services,
      directory,
      logger,
      ...(tls ? { https: { key: tls.key, cert: tls.cert } } : {}),
    });
    await app.listen({ host: config.host, port: config.port });
    const port = (app.server.address() as AddressInfo).port;
    const purger = startUploadPurger(store, blobStore, config.uploads.purgeAfterHours, logger);
    const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
    return {
      url: `${tls ? 'https' : 'http'}://${hostForUrl}:${port}`,
      port,
      caFile: tls?.caFile ?? null,
      registries,
      firstStart,
      async close() {
        purger.stop();
        // In-flight requests get a grace period; then keep-alive and stalled connections are cut.
        const deadline = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
        deadline.unref();
        await app.close();
        clearTimeout(deadline);
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
