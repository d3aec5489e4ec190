/** `wharf ca`: where the local CA is and how each client is told to trust it. */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadConfig } from '../kernel/config.js';
import { caFileOf } from '../kernel/tls.js';

export async function caCommand(flags: { data?: string; config?: string }): Promise<void> {
  const config = loadConfig({ file: flags.config, flags: { data: flags.data } });
  const caFile = caFileOf(config.data);
  if (!existsSync(caFile)) {
    process.stderr.write(`wharf: no CA yet in ${config.data}: it is created on the first 'wharf serve' (without --http)\n`);
    process.exit(1);
  }
  process.stdout.write(`Wharf's local CA certificate: ${caFile}

Trust it per client:
  curl:                           --cacert ${caFile}   (or CURL_CA_BUNDLE=${caFile}; SSL_CERT_FILE loses to a CURL_CA_BUNDLE already set)
  git, other OpenSSL tools:       SSL_CERT_FILE=${caFile}
  Node.js (Azure SDKs):           NODE_EXTRA_CA_CERTS=${caFile}
  Python (az CLI, requests):      REQUESTS_CA_BUNDLE=${caFile}
  skopeo:                         --cert-dir ${dirname(caFile)}   (or --src-cert-dir / --dest-cert-dir)
  podman / buildah:               --cert-dir ${dirname(caFile)}
                                  or copy it to /etc/containers/certs.d/<host:port>/ca.crt
  docker:                         copy it to /etc/docker/certs.d/<host:port>/ca.crt
  system-wide (Debian):           cp ${caFile} /usr/local/share/ca-certificates/wharf.crt && update-ca-certificates
`);
}
