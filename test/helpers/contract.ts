/**
 * Every assumption the end-to-end tests make about how Wharf is started and how it answers,
 * in one place, so that when the server's real behaviour settles only this file changes.
 * Anything here that is a choice of the server (not of the OCI Distribution spec) is marked
 * "Wharf:".
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** This file compiles to dist/test/helpers/contract.js; the CLI to dist/src/cli/main.js. */
export const REPO_ROOT = resolve(here, '..', '..', '..');
export const WHARF_CLI = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');

/** Wharf: the command line of `wharf serve`. */
export function serveArgs(o: { dataDir: string; port: number; http: boolean; extra: string[] }): string[] {
  return [
    WHARF_CLI,
    'serve',
    '--data',
    o.dataDir,
    '--port',
    String(o.port),
    '--host',
    '127.0.0.1',
    ...(o.http ? ['--http'] : []),
    // warn keeps the captured logs short; a test can override it through `extra` (last wins).
    '--log-level',
    'warn',
    ...o.extra,
  ];
}

/** Wharf: readiness probe, 200 when the server accepts traffic, on any Host. */
export const READY_PATH = '/readyz';
export const READY_TIMEOUT_MS = 15_000;
/** Wharf: SIGTERM must finish within this; after it the helper escalates to SIGKILL and fails. */
export const STOP_TIMEOUT_MS = Number(process.env.WHARF_E2E_STOP_TIMEOUT_MS ?? 10_000);

/** Wharf: the CA it creates on first start. */
export function caFileOf(dataDir: string): string {
  return join(dataDir, 'tls', 'ca.crt');
}

/** Wharf: the default registry and domain, and hence the login server of the default registry. */
export const DEFAULT_REGISTRY = 'wharf';
export const DEFAULT_DOMAIN = 'localhost';
/** `<registry>.<domain>`: the default registry still answers there (its login server until issue 12). */
export const DEFAULT_LOGIN_SERVER = `${DEFAULT_REGISTRY}.${DEFAULT_DOMAIN}`;

/** The default registry's login server with the default domain: `localhost:<port>`, which resolves without DNS. */
export function defaultLoginServer(port: number): string {
  return port === 443 ? 'localhost' : `localhost:${port}`;
}

/** Wharf: what a fresh data dir prints on stdout on first start (push instructions). */
export const FIRST_START_STDOUT = /Created registry 'wharf': login server localhost:\d+ /;

/** Wharf: a Host no registry answers at gets this status, and a body naming the host. */
export const UNKNOWN_HOST_STATUS = 404;

/** Spec: limits and codes the tests check. */
export const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;
/** The spec allows either code for a bad tag in PUT /manifests/<tag>. */
export const TAG_INVALID_CODES = ['TAG_INVALID', 'MANIFEST_INVALID'];
/** Spec: a too-large manifest gets 413; distribution answers SIZE_INVALID or MANIFEST_INVALID. */
export const MANIFEST_TOO_LARGE_STATUS = 413;
/** Spec: DELETE of a manifest or blob answers 202 Accepted. */
export const DELETE_STATUS = 202;

/** Wharf: Location headers are relative (`/v2/...`), which the Azure SDK requires. */
export const LOCATION_IS_RELATIVE = true;

export const MEDIA = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

/** Every manifest type a client may ask for, as skopeo sends it. */
export const ACCEPT_ALL_MANIFESTS = [MEDIA.ociManifest, MEDIA.ociIndex, MEDIA.dockerManifest, MEDIA.dockerList].join(', ');
