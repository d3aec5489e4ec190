/** `wharf serve`: load the configuration, start the server, stop on SIGTERM/SIGINT. */
import { dirname, isAbsolute, relative } from 'node:path';
import { ConfigError, loadConfig, loginServerOf, type WharfConfig } from '../kernel/config.js';
import { startServer, type RunningServer } from '../server/start.js';
import type { Command } from 'commander';
import type { Translate } from '../i18n/index.js';
import { cliTranslator, type CliMessageKey } from './cli-messages.js';
import { languageOfCommand } from './localized-command.js';

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
function registryList(config: WharfConfig, server: RunningServer, t: Translate<CliMessageKey>): string {
  return server.registries
    .map(
      (r) => `  ${t(r.name === config.defaultRegistry ? 'serveDefaultRegistry' : 'serveRegistry', { name: r.name, loginServer: loginServerOf(r, config) })}\n`,
    )
    .join('');
}

/**
 * The first steps, each a command that works as printed (test/e2e/readme-walkthrough.test.ts
 * runs them): sign in, make an image offline, push, pull it back.
 */
function firstStartHelp(config: WharfConfig, server: RunningServer, t: Translate<CliMessageKey>): string {
  const registry = server.registries.find((r) => r.name === config.defaultRegistry)!;
  const loginServer = loginServerOf(registry, config);
  const data = shownPath(config.data);
  const image = `${loginServer}/hello/world:v1`;
  if (!server.caFile) {
    return `
${t('serveCreated', { name: registry.name, loginServer })}
${t('servePlainHttp')}
${t('serveFirstSteps')}
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
${t('serveCreated', { name: registry.name, loginServer })}
${t('serveTrustCa', { certDir })}
${t('serveFirstSteps')}
  ${t('serveStepSignIn')}
    wharf login --data ${data} --server ${origin} --registry ${registry.name}
  ${t('serveStepImage', { alternative: 'ctr=$(buildah from scratch) && buildah copy "$ctr" README.md / && buildah commit "$ctr" oci:./image:v1' })}
    umoci init --layout ./image && umoci new --image ./image:v1 && umoci insert --image ./image:v1 README.md /README.md
  ${t('serveStepPushPull')}
    skopeo copy --dest-cert-dir ${certDir} oci:./image:v1 docker://${image}
    skopeo copy --src-cert-dir ${certDir} docker://${image} oci:./pulled:v1
    podman pull --cert-dir ${certDir} ${image}
    curl --cacert ${caFile} ${origin}/v2/
`;
}

export async function serveCommand(flags: ServeFlags, command: Command): Promise<void> {
  const t = cliTranslator(languageOfCommand(command));
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
  process.stdout.write(`${t('serveListening', { url: server.url, data: config.data })}\n`);
  process.stdout.write(`${t('serveRegistries')}\n${registryList(config, server, t)}`);
  if (server.firstStart) process.stdout.write(firstStartHelp(config, server, t));
  if (server.bootstrapOwnerFile) {
    const [use, then] = [t('serveUseThem'), t('serveThenForExample')];
    const width = Math.max(22, use.length + 2, then.length + 2);
    process.stdout.write(`
${t('serveAccessControl', { file: server.bootstrapOwnerFile })}
  ${use.padEnd(width)}wharf login --data ${config.data} --server ${server.url}
  ${then.padEnd(width)}wharf update --admin-enabled true && wharf credential show
`);
  }
  if (config.auth.openAccess) {
    process.stderr.write(`${t('serveOpenAccess')}\n`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${t('serveShuttingDown', { signal })}\n`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${t('serveShutdownFailed', { message: (error as Error).message })}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
