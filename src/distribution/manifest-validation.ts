/**
 * Manifest validation: the media types a registry accepts, the structure each one must have,
 * and what a stored manifest points at (children that must exist, the subject, the artifact
 * type and annotations that the referrers API reports).
 */
import { errors } from '../kernel/errors.js';
import { parseDigest } from './digest.js';
import type { ManifestChild } from '../storage/metadata/store.js';
import { localize } from '../i18n/localized.js';
import { distributionMessages } from './distribution-messages.js';

export const MediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const;

const IMAGE_MANIFESTS = new Set<string>([MediaTypes.ociManifest, MediaTypes.dockerManifest]);
const INDEXES = new Set<string>([MediaTypes.ociIndex, MediaTypes.dockerManifestList]);
const MANIFEST_MEDIA_TYPES: ReadonlySet<string> = new Set([...IMAGE_MANIFESTS, ...INDEXES]);

/** Layers that live outside the registry (Docker foreign layers, OCI non-distributable layers). */
function isForeignLayer(mediaType: string, urls: unknown): boolean {
  return (
    Array.isArray(urls) &&
    urls.length > 0 &&
    (mediaType.startsWith('application/vnd.docker.image.rootfs.foreign.') || mediaType.startsWith('application/vnd.oci.image.layer.nondistributable.'))
  );
}

interface Descriptor {
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
    throw errors.manifestInvalid(localize(distributionMessages, 'annotationsNotStrings', { where }));
  }
  return value as Record<string, string>;
}

function checkDescriptor(value: unknown, where: string): Descriptor {
  if (!isObject(value)) throw errors.manifestInvalid(localize(distributionMessages, 'notDescriptor', { where }));
  const { mediaType, digest, size } = value;
  if (typeof mediaType !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/.test(mediaType)) {
    throw errors.manifestInvalid(localize(distributionMessages, 'descriptorMediaType', { where }));
  }
  if (typeof digest !== 'string' || !parseDigest(digest)) {
    throw errors.manifestInvalid(localize(distributionMessages, 'descriptorDigest', { where, digest: String(digest) }));
  }
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw errors.manifestInvalid(localize(distributionMessages, 'descriptorSize', { where }));
  }
  if (value.artifactType !== undefined && typeof value.artifactType !== 'string') {
    throw errors.manifestInvalid(localize(distributionMessages, 'descriptorArtifactType', { where }));
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
    throw errors.manifestInvalid(localize(distributionMessages, 'contentTypeMismatch', { header: fromHeader, declared }));
  }
  const mediaType = fromHeader ?? declared;
  if (!mediaType) {
    throw errors.manifestInvalid(localize(distributionMessages, 'noMediaType', { accepted: [...MANIFEST_MEDIA_TYPES].join(', ') }));
  }
  if (!MANIFEST_MEDIA_TYPES.has(mediaType)) {
    throw errors.manifestInvalid(localize(distributionMessages, 'unsupportedMediaType', { mediaType, accepted: [...MANIFEST_MEDIA_TYPES].join(', ') }));
  }
  return mediaType;
}

export function parseManifest(content: Buffer, contentType: string | undefined): ParsedManifest {
  let body: unknown;
  try {
    body = JSON.parse(content.toString('utf8'));
  } catch (error) {
    throw errors.manifestInvalid(localize(distributionMessages, 'manifestNotJson', { detail: (error as Error).message }));
  }
  if (!isObject(body)) throw errors.manifestInvalid(localize(distributionMessages, 'manifestNotObject'));
  if (body.schemaVersion !== 2) {
    throw errors.manifestInvalid(localize(distributionMessages, 'schemaVersion', { got: String(JSON.stringify(body.schemaVersion)) }));
  }
  const mediaType = resolveMediaType(contentType, body);
  if (body.artifactType !== undefined && typeof body.artifactType !== 'string') {
    throw errors.manifestInvalid(localize(distributionMessages, 'manifestArtifactType'));
  }
  const annotations = checkAnnotations(body.annotations, 'manifest');
  const subject = body.subject === undefined ? null : checkDescriptor(body.subject, 'subject').digest;
  const children: ManifestChild[] = [];
  let artifactType = (body.artifactType as string | undefined) ?? null;

  if (IMAGE_MANIFESTS.has(mediaType)) {
    const config = checkDescriptor(body.config, 'config');
    children.push({ digest: config.digest, size: config.size, kind: 'blob' });
    if (!Array.isArray(body.layers)) throw errors.manifestInvalid(localize(distributionMessages, 'layersNotArray'));
    body.layers.forEach((layer, i) => {
      const descriptor = checkDescriptor(layer, `layers[${i}]`);
      if (!isForeignLayer(descriptor.mediaType, descriptor.urls)) {
        children.push({ digest: descriptor.digest, size: descriptor.size, kind: 'blob' });
      }
    });
    // The referrers API reports the config media type when no artifactType is set.
    artifactType ??= mediaType === MediaTypes.ociManifest ? config.mediaType : null;
  } else {
    if (!Array.isArray(body.manifests)) throw errors.manifestInvalid(localize(distributionMessages, 'manifestsNotArray'));
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
