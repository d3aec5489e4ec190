/**
 * `--repository --image` (az acr check-health's image check): the manifest of the tag, then the
 * smallest blob it references — through the blob redirect to the data endpoint when the
 * registry has dedicated data endpoints, which is how a client behind a firewall that allows
 * only the login server fails. A missing tag is answered with the repository's closest tags.
 */
import { sudoPrefix } from './privilege.js';
import { createHash } from 'node:crypto';
import type { HealthContext, RegistryTarget } from './context.js';
import type { Connection } from './connectivity.js';
import { isTimeout } from './connectivity.js';
import { resolveHost } from './probes/dns.js';
import { proxyFor } from './probes/proxy.js';
import { errorMessageOf, type HttpAnswer } from './probes/registry-http.js';
import { closest } from './similar-names.js';

const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

interface Descriptor {
  digest: string;
  size: number;
  mediaType?: string;
  platform?: { os?: string; architecture?: string };
}

interface ManifestBody {
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
}

/** The smallest layer (az's choice), else the config. */
export function smallestBlob(manifest: ManifestBody): Descriptor | undefined {
  const layers = [...(manifest.layers ?? [])].sort((a, b) => a.size - b.size);
  return layers[0] ?? manifest.config;
}

export async function checkImage(
  context: HealthContext,
  target: RegistryTarget,
  connection: Connection,
  accessToken: string,
  repository: string,
  tag: string,
): Promise<void> {
  const { t, log } = context;
  const auth = { authorization: `Bearer ${accessToken}` };
  const manifestAt = (reference: string) =>
    connection.http.get(`/v2/${repository}/manifests/${encodeURIComponent(reference)}`, { ...auth, accept: MANIFEST_TYPES });
  let answer = await manifestAt(tag);
  if (answer.status === 404) await imageNotFound(context, target, connection, auth, repository, tag, answer);
  if (answer.status !== 200) blobError(context, target, repository, tag, `/v2/${repository}/manifests/${tag}`, answer);
  let manifest = answer.json<ManifestBody>() ?? {};
  if (manifest.manifests) {
    // An index: az's pull takes the platform's image; take linux/amd64, else the first.
    const chosen = manifest.manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ?? manifest.manifests[0];
    if (chosen) {
      answer = await manifestAt(chosen.digest);
      if (answer.status !== 200) blobError(context, target, repository, tag, `/v2/${repository}/manifests/${chosen.digest}`, answer);
      manifest = answer.json<ManifestBody>() ?? {};
    }
  }
  log.ok('image', t('manifestOk', { image: `${repository}:${tag}`, digest: answer.headers['docker-content-digest'] ?? '' }));
  const blob = smallestBlob(manifest);
  if (!blob) return;
  const path = `/v2/${repository}/blobs/${blob.digest}`;
  let blobAnswer = await connection.http.get(path, auth);
  if (blobAnswer.status >= 300 && blobAnswer.status < 400 && blobAnswer.headers.location) {
    const location = new URL(blobAnswer.headers.location, connection.http.origin);
    blobAnswer = await followToDataEndpoint(context, target, connection, location);
  }
  if (blobAnswer.status !== 200) blobError(context, target, repository, tag, path, blobAnswer);
  const digest = `sha256:${createHash('sha256').update(blobAnswer.body).digest('hex')}`;
  if (blob.digest.startsWith('sha256:') && digest !== blob.digest) {
    throw log.fail({
      check: 'blob',
      code: 'BLOB_PULL_ERROR',
      message: t('blobPullError', { digest: blob.digest, image: `${repository}:${tag}` }),
      cause: t('blobDigestCause', { digest }),
      fix: t('blobFix', { registry: target.name, repository }),
    });
  }
  log.ok('blob', t('blobOk', { tag, host: target.authority }), { digest: blob.digest, size: blob.size });
}

