/** `wharf ca`: where the local CA is and how each client is told to trust it. */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadConfig } from '../kernel/config.js';
import { caFileOf } from '../kernel/tls.js';
import type { Command } from 'commander';
import { cliTranslator } from './cli-messages.js';
import { languageOfCommand } from './localized-command.js';

export async function caCommand(flags: { data?: string; config?: string }, command: Command): Promise<void> {
  const t = cliTranslator(languageOfCommand(command));
  const config = loadConfig({ file: flags.config, flags: { data: flags.data } });
  const caFile = caFileOf(config.data);
  if (!existsSync(caFile)) {
    process.stderr.write(`${t('caNone', { data: config.data })}\n`);
    process.exit(1);
  }
  const certDir = dirname(caFile);
  // Client names, variables and flags stay as they are; labels are aligned on the longest.
  const rows: [string, string][] = [
    ['curl', `--cacert ${caFile}   ${t('caCurlOr', { file: caFile })}`],
    [t('caOpenSslTools'), `SSL_CERT_FILE=${caFile}`],
    ['Node.js (Azure SDKs)', `NODE_EXTRA_CA_CERTS=${caFile}`],
    ['Python (az CLI, requests)', `REQUESTS_CA_BUNDLE=${caFile}`],
    ['skopeo', `--cert-dir ${certDir}   ${t('caSkopeoOr')}`],
    ['podman / buildah', `--cert-dir ${certDir}`],
    ['', t('caOrCopyTo', { path: '/etc/containers/certs.d/<host:port>/ca.crt' })],
    ['docker', t('caCopyTo', { path: '/etc/docker/certs.d/<host:port>/ca.crt' })],
    [t('caSystemWide'), `cp ${caFile} /usr/local/share/ca-certificates/wharf.crt && update-ca-certificates`],
  ];
  const width = Math.max(32, ...rows.map(([label]) => label.length + 3));
  const lines = rows.map(([label, how]) => `  ${(label === '' ? '' : t('caClient', { client: label })).padEnd(width)}${how}`);
  process.stdout.write(`${t('caCertificate', { file: caFile })}\n\n${t('caTrustPerClient')}\n${lines.join('\n')}\n`);
}
