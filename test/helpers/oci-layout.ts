/**
 * OCI image layouts built without a container engine, as sources for skopeo / podman pushes.
 * By hand: random files → system `tar` (deterministic flags) → gzip → blobs/sha256, a config
 * whose diff_ids are the uncompressed tar digests, an OCI manifest, and index.json naming the
 * tag in org.opencontainers.image.ref.name. Or with umoci, which writes the same structure by
 * its own code, so a bug shared by our writer and our reader cannot hide.
 * Random content makes every image unique, so pushes never hit blobs left by another test.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MEDIA } from './contract.js';
import { sha256 } from './http.js';
import { tempDir } from './tmp.js';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { architecture: string; os: string; variant?: string };
  annotations?: Record<string, string>;
  artifactType?: string;
}

export interface LayerSpec {
  /** Number of files in the layer (default 1). */
  files?: number;
  /** Total bytes of random content spread over the files (default 1024). */
  size?: number;
}

export interface ImageOptions {
  /** Number of layers (each `layerSize` bytes) or a spec per layer. Default 1. */
  layers?: number | LayerSpec[];
  layerSize?: number;
  os?: string;
  architecture?: string;
  cmd?: string[];
}

export interface BuiltImage {
  manifestDigest: string;
  manifestSize: number;
  manifest: Buffer;
  configDigest: string;
  config: Buffer;
  layers: { digest: string; size: number; diffId: string }[];
  descriptor: Descriptor;
}

export interface BuiltIndex {
  indexDigest: string;
  index: Buffer;
  images: BuiltImage[];
  descriptor: Descriptor;
}

/** Accumulates blobs in one layout directory; tag() + write() produce index.json. */
export class OciLayout {
  readonly dir: string;
  private readonly work: string;
  private readonly refs: Descriptor[] = [];
  private counter = 0;

  constructor(dir?: string) {
    this.dir = dir ?? tempDir('layout');
    this.work = tempDir('layout-work');
    mkdirSync(join(this.dir, 'blobs', 'sha256'), { recursive: true });
    writeFileSync(join(this.dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  }

  /** Stores a blob under blobs/<alg>/<hex> and returns its digest. */
  putBlob(data: Buffer): string {
    const digest = sha256(data);
    writeFileSync(join(this.dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), data);
    return digest;
  }

  blob(digest: string): Buffer {
    const [alg, hex] = digest.split(':');
    return readFileSync(join(this.dir, 'blobs', alg!, hex!));
  }

  /** A gzip'd tar of `files` random files totalling `size` bytes, via the system tar. */
  private makeLayer(spec: LayerSpec): { digest: string; size: number; diffId: string } {
    const n = ++this.counter;
    const root = join(this.work, `rootfs-${n}`);
    const dir = join(root, `layer-${n}`);
    mkdirSync(dir, { recursive: true });
    const files = Math.max(1, spec.files ?? 1);
    const total = spec.size ?? 1024;
    // A nonce file keeps even empty layers unique across images and runs.
    writeFileSync(join(dir, 'nonce'), randomBytes(16).toString('hex'));
    for (let i = 0; i < files; i++) {
      const bytes = Math.floor(total / files) + (i < total % files ? 1 : 0);
      writeFileSync(join(dir, `file-${i}.bin`), randomBytes(bytes));
    }
    const tarPath = join(this.work, `layer-${n}.tar`);
    // Deterministic tar: fixed order, mtime, and owners, so diff_id depends on content only.
    execFileSync('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-C', root, '-cf', tarPath, '.']);
    const tar = readFileSync(tarPath);
    const gz = gzipSync(tar);
    return { digest: this.putBlob(gz), size: gz.length, diffId: sha256(tar) };
  }

  addImage(opts: ImageOptions = {}): BuiltImage {
    const specs: LayerSpec[] = Array.isArray(opts.layers) ? opts.layers : Array.from({ length: opts.layers ?? 1 }, () => ({ size: opts.layerSize ?? 1024 }));
    const layers = specs.map((s) => this.makeLayer(s));
    const architecture = opts.architecture ?? 'amd64';
    const os = opts.os ?? 'linux';
    const config = Buffer.from(
      JSON.stringify({
        architecture,
        os,
        config: { Cmd: opts.cmd ?? ['/bin/true'] },
        rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
        history: layers.map(() => ({ created_by: 'wharf e2e oci-layout helper' })),
      }),
    );
    const configDigest = this.putBlob(config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.ociManifest,
        config: { mediaType: MEDIA.ociConfig, digest: configDigest, size: config.length },
        layers: layers.map((l) => ({ mediaType: MEDIA.ociLayerGzip, digest: l.digest, size: l.size })),
      }),
    );
    const manifestDigest = this.putBlob(manifest);
    return {
      manifestDigest,
      manifestSize: manifest.length,
      manifest,
      configDigest,
      config,
      layers,
      descriptor: { mediaType: MEDIA.ociManifest, digest: manifestDigest, size: manifest.length, platform: { architecture, os } },
    };
  }

  /** An OCI image index over one image per platform. */
  addIndex(platforms: { os: string; architecture: string }[], image: ImageOptions = {}): BuiltIndex {
    const images = platforms.map((p) => this.addImage({ ...image, ...p }));
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA.ociIndex,
        manifests: images.map((i) => i.descriptor),
      }),
    );
    const indexDigest = this.putBlob(index);
    return { indexDigest, index, images, descriptor: { mediaType: MEDIA.ociIndex, digest: indexDigest, size: index.length } };
  }

  /** Names `descriptor` as `tag` in index.json (written by write()). */
  tag(tag: string, descriptor: Descriptor): void {
    const { platform: _platform, ...rest } = descriptor;
    this.refs.push({ ...rest, annotations: { 'org.opencontainers.image.ref.name': tag } });
  }

  write(): void {
    writeFileSync(join(this.dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: this.refs }));
  }

  /** The skopeo reference for a tag in this layout. */
  ref(tag: string): string {
    return `oci:${this.dir}:${tag}`;
  }
}

