/**
 * Starting a Wharf server from a configuration: stores, registries, TLS, the HTTP app and its
 * listener, storage upkeep (upload purge, reconciliation, scrub); and stopping it cleanly.
 */
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { UploadSessions } from '../distribution/upload-sessions.js';
import { createMetrics } from '../monitoring/metrics.js';
import { metricsGate } from '../monitoring/metrics-gate.js';
import { OperationTracker } from '../domain/operation-tracker.js';
import { startOpsListener, type OpsListener } from '../monitoring/monitoring-listener.js';
import { FsBlobStore } from '../storage/blob/fs-blob-store.js';
import { AzureBlobStore } from '../storage/blob/azure-blob-store.js';
import type { BlobStore } from '../storage/blob/blob-store.js';
import { openMetadataStore } from '../storage/metadata/open.js';
import type { MetadataStore, RegistryRecord } from '../storage/metadata/store.js';
import { buildApp, type AppPlanes } from './app.js';
import { createLogger } from './logger.js';
import { listenerSettings } from './listener-settings.js';
import { ConfigError, loginServerOf, nameHostOf, type WharfConfig } from '../kernel/config.js';
import { addressClash, describeClash, RegistryDirectory } from '../domain/host-routing.js';
import { ServerCertificate } from '../kernel/tls.js';
import { startStorageUpkeep } from './upload-purger.js';
import { generateSecret, Sealer, SecretHasher } from '../kernel/secrets.js';
import { ensureScaffold, type ArmDefaults } from '../domain/scaffold.js';
import { KeyRing } from '../identity/key-ring.js';
import { IdentityPlane } from '../identity/identity-plane.js';
import { ensureBootstrapOwner, ensureDirectoryAdministrator } from '../identity/bootstrap-owner.js';
import { LoginThrottle } from '../access/login-throttle.js';
import { AuditRecorder } from '../audit/recorder.js';
import { StorageGuard } from '../kernel/storage-full.js';
import { secureDataDirectory } from './data-dir.js';
import { DataPlaneAuth } from '../auth/data-plane-auth.js';
import { AcrTokens } from '../auth/acr-tokens.js';
import { CredentialChecker } from '../auth/credentials.js';
import { GrantResolver } from '../access/grant-resolver.js';
import type { NetworkPlane } from '../network/contracts.js';
import { registryRegions } from '../domain/data-endpoint-names.js';
import { CachedNetworkGate } from '../network/gate.js';
import { EndpointListeners } from './private-listeners.js';
import { DATA_URL_KEY_LABEL, DataUrlSigner } from '../network/data-endpoint-urls.js';
import { DataEndpointRedirects } from '../network/data-endpoint-redirects.js';
import type { PrivateEndpointRecord } from '../storage/metadata/network-records.js';
import { InProcessChangeEvents } from '../domain/change-events.js';
import { DirectoryIdentityService } from '../domain/directory-identity-service.js';
import { RegistryService } from '../domain/registry-service.js';
import { RepositoryTokenService, TOKEN_PASSWORD_BYTES } from '../domain/repository-token-service.js';
import { RoleAssignmentService } from '../domain/role-assignment-service.js';
import { PrivateEndpointService } from '../domain/private-endpoint-service.js';
import { VirtualNetworkService } from '../domain/virtual-network-service.js';
import { TrustedServiceService } from '../domain/trusted-service-service.js';
import { ReplicationService } from '../domain/replication-service.js';
import { ManagedIdentityService } from '../domain/managed-identity-service.js';
import { newAdminPassword } from '../management/resources/admin-credentials.js';
import { addressTakenBy } from '../management/resources/registries.js';
import { providerState } from '../management/network/providers.js';

const SHUTDOWN_GRACE_MS = 5000;

export interface RunningServer {
  url: string;
  port: number;
  caFile: string | null;
  registries: RegistryRecord[];
  firstStart: boolean;
  /** Set when this start created the first owner's credentials (a file readable by its owner only). */
  bootstrapOwnerFile: string | null;
  close(): Promise<void>;
}