async function imageNotFound(
  context: HealthContext,
  target: RegistryTarget,
  connection: Connection,
  auth: Record<string, string>,
  repository: string,
  tag: string,
  answer: HttpAnswer,
): Promise<never> {
  const { t, log } = context;
  const tags = await connection.http.get(`/v2/${repository}/tags/list?n=1000`, auth).catch(() => undefined);
  const known = tags?.status === 200 ? (tags.json<{ tags?: string[] | null }>()?.tags ?? []) : undefined;
  const image = `${repository}:${tag}`;
  if (known === undefined || known.length === 0) {
    throw log.fail({
      check: 'image',
      code: 'IMAGE_NOT_FOUND_ERROR',
      message: t('imageNotFoundError', { image, host: target.authority }),
      cause: t('repositoryMissingCause', { repository, registry: target.name, detail: errorMessageOf(tags ?? answer) }),
      fix: t('repositoryMissingFix', { registry: target.name }),
      details: { repository, tag },
    });
  }
  const near = closest(tag, known, 3);
  const suggestions = near.length > 0 ? near : known.slice(0, 3);
  throw log.fail({
    check: 'image',
    code: 'IMAGE_NOT_FOUND_ERROR',
    message: t('imageNotFoundError', { image, host: target.authority }),
    cause: t('tagMissingCause', { repository, tag, tags: suggestions.join(', ') }),
    fix: t('tagMissingFix', { registry: target.name, repository, tag: suggestions[0]! }),
    details: { repository, tag, suggestions },
  });
}

function blobError(context: HealthContext, target: RegistryTarget, repository: string, tag: string, path: string, answer: HttpAnswer): never {
  const { t, log } = context;
  throw log.fail({
    check: 'blob',
    code: 'BLOB_PULL_ERROR',
    message: t('blobPullError', { digest: path.split('/').pop() ?? '', image: `${repository}:${tag}` }),
    cause: t('blobStatusCause', { path, status: String(answer.status), detail: errorMessageOf(answer) }),
    fix: t('blobFix', { registry: target.name, repository }),
    details: { path, status: answer.status },
  });
}

/** The redirect's target: the data endpoint must resolve and answer, as the login server did. */
async function followToDataEndpoint(context: HealthContext, target: RegistryTarget, connection: Connection, location: URL): Promise<HttpAnswer> {
  const { t, log } = context;
  const host = location.hostname;
  const port = Number(location.port) || (location.protocol === 'https:' ? 443 : 80);
  if (!proxyFor(host, port, context.env)) {
    const resolved = await resolveHost(host, context.timeoutMs);
    if (!resolved.ok) dataDnsError(context, target, host, resolved.code);
    log.ok('data-endpoint', t('dataDnsOk', { host, address: resolved.addresses[0]! }));
  }
  try {
    // The signed URL is the credential: no Authorization header goes to the data endpoint.
    return await connection.http.get(location.toString());
  } catch (error) {
    dataUnreachable(
      context,
      target,
      host,
      port,
      isTimeout(error) ? t('dataTimeoutCause', { seconds: String(context.timeoutMs / 1000) }) : (error as Error).message,
    );
  }
}

export function dataDnsError(context: HealthContext, target: RegistryTarget, host: string, code: string): never {
  const { t, log } = context;
  throw log.fail({
    check: 'data-endpoint',
    code: 'DATA_ENDPOINT_DNS_ERROR',
    message: t('dataDnsError', { host }),
    cause: t('dataDnsCause', { host, code, login: target.host }),
    fix: t('dataDnsFix', { host, registry: target.name, address: target.serverAddress ?? '<address>', sudo: sudoPrefix(context.env) }),
    // The first of the alternatives the fix offers.
    commands: [`echo '${target.serverAddress ?? '<address>'} ${host}' | ${sudoPrefix(context.env)}tee -a /etc/hosts`],
    details: { host, code },
  });
}

export function dataUnreachable(context: HealthContext, target: RegistryTarget, host: string, port: number, detail: string): never {
  const { t, log } = context;
  throw log.fail({
    check: 'data-endpoint',
    code: 'DATA_ENDPOINT_ERROR',
    message: t('dataEndpointError', { host, port: String(port) }),
    cause: t('dataEndpointCause', { host, port: String(port), detail, login: target.authority }),
    fix: t('dataEndpointFix', { host, port: String(port), registry: target.name }),
    commands: [`wharf update -n ${target.name} --data-endpoint-enabled false`],
    details: { host, port, error: detail },
  });
}
