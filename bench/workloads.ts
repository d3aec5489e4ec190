/**
 * The measurements without access control (Wharf with WHARF_OPEN_ACCESS=true, Distribution
 * without auth). Every figure runs in ROUNDS rounds in ABBA order (see measure.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { MiB, sizes, type BenchConfig } from './config.js';
import type { BlobFile, RoundBlobs } from './blobs.js';
import { FigureBook, timed, type FigureKey, type Figures, type Log, type Sample } from './measure.js';
import type { RunningRegistry } from './servers.js';
import { downloadBlob, getJson, putManifest, uploadBytes, uploadFile } from './oci-client.js';
import { peakRssDuring, treeRss } from './rss.js';

export type { FigureKey, Figures } from './measure.js';

interface Results {
  readonly figures: Map<RunningRegistry, Figures>;
  readonly warnings: string[];
}

export const REPO = {
  small: 'bench/small',
  medium: 'bench/medium',
  large: 'bench/large',
  parallel: 'bench/parallel',
  image: 'bench/image',
  warmup: 'bench/warmup',
} as const;

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const TAG_COUNT = 100;

const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const totalSize = (blobs: BlobFile[]): number => blobs.reduce((sum, b) => sum + b.size, 0);

/** Sequential monolithic uploads; the time includes the POST, as a client sees it. */
function uploadSeries(registry: RunningRegistry, repo: string, blobs: BlobFile[]): Promise<Sample> {
  return timed(totalSize(blobs), async () => {
    for (const blob of blobs) await uploadFile(registry.baseUrl, repo, blob);
  });
}

function parallelUpload(registry: RunningRegistry, blobs: BlobFile[]): Promise<Sample> {
  return timed(totalSize(blobs), async () => {
    await Promise.all(blobs.map((blob) => uploadFile(registry.baseUrl, REPO.parallel, blob)));
  });
}

async function downloadSeries(registry: RunningRegistry, repo: string, blobs: BlobFile[], count: number): Promise<Sample> {
  let bytes = 0;
  const sample = await timed(0, async () => {
    for (let i = 0; i < count; i++) {
      const blob = blobs[i % blobs.length]!;
      const got = await downloadBlob(registry.baseUrl, repo, blob.digest);
      if (got !== blob.size) throw new Error(`${registry.label}: GET ${blob.digest} returned ${got} bytes, want ${blob.size}`);
      bytes += got;
    }
  });
  return { amount: bytes, ms: sample.ms };
}

/** Get JIT, connection pools and storage directories warm so the first figure is not a cold-start figure. */
async function warmUp(registry: RunningRegistry): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const data = randomBytes(256 * 1024);
    const digest = sha256(data);
    await uploadBytes(registry.baseUrl, REPO.warmup, data, digest);
    await downloadBlob(registry.baseUrl, REPO.warmup, digest);
  }
}

/**
 * A small OCI image (config + one gzip layer) tagged v1 plus t001…t099: 100 tags on one
 * manifest, in REPO.image. `auth`: the Authorization header, for registries with access control.
 */
export async function pushImage(registry: RunningRegistry, auth?: string): Promise<void> {
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [] as string[] },
      config: {},
    }),
  );
  const layer = gzipSync(randomBytes(64 * 1024));
  const configDigest = sha256(config);
  const layerDigest = sha256(layer);
  await uploadBytes(registry.baseUrl, REPO.image, config, configDigest, auth);
  await uploadBytes(registry.baseUrl, REPO.image, layer, layerDigest, auth);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
    }),
  );
  await putManifest(registry.baseUrl, REPO.image, 'v1', manifest, OCI_MANIFEST, auth);
  for (let i = 1; i < TAG_COUNT; i++) {
    await putManifest(registry.baseUrl, REPO.image, `t${String(i).padStart(3, '0')}`, manifest, OCI_MANIFEST, auth);
  }
  // Check what wrk will hit, so a wrong setup fails loudly instead of benchmarking 404s.
  const tags = (await getJson(`${registry.baseUrl}/v2/${REPO.image}/tags/list`, 'application/json', auth)) as { tags?: unknown[] };
  if (tags.tags?.length !== TAG_COUNT) {
    throw new Error(`${registry.label}: tags/list returned ${tags.tags?.length} tags, want ${TAG_COUNT}`);
  }
  await getJson(`${registry.baseUrl}/v2/${REPO.image}/manifests/v1`, OCI_MANIFEST, auth);
}

