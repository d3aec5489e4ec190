/** `wharf serve`: load the configuration, start the server, stop on SIGTERM/SIGINT. */
import { dirname, isAbsolute, relative } from 'node:path';
import { ConfigError, loadConfig, loginServerOf, type WharfConfig } from '../kernel/config.js';
import { startServer, type RunningServer } from '../server/start.js';

interface ServeFlags {
  config?: string;
  data?: string;
  port?: string;
  host?: string;
  http?: boolean;
  domain?: string;
  publicPort?: string;
  logLevel?: string;
  logFormat?: string;
  postgres?: string;
  opsListen?: string;
}

/** A path as the user typed it when it is under the working directory (shorter to copy), else absolute. */
function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel.startsWith('.') ? rel : `./${rel}`;
}

/** Every registry and the address clients use for it. */
function registryList(config: WharfConfig, server: RunningServer): string {
  return server.registries
    .map((r) => `  ${r.name}${r.name === config.defaultRegistry ? ' (default)' : ''}: login server ${loginServerOf(r, config)}\n`)
    .join('');
}

/**
 * The first steps, each a command that works as printed (test/e2e/readme-walkthrough.test.ts
 * runs them): sign in, make an image offline, push, pull it back.
 */
function firstStartHelp(config: WharfConfig, server: RunningServer): string {
  const registry = server.registries.find((r) => r.name === config.defaultRegistry)!;
  const loginServer = loginServerOf(registry, config);
  const data = shownPath(config.data);
  const image = `${loginServer}/hello/world:v1`;
  if (!server.caFile) {
    return `
Created registry '${registry.name}': login server ${loginServer} (the address az, docker, skopeo and podman use).
Plain HTTP: clients need their TLS checks off for it (skopeo --dest-tls-verify=false, podman --tls-verify=false).
First steps ('wharf' is node dist/src/cli/main.js until 'npm link'):
    wharf login --data ${data} --server http://${loginServer} --registry ${registry.name}
    umoci init --layout ./image && umoci new --image ./image:v1 && umoci insert --image ./image:v1 README.md /README.md
    skopeo copy --dest-tls-verify=false oci:./image:v1 docker://${image}
    skopeo copy --src-tls-verify=false docker://${image} oci:./pulled:v1
`;
  }
  const certDir = shownPath(dirname(server.caFile));
  const caFile = shownPath(server.caFile);
  const origin = `https://${loginServer}`;
  return `
Created registry '${registry.name}': login server ${loginServer} (the address az, docker, skopeo and podman use).
Clients trust the local CA in ${certDir} ('wharf ca' tells how for each client).
First steps ('wharf' is node dist/src/cli/main.js until 'npm link'):
  Sign in, and store a registry credential that docker, skopeo and podman use:
    wharf login --data ${data} --server ${origin} --registry ${registry.name}
  Make a small OCI image offline (or: ctr=$(buildah from scratch) && buildah copy "$ctr" README.md / && buildah commit "$ctr" oci:./image:v1):
    umoci init --layout ./image && umoci new --image ./image:v1 && umoci insert --image ./image:v1 README.md /README.md
  Push it, pull it back (skopeo, podman), and ask the registry with curl:
    skopeo copy --dest-cert-dir ${certDir} oci:./image:v1 docker://${image}
    skopeo copy --src-cert-dir ${certDir} docker://${image} oci:./pulled:v1
    podman pull --cert-dir ${certDir} ${image}
    curl --cacert ${caFile} ${origin}/v2/
`;
}

export async function serveCommand(flags: ServeFlags): Promise<void> {
  // Everything the server writes (database, blobs, uploads, keys) is its owner's only: 0600 files, 0700 directories.
  process.umask(0o077);
  let config: WharfConfig;
  try {
    config = loadConfig({
      file: flags.config,
      flags: {
        data: flags.data,
        port: flags.port,
        host: flags.host,
        http: flags.http,
        domain: flags.domain,
        publicPort: flags.publicPort,
        logLevel: flags.logLevel,
        logFormat: flags.logFormat,
        operations: flags.opsListen ? { listen: flags.opsListen } : undefined,
        metadata: flags.postgres ? { driver: 'postgres', url: flags.postgres } : undefined,
      },
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`wharf: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  let server: RunningServer;
  try {
    server = await startServer(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`wharf: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  process.stdout.write(`wharf listening on ${server.url} (data ${config.data})\n`);
  process.stdout.write(`Registries:\n${registryList(config, server)}`);
  if (server.firstStart) process.stdout.write(firstStartHelp(config, server));
  if (server.bootstrapOwnerFile) {
    process.stdout.write(`
Access control is on: no anonymous access. The first owner's credentials (a service principal
with the Owner role) are in ${server.bootstrapOwnerFile}, readable by you only.
  Use them:             wharf login --data ${config.data} --server ${server.url}
  Then, for example:    wharf update --admin-enabled true && wharf credential show
`);
  }
  if (config.auth.openAccess) {
    process.stderr.write('wharf: WARNING: auth.openAccess is on: every request is allowed without credentials. Never use this outside development.\n');
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`wharf: ${signal}, shutting down\n`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`wharf: shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
