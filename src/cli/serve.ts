/** `wharf serve`: load the configuration, start the server, stop on SIGTERM/SIGINT. */
import { dirname } from 'node:path';
import { ConfigError, loadConfig, loginServerOf, type WharfConfig } from '../server/config.js';
import { startServer, type RunningServer } from '../server/start.js';

interface ServeFlags {
  config?: string;
  data?: string;
  port?: string;
  host?: string;
  http?: boolean;
  domain?: string;
  logLevel?: string;
  logFormat?: string;
  postgres?: string;
  opsListen?: string;
}

function firstStartHelp(config: WharfConfig, server: RunningServer): string {
  const registry = server.registries.find((r) => r.name === config.defaultRegistry)!;
  const loginServer = loginServerOf(registry, config.domain);
  const hostPort = `localhost:${server.port}`;
  const trust = server.caFile
    ? `  Trust the local CA first (see 'wharf ca'): skopeo/podman --cert-dir ${dirname(server.caFile)}, curl SSL_CERT_FILE=${server.caFile}\n`
    : '';
  return `
Created registry '${registry.name}' (login server ${loginServer}; ${hostPort} reaches it too).
${trust}  Log in:               podman login ${hostPort} (or docker login), with a credential below
  Push an OCI layout:   skopeo copy --dest-creds <user>:<password> oci:./image:v1 docker://${hostPort}/hello/world:v1
  Push with podman:     podman push <image> ${hostPort}/hello/world:v1
  Pull it back:         skopeo inspect --creds <user>:<password> docker://${hostPort}/hello/world:v1
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
  const server = await startServer(config);
  process.stdout.write(`wharf listening on ${server.url} (data ${config.data})\n`);
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
