/**
 * Manifest validation: the media types a registry accepts, the structure each one must have,
 * and what a stored manifest points at (children that must exist, the subject, the artifact
 * type and annotations that the referrers API reports).
 */
import { errors } from '../server/errors.js';
import { parseDigest } from './digest.js';
import type { ManifestChild } from '../storage/metadata/store.js';

export const MediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

const IMAGE_MANIFESTS = new Set<string>([MediaTypes.ociManifest, MediaTypes.dockerManifest]);
const INDEXES = new Set<string>([MediaTypes.ociIndex, MediaTypes.dockerManifestList]);
export const MANIFEST_MEDIA_TYPES: ReadonlySet<string> = new Set([...IMAGE_MANIFESTS, ...INDEXES]);

/** Layers that live outside the registry (Docker foreign layers, OCI non-distributable layers). */
function isForeignLayer(mediaType: string, urls: unknown): boolean {
  return (
    Array.isArray(urls) &&
    urls.length > 0 &&
    (mediaType.startsWith('application/vnd.docker.image.rootfs.foreign.') ||
      mediaType.startsWith('application/vnd.oci.image.layer.nondistributable.'))
  );
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: unknown;
  annotations?: Record<string, string>;
  artifactType?: string;
}

export interface ParsedManifest {
  mediaType: string;
  children: ManifestChild[];
  subject: string | null;
  artifactType: string | null;
  annotations: Record<string, string> | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkAnnotations(value: unknown, where: string): Record<string, string> | null {
  if (value === undefined) return null;
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw errors.manifestInvalid(`${where}.annotations must map strings to strings`);
  }
  return value as Record<string, string>;
}

export function checkDescriptor(value: unknown, where: string): Descriptor {
  if (!isObject(value)) throw errors.manifestInvalid(`${where} must be a descriptor object`);
  const { mediaType, digest, size } = value;
  if (typeof mediaType !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/.test(mediaType)) {
    throw errors.manifestInvalid(`${where}.mediaType must be a media type such as application/vnd.oci.image.layer.v1.tar+gzip`);
  }
  if (typeof digest !== 'string' || !parseDigest(digest)) {
    throw errors.manifestInvalid(`${where}.digest '${String(digest)}' is not a valid sha256 or sha512 digest`);
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw errors.manifestInvalid(`${where}.size must be a non-negative integer`);
  }
  if (value.artifactType !== undefined && typeof value.artifactType !== 'string') {
    throw errors.manifestInvalid(`${where}.artifactType must be a string`);
  }
  return {
    mediaType,
    digest,
    size,
    urls: value.urls,
    annotations: checkAnnotations(value.annotations, where) ?? undefined,
    artifactType: value.artifactType as string | undefined,
  };
}

/** The media type of a pushed manifest: the Content-Type header, or else the body's own field. */
function resolveMediaType(contentType: string | undefined, body: Record<string, unknown>): string {
  const header = contentType?.split(';')[0]?.trim().toLowerCase();
  const declared = typeof body.mediaType === 'string' ? body.mediaType : undefined;
  const fromHeader = header && MANIFEST_MEDIA_TYPES.has(header) ? header : undefined;
  if (fromHeader && declared && declared !== fromHeader) {
    throw errors.manifestInvalid(`Content-Type '${fromHeader}' does not match the manifest's mediaType '${declared}'`);
  }
  const mediaType = fromHeader ?? declared;
  if (!mediaType) {
    throw errors.manifestInvalid(
      `no media type: send Content-Type (${[...MANIFEST_MEDIA_TYPES].join(', ')}) or set mediaType in the manifest`,
    );
  }
  if (!MANIFEST_MEDIA_TYPES.has(mediaType)) {
    throw errors.manifestInvalid(`unsupported manifest media type '${mediaType}'; accepted: ${[...MANIFEST_MEDIA_TYPES].join(', ')}`);
  }
  return mediaType;
}

export function parseManifest(content: Buffer, contentType: string | undefined): ParsedManifest {
  let body: unknown;
  try {
    body = JSON.parse(content.toString('utf8'));
  } catch (error) {
    throw errors.manifestInvalid(`not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(body)) throw errors.manifestInvalid('the manifest must be a JSON object');
  if (body.schemaVersion !== 2) {
    throw errors.manifestInvalid(`schemaVersion must be 2 (got ${JSON.stringify(body.schemaVersion)}); schema 1 manifests are not accepted`);
  }
  const mediaType = resolveMediaType(contentType, body);
  if (body.artifactType !== undefined && typeof body.artifactType !== 'string') {
    throw errors.manifestInvalid('artifactType must be a string');
  }
  const annotations = checkAnnotations(body.annotations, 'manifest');
  const subject = body.subject === undefined ? null : checkDescriptor(body.subject, 'subject').digest;
  const children: ManifestChild[] = [];
  let artifactType = (body.artifactType as string | undefined) ?? null;

  if (IMAGE_MANIFESTS.has(mediaType)) {
    const config = checkDescriptor(body.config, 'config');
    children.push({ digest: config.digest, size: config.size, kind: 'blob' });
    if (!Array.isArray(body.layers)) throw errors.manifestInvalid('layers must be an array of descriptors');
    body.layers.forEach((layer, i) => {
      const descriptor = checkDescriptor(layer, `layers[${i}]`);
      if (!isForeignLayer(descriptor.mediaType, descriptor.urls)) {
        children.push({ digest: descriptor.digest, size: descriptor.size, kind: 'blob' });
      }
    });
    // The referrers API reports the config media type when no artifactType is set.
    artifactType ??= mediaType === MediaTypes.ociManifest ? config.mediaType : null;
  } else {
    if (!Array.isArray(body.manifests)) throw errors.manifestInvalid('manifests must be an array of descriptors');
    body.manifests.forEach((entry, i) => {
      const descriptor = checkDescriptor(entry, `manifests[${i}]`);
      children.push({ digest: descriptor.digest, size: descriptor.size, kind: 'manifest' });
    });
  }
  return { mediaType, children, subject, artifactType, annotations };
}

/**
 * Does an Accept header allow this media type? Only a header that names manifest types, and
 * not this one, refuses: no header, a wildcard or a generic type (curl, browsers) allows it.
 */
export function accepts(acceptHeader: string | undefined, mediaType: string): boolean {
  if (!acceptHeader) return true;
  let namesManifestTypes = false;
  for (const part of acceptHeader.split(',')) {
    const type = part.split(';')[0]!.trim().toLowerCase();
    if (type === mediaType || type === '*/*') return true;
    if (MANIFEST_MEDIA_TYPES.has(type)) namesManifestTypes = true;
  }
  return !namesManifestTypes;
}