export async function measureAll(registries: RunningRegistry[], rounds: RoundBlobs[], config: BenchConfig, log: Log): Promise<Results> {
  const book = new FigureBook(registries, rounds.length, config.seconds, log);
  const set = book.set.bind(book);
  const peak = book.peak.bind(book);
  const figure = book.figure.bind(book);
  const wrk = (r: RunningRegistry, key: FigureKey, path: string, connections: number, headers?: Record<string, string>) =>
    book.wrk(r, key, `${r.baseUrl}${path}`, { connections, headers });

  for (const r of registries) {
    log(`warm-up and push test image — ${r.label}`);
    await warmUp(r);
    await pushImage(r);
  }

  const perMiB = 1 / MiB;
  const n = (blobs: BlobFile[]) => blobs.length;
  await figure('uploadSmall', `upload 1 MiB ×${n(rounds[0]!.small)}`, perMiB, (r, i) => uploadSeries(r, REPO.small, rounds[i]!.small));

  for (const r of registries) set(r, 'rssBaseline', treeRss(r.pid));
  await figure('uploadMedium', `upload 64 MiB ×${n(rounds[0]!.medium)}`, perMiB, async (r, i) => {
    const { result, peak: p } = await peakRssDuring(r.pid, () => uploadSeries(r, REPO.medium, rounds[i]!.medium));
    peak(r, 'rssPeakMedium', p);
    return result;
  });

  if (rounds.every((b) => b.large !== undefined)) {
    await figure('uploadLarge', 'upload 512 MiB', perMiB, async (r, i) => {
      const { result, peak: p } = await peakRssDuring(r.pid, () => uploadSeries(r, REPO.large, [rounds[i]!.large!]));
      peak(r, 'rssPeakLarge', p);
      return result;
    });
  }

  await figure('uploadParallel', `upload ${n(rounds[0]!.parallel)}×16 MiB in parallel`, perMiB, (r, i) => parallelUpload(r, rounds[i]!.parallel));

  await figure('downloadSmall', 'download 1 MiB', perMiB, (r, i) => downloadSeries(r, REPO.small, rounds[i]!.small, sizes.smallDownloads));
  await figure('downloadMedium', 'download 64 MiB', perMiB, (r, i) =>
    downloadSeries(r, REPO.medium, rounds[i]!.medium, rounds[i]!.medium.length * sizes.mediumDownloadRepeats),
  );
  if (rounds.every((b) => b.large !== undefined)) {
    await figure('downloadLarge', 'download 512 MiB', perMiB, (r, i) => downloadSeries(r, REPO.large, [rounds[i]!.large!], sizes.largeDownloadRepeats));
  }

  await figure('manifestRps', `wrk manifest GET -c64 ${config.seconds}s`, 1, (r) =>
    wrk(r, 'manifestRps', `/v2/${REPO.image}/manifests/v1`, 64, { Accept: OCI_MANIFEST }),
  );
  await figure('tagsRps', `wrk tags list -c64 ${config.seconds}s`, 1, (r) => wrk(r, 'tagsRps', `/v2/${REPO.image}/tags/list`, 64));
  const blob = rounds[0]!.small[0]!;
  await figure('blobRps', `wrk 1 MiB blob GET -c16 ${config.seconds}s`, 1, (r) => wrk(r, 'blobRps', `/v2/${REPO.small}/blobs/${blob.digest}`, 16));

  return { figures: book.figures, warnings: book.warnings };
}
