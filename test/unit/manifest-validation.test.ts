import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accepts, MediaTypes, parseManifest } from '../../src/distribution/manifest-validation.js';
import { RegistryError } from '../../src/kernel/errors.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const desc = (c: string, mediaType = 'application/vnd.oci.image.layer.v1.tar+gzip', size = 10) => ({ mediaType, digest: d(c), size });
const image = (extra: Record<string, unknown> = {}) => ({
  schemaVersion: 2,
  mediaType: MediaTypes.ociManifest,
  config: desc('c', 'application/vnd.oci.image.config.v1+json', 2),
  layers: [desc('a'), desc('b')],
  ...extra,
});
const parse = (body: unknown, contentType?: string) => parseManifest(Buffer.from(JSON.stringify(body)), contentType);
const invalid = (fn: () => unknown, text: RegExp) => assert.throws(fn, (e: RegistryError) => e.code === 'MANIFEST_INVALID' && text.test(e.message));

describe('manifest validation', () => {
  it('lists config and layers of an image manifest as blob children', () => {
    const parsed = parse(image(), MediaTypes.ociManifest);
    assert.equal(parsed.mediaType, MediaTypes.ociManifest);
    assert.deepEqual(
      parsed.children.map((c) => [c.digest, c.kind]),
      [
        [d('c'), 'blob'],
        [d('a'), 'blob'],
        [d('b'), 'blob'],
      ],
    );
    assert.equal(parsed.artifactType, 'application/vnd.oci.image.config.v1+json');
    assert.equal(parsed.subject, null);
  });
  it('lists the manifests of an index as manifest children', () => {
    const parsed = parse({ schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests: [desc('e', MediaTypes.ociManifest)] });
    assert.deepEqual(parsed.children, [{ digest: d('e'), kind: 'manifest', size: 10 }]);
  });
  it('takes the media type from the body when Content-Type is generic', () => {
    assert.equal(parse(image(), 'application/json').mediaType, MediaTypes.ociManifest);
  });
  it('accepts docker schema 2 and manifest lists', () => {
    const docker = { schemaVersion: 2, mediaType: MediaTypes.dockerManifest, config: desc('c', 'application/vnd.docker.container.image.v1+json'), layers: [] };
    assert.equal(parse(docker, MediaTypes.dockerManifest).artifactType, null);
    assert.equal(parse({ schemaVersion: 2, mediaType: MediaTypes.dockerManifestList, manifests: [] }).mediaType, MediaTypes.dockerManifestList);
  });
  it('skips foreign layers with URLs', () => {
    const foreign = { ...desc('f', 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip'), urls: ['https://example.com/layer'] };
    const parsed = parse(image({ layers: [foreign, desc('a')] }));
    assert.deepEqual(
      parsed.children.map((c) => c.digest),
      [d('c'), d('a')],
    );
  });
  it('records subject, artifactType and annotations', () => {
    const parsed = parse(image({ subject: desc('9', MediaTypes.ociManifest), artifactType: 'application/x.sig', annotations: { a: 'b' } }));
    assert.equal(parsed.subject, d('9'));
    assert.equal(parsed.artifactType, 'application/x.sig');
    assert.deepEqual(parsed.annotations, { a: 'b' });
  });
  it('refuses bad manifests with the cause', () => {
    invalid(() => parseManifest(Buffer.from('{nope'), MediaTypes.ociManifest), /not valid JSON/);
    invalid(() => parse([1, 2]), /JSON object/);
    invalid(() => parse(image({ schemaVersion: 1 })), /schemaVersion must be 2/);
    invalid(() => parse(image(), MediaTypes.ociIndex), /does not match/);
    invalid(() => parse({ ...image(), mediaType: undefined }), /no media type/);
    invalid(() => parse(image({ mediaType: 'application/x-unknown' })), /unsupported manifest media type/);
    invalid(() => parse(image({ config: undefined })), /config must be a descriptor/);
    invalid(() => parse(image({ layers: {} })), /layers must be an array/);
    invalid(() => parse(image({ layers: [{ ...desc('a'), digest: 'sha256:xyz' }] })), /layers\[0\]\.digest/);
    invalid(() => parse(image({ layers: [{ ...desc('a'), size: -1 }] })), /layers\[0\]\.size/);
    invalid(() => parse(image({ layers: [{ ...desc('a'), size: 1.5 }] })), /layers\[0\]\.size/);
    invalid(() => parse(image({ layers: [{ ...desc('a'), mediaType: 'nope' }] })), /layers\[0\]\.mediaType/);
    invalid(() => parse(image({ annotations: { a: 1 } })), /annotations/);
    invalid(() => parse(image({ subject: 'sha256:abc' })), /subject/);
    invalid(() => parse({ schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests: 'x' }), /manifests must be an array/);
  });
});

describe('Accept negotiation', () => {
  it('allows when the header is absent, a wildcard, generic, or names the type', () => {
    assert.ok(accepts(undefined, MediaTypes.ociManifest));
    assert.ok(accepts('*/*', MediaTypes.ociManifest));
    assert.ok(accepts('application/json', MediaTypes.ociManifest));
    assert.ok(accepts(`${MediaTypes.dockerManifest}, ${MediaTypes.ociManifest};q=0.9`, MediaTypes.ociManifest));
  });
  it('refuses when the header names only other manifest types', () => {
    assert.ok(!accepts(MediaTypes.dockerManifest, MediaTypes.ociManifest));
    assert.ok(!accepts(`${MediaTypes.ociManifest}, ${MediaTypes.dockerManifest}`, MediaTypes.ociIndex));
  });
});