/** Registries from the configuration, plus the default one; created or updated at start. */
async function ensureRegistries(store: MetadataStore, config: WharfConfig, arm: ArmDefaults): Promise<{ registries: RegistryRecord[]; firstStart: boolean }> {
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
  // Registries created through ARM (or listed in an earlier config) keep their address: check them too.
  const kept = (await store.registries.list()).filter((stored) => !wanted.some((r) => r.name === stored.name));
  const clash = addressClash([...wanted, ...kept], config);
  if (clash) throw new ConfigError(`cannot start: ${describeClash(clash, config)}`);
  for (const registry of wanted) {
    await store.registries.upsert({
      name: registry.name,
      loginServer: registry.loginServer ?? null,
      deletesEnabled: registry.deletesEnabled,
      placement: { subscriptionId: arm.subscriptionId, resourceGroup: arm.resourceGroup, location: arm.location },
    });
  }
  return { registries: await store.registries.list(), firstStart };
}

/**
 * Every name the server certificate must cover: the login servers, each private endpoint's
 * address, and `*.<region>.data.<domain>` for every region a registry is served in.
 */
function tlsNames(config: WharfConfig, registries: RegistryRecord[], endpoints: PrivateEndpointRecord[], regions: string[]): string[] {
  const names = ['localhost', '*.localhost', '127.0.0.1', '::1', config.domain, `*.${config.domain}`];
  if (config.host !== '0.0.0.0' && config.host !== '::') names.push(config.host);
  for (const registry of registries) names.push(loginServerOf(registry, config).replace(/:\d+$/, ''), nameHostOf(registry.name, config.domain));
  for (const endpoint of endpoints) names.push(endpoint.address);
  for (const region of regions) names.push(`*.${region.toLowerCase()}.data.${config.domain}`);
  return names;
}

/** tlsNames from the store as it is now. */
async function currentTlsNames(store: MetadataStore, config: WharfConfig, endpoints?: PrivateEndpointRecord[]): Promise<string[]> {
  const registries = await store.registries.list();
  const regions = new Set<string>();
  for (const registry of registries) {
    for (const region of registryRegions(registry, await store.network.replications(registry.name))) regions.add(region);
  }
  return tlsNames(config, registries, endpoints ?? (await store.network.privateEndpoints({})), [...regions]);
}

/** The configured blob store (`storage.blob.driver`), ready for use: the data directory's by default. */
async function openBlobStore(config: WharfConfig): Promise<BlobStore> {
  const blob = config.storage.blob;
  if (blob.driver === 'azure' && blob.azure) return new AzureBlobStore(blob.azure).init();
  return new FsBlobStore(config.data).init();
}

interface StartOptions {
  /** Wraps the opened metadata store (tests count the calls a request makes through it). */
  wrapStore?: (store: MetadataStore) => MetadataStore;
}