/** A layout holding one single-platform image tagged `tag` (default v1). */
export function buildImageLayout(opts: ImageOptions & { tag?: string; dir?: string } = {}): BuiltImage & {
  layout: OciLayout;
  dir: string;
  tag: string;
  ref: string;
} {
  const layout = new OciLayout(opts.dir);
  const tag = opts.tag ?? 'v1';
  const image = layout.addImage(opts);
  layout.tag(tag, image.descriptor);
  layout.write();
  return { ...image, layout, dir: layout.dir, tag, ref: layout.ref(tag) };
}

/** A layout whose tag points at a multi-platform OCI image index. */
export function buildIndexLayout(
  opts: ImageOptions & {
    tag?: string;
    dir?: string;
    platforms?: { os: string; architecture: string }[];
  } = {},
): BuiltIndex & { layout: OciLayout; dir: string; tag: string; ref: string } {
  const layout = new OciLayout(opts.dir);
  const tag = opts.tag ?? 'multi';
  const built = layout.addIndex(
    opts.platforms ?? [
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ],
    opts,
  );
  layout.tag(tag, built.descriptor);
  layout.write();
  return { ...built, layout, dir: layout.dir, tag, ref: layout.ref(tag) };
}

/** What index.json says a tag points at. */
export function resolveTag(dir: string, tag: string): Descriptor {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: Descriptor[] };
  const found = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === tag);
  if (!found) throw new Error(`tag ${tag} not in ${dir}/index.json: ${JSON.stringify(index)}`);
  return found;
}

export function readBlob(dir: string, digest: string): Buffer {
  const [alg, hex] = digest.split(':');
  return readFileSync(join(dir, 'blobs', alg!, hex!));
}

/**
 * A layout made by umoci: init, new, unpack, add `files` to the rootfs, repack, set the cmd.
 * Returns the digests as umoci wrote them.
 */
export function buildUmociLayout(opts: { tag?: string; files?: Record<string, string | Buffer> } = {}): {
  dir: string;
  tag: string;
  ref: string;
  manifestDigest: string;
  manifest: Buffer;
  configDigest: string;
  layerDigests: string[];
} {
  const tag = opts.tag ?? 'v1';
  const parent = tempDir('umoci');
  const dir = join(parent, 'layout');
  const bundle = join(parent, 'bundle');
  const umoci = (...args: string[]) => execFileSync('umoci', args, { stdio: 'pipe' });
  umoci('init', '--layout', dir);
  umoci('new', '--image', `${dir}:${tag}`);
  // --rootless would be needed as non-root; the tests run as root here, where it is harmful.
  umoci('unpack', ...(process.getuid?.() === 0 ? [] : ['--rootless']), '--image', `${dir}:${tag}`, bundle);
  const files = opts.files ?? { 'etc/wharf-e2e.txt': `umoci layer ${randomBytes(8).toString('hex')}\n` };
  for (const [path, content] of Object.entries(files)) {
    const full = join(bundle, 'rootfs', path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content);
  }
  umoci('repack', ...(process.getuid?.() === 0 ? [] : ['--rootless']), '--image', `${dir}:${tag}`, bundle);
  umoci('config', '--image', `${dir}:${tag}`, '--config.cmd', '/bin/true');
  const desc = resolveTag(dir, tag);
  const manifest = readBlob(dir, desc.digest);
  const parsed = JSON.parse(manifest.toString('utf8')) as { config: Descriptor; layers: Descriptor[] };
  if (!existsSync(join(dir, 'blobs'))) throw new Error('umoci wrote no blobs');
  return {
    dir,
    tag,
    ref: `oci:${dir}:${tag}`,
    manifestDigest: desc.digest,
    manifest,
    configDigest: parsed.config.digest,
    layerDigests: parsed.layers.map((l) => l.digest),
  };
}