export async function startServer(config: WharfConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = createLogger(config);
  secureDataDirectory(config.data, logger);
  const opened = await openMetadataStore(
    config.metadata.driver === 'sqlite' ? { driver: 'sqlite', path: config.metadata.path ?? join(config.data, 'metadata.sqlite') } : config.metadata,
  );
  const store = options.wrapStore ? options.wrapStore(opened) : opened;
  try {
    const blobStore = await openBlobStore(config);
    const arm = await ensureScaffold(store);
    const { registries, firstStart } = await ensureRegistries(store, config, arm);
    const directory = new RegistryDirectory(store, config);
    await directory.refresh();
    const certificate = config.http ? null : ServerCertificate.load(config.data, await currentTlsNames(store, config));
    const tls = certificate?.material ?? null;
    const metrics = createMetrics();
    const sealer = Sealer.load(join(config.data, 'private', 'master.key'), config.auth.masterKey);
    const keys = await new KeyRing(store, sealer).init();
    const throttle = new LoginThrottle(config.auth.failedLoginLimit, config.auth.failedLoginWindowSeconds * 1000);
    const gate = new CachedNetworkGate(store);
    // Reconciled once the app exists (it serves the endpoints' listeners too).
    let listeners: EndpointListeners | undefined;
    const network: NetworkPlane = {
      gate,
      listeners: {
        reconcile: async () => listeners?.reconcile(),
        status: (endpointId) => listeners?.status(endpointId) ?? { listening: false },
      },
      region: arm.location,
      dataUrls: new DataUrlSigner(sealer.deriveKey(DATA_URL_KEY_LABEL), config.network.dataUrlMinutes * 60),
    };
    const storage = new StorageGuard(config.data, logger).init();
    const events = new InProcessChangeEvents((error, event) => logger.error({ err: error, event }, 'a cache failed to follow a change'));
    const blobRedirects = new DataEndpointRedirects({ store, config, region: network.region, signer: network.dataUrls });
    const uploads = new UploadSessions(store, blobStore);
    const manifestMaxBytes = config.manifestMaxBytes;
    const grants = new GrantResolver(store);
    // Every cache drops what a change made stale on this node at once (other nodes: their refresh period).
    for (const cache of [gate, directory, blobRedirects, grants, keys]) events.subscribe((event) => cache.onChange(event));
    // One per process: scrypt's concurrency is bounded for the whole libuv thread pool.
    const secrets = new SecretHasher();
    const registryService = new RegistryService({
      registries: store.registries,
      network: store.network,
      adminPasswords: store.adminPasswords,
      newAdminPassword: (registry, name) => newAdminPassword({ sealer, secrets }, registry, name),
      addressTakenBy: (name) => addressTakenBy({ store, config }, name),
      providerState: (subscriptionId, namespace) => providerState({ store, arm }, subscriptionId, namespace),
      domain: config.domain,
      events,
      listeners: network.listeners,
    });
    const tokenService = new RepositoryTokenService({
      scopeMaps: store.scopeMaps,
      tokens: store.tokens,
      events,
      newPassword: async () => {
        const value = generateSecret(TOKEN_PASSWORD_BYTES);
        return { value, hash: await secrets.hash(value) };
      },
    });
    const domainServices = {
      events,
      registryService,
      tokenService,
      roleAssignmentService: new RoleAssignmentService({ roleAssignments: store.roleAssignments, identities: store.identities, events }),
      managedIdentityService: new ManagedIdentityService({ identities: store.identities, events }),
      privateEndpointService: new PrivateEndpointService({
        network: store.network,
        registries: store.registries,
        server: { privateEndpointRanges: config.network.privateEndpointRanges, host: config.host, port: config.port },
        events,
        listeners: network.listeners,
      }),
      virtualNetworkService: new VirtualNetworkService({
        network: store.network,
        registries: store.registries,
        providerState: (subscriptionId, namespace) => providerState({ store, arm }, subscriptionId, namespace),
        events,
      }),
      trustedServiceService: new TrustedServiceService({ network: store.network, identities: store.identities, events }),
      replicationService: new ReplicationService({ network: store.network, events, listeners: network.listeners }),
    };
    const identity = new IdentityPlane({ store, arm, keys, config, secrets });
    await identity.init();
    const audit = new AuditRecorder(store, config.audit);
    // Audit rows would use the space kept for deletes: they wait in the queue while the disk is full.
    audit.pauseWhile(() => storage.full);
    const acrTokens = new AcrTokens(keys, {
      refreshSeconds: Math.round(config.auth.refreshTokenMinutes * 60),
      accessSeconds: Math.round(config.auth.accessTokenMinutes * 60),
    });
    // Its verified tokens follow the keys that verified them.
    events.subscribe((event) => acrTokens.onChange(event));
    const openAccess = config.auth.openAccess;
    const credentials = new CredentialChecker(store, acrTokens, identity.directory, secrets);
    const auth = new DataPlaneAuth({ openAccess, tokens: acrTokens, credentials, grants, throttle });
    const bootstrapOwnerFile = await ensureBootstrapOwner({ store, arm, config, directory: identity.directory });
    await ensureDirectoryAdministrator({ store, arm });
    const listener = listenerSettings(config, logger);
    // The composition root: each plane gets the narrow parts it uses.
    const planes: AppPlanes = {
      ops: { store, blobStore, metrics },
      // /metrics moves to the operations listener when there is one; here it obeys the firewall.
      metrics: config.operations?.listen ? false : metricsGate({ gate, store, helpUrl: config.network.firewallHelpUrl }),
      audit: { audit, metrics, region: arm.location, directory },
      hosts: { directory, domain: config.domain },
      gate: { gate, settings: config.network },
      dataEndpoints: { store, blobStore, metrics, signer: network.dataUrls },
      tokens: { domain: config.domain, directory, auth, tokens: acrTokens, credentials, grants, throttle, identity },
      distribution: {
        services: { store, blobStore, uploads, metrics, manifestMaxBytes, blobRedirects, mounts: { mayMountFrom: auth.mayMountFrom.bind(auth), openAccess } },
        auth,
      },
      acr: { store, blobStore, auth },
      identity: { identity, keys, throttle, config },
      management: {
        config,
        arm,
        store,
        blobStore,
        uploads,
        manifestMaxBytes,
        sealer,
        secrets,
        keys,
        identity,
        network,
        audit,
        storage,
        operations: new OperationTracker(),
        dataPlane: { openAccess, grants, credentials },
        ...domainServices,
        directoryService: new DirectoryIdentityService({ identities: store.identities, records: identity.directory, events }),
      },
    };
    const app = await buildApp({
      listener,
      logger,
      ...(tls ? { https: { key: tls.key, cert: tls.cert } } : {}),
      trustedProxies: config.network.trustedProxies,
      metrics,
      storage,
      planes,
    });
    await app.listen({ host: config.host, port: config.port });
    const port = (app.server.address() as AddressInfo).port;
    // Port 0 (any free port): login servers carry the port actually taken.
    if (config.port === 0) config.publicPort ??= port;
    for (const registry of registries) {
      logger.info(
        { registry: registry.name, loginServer: loginServerOf(registry, config) },
        `registry '${registry.name}': login server ${loginServerOf(registry, config)}` +
          (registry.name === config.defaultRegistry ? ' (default registry: localhost and any IP address reach it)' : '') +
          `; also answers at ${nameHostOf(registry.name, config.domain)}`,
      );
    }
    listeners = new EndpointListeners({
      store,
      handler: app.routing,
      main: { host: config.host, port, server: app.server },
      certificate,
      certificateNames: (endpoints) => currentTlsNames(store, config, endpoints),
      logger: app.log,
      listener,
    });
    try {
      await listeners.start();
    } catch (error) {
      await app.close();
      throw error;
    }
    let ops: OpsListener | undefined;
    try {
      if (config.operations?.listen) ops = await startOpsListener(config.operations.listen, { store, blobStore, metrics }, logger);
    } catch (error) {
      await listeners.close();
      await app.close();
      throw error;
    }
    const upkeep = startStorageUpkeep({ store, blobStore, uploads, config, logger });
    const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
    return {
      url: `${tls ? 'https' : 'http'}://${hostForUrl}:${port}`,
      port,
      caFile: tls?.caFile ?? null,
      registries,
      firstStart,
      bootstrapOwnerFile,
      async close() {
        await upkeep.stop();
        await ops?.close();
        await listeners?.close();
        // In-flight requests get a grace period; then keep-alive and stalled connections are cut.
        const deadline = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
        deadline.unref();
        await app.close();
        clearTimeout(deadline);
        await audit.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
