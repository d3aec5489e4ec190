/**
 * The measurements. Every figure runs in ROUNDS rounds in ABBA order (see
 * config.ts) and is reported as total work over total time, so neither server
 * profits from going first or last on a shared, noisy machine.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { MiB, sizes, type BenchConfig } from './config.js';
import type { BlobFile, RoundBlobs } from './blobs.js';
import type { RunningRegistry } from './servers.js';
import { downloadBlob, getJson, putManifest, uploadBytes, uploadFile } from './oci-client.js';
import { peakRssDuring, treeRss } from './rss.js';
import { runWrk } from './wrk.js';

export type FigureKey =
  | 'uploadSmall' | 'uploadMedium' | 'uploadLarge' | 'uploadParallel'
  | 'downloadSmall' | 'downloadMedium' | 'downloadLarge'
  | 'manifestRps' | 'tagsRps' | 'blobRps'
  | 'rssBaseline' | 'rssPeakMedium' | 'rssPeakLarge';

/** Per-registry results; a missing key means "not measured" (e.g. quick mode). */
export type Figures = Partial<Record<FigureKey, number>>;

export interface Results {
  readonly figures: Map<RunningRegistry, Figures>;
  readonly warnings: string[];
}

/** Work done in some time: bytes for throughput figures, requests for req/s figures. */
interface Sample {
  readonly amount: number;
  readonly ms: number;
}

const REPO = {
  small: 'bench/small',
  medium: 'bench/medium',
  large: 'bench/large',
  parallel: 'bench/parallel',
  image: 'bench/image',
  warmup: 'bench/warmup',
} as const;

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const TAG_COUNT = 100;

type Log = (message: string) => void;

const sha256 = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const totalSize = (blobs: BlobFile[]): number => blobs.reduce((sum, b) => sum + b.size, 0);

/**
 * Flush dirty pages before every measurement: Distribution does not fsync, so
 * without this the kernel's writeback of one server's uploads would land in
 * the next server's measurement.
 */
function syncDisks(): void {
  spawnSync('sync', { stdio: 'ignore' });
}

async function timed(amount: number, work: () => Promise<void>): Promise<Sample> {
  const start = performance.now();
  await work();
  return { amount, ms: performance.now() - start };
}

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

/** A small OCI image (config + one gzip layer) tagged v1 plus t001…t099: 100 tags on one manifest. */
async function pushImage(registry: RunningRegistry): Promise<void> {
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [] as string[] },
    config: {},
  }));
  const layer = gzipSync(randomBytes(64 * 1024));
  const configDigest = sha256(config);
  const layerDigest = sha256(layer);
  await uploadBytes(registry.baseUrl, REPO.image, config, configDigest);
  await uploadBytes(registry.baseUrl, REPO.image, layer, layerDigest);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layer.length }],
  }));
  await putManifest(registry.baseUrl, REPO.image, 'v1', manifest, OCI_MANIFEST);
  for (let i = 1; i < TAG_COUNT; i++) {
    await putManifest(registry.baseUrl, REPO.image, `t${String(i).padStart(3, '0')}`, manifest, OCI_MANIFEST);
  }
  // Check what wrk will hit, so a wrong setup fails loudly instead of benchmarking 404s.
  const tags = (await getJson(`${registry.baseUrl}/v2/${REPO.image}/tags/list`)) as { tags?: unknown[] };
  if (tags.tags?.length !== TAG_COUNT) {
    throw new Error(`${registry.label}: tags/list returned ${tags.tags?.length} tags, want ${TAG_COUNT}`);
  }
  await getJson(`${registry.baseUrl}/v2/${REPO.image}/manifests/v1`, OCI_MANIFEST);
}

export async function measureAll(
  registries: RunningRegistry[],
  rounds: RoundBlobs[],
  config: BenchConfig,
  log: Log,
): Promise<Results> {
  const figures = new Map<RunningRegistry, Figures>(registries.map((r) => [r, {}]));
  const warnings: string[] = [];
  const set = (r: RunningRegistry, key: FigureKey, value: number): void => {
    figures.get(r)![key] = value;
  };
  const peak = (r: RunningRegistry, key: FigureKey, value: number): void => set(r, key, Math.max(figures.get(r)![key] ?? 0, value));

  /**
   * One figure: every round visits every registry, in reverse order on odd
   * rounds (ABBA), then stores total amount / total seconds × `scale`.
   */
  const figure = async (key: FigureKey, title: string, scale: number, work: (r: RunningRegistry, round: number) => Promise<Sample>) => {
    const totals = new Map<RunningRegistry, { amount: number; ms: number }>(registries.map((r) => [r, { amount: 0, ms: 0 }]));
    for (let round = 0; round < rounds.length; round++) {
      const order = round % 2 === 0 ? registries : [...registries].reverse();
      for (const r of order) {
        log(`${title} (round ${round + 1}/${rounds.length}) — ${r.label}`);
        syncDisks();
        const sample = await work(r, round);
        const total = totals.get(r)!;
        total.amount += sample.amount;
        total.ms += sample.ms;
      }
    }
    for (const [r, total] of totals) set(r, key, (total.amount * scale) / (total.ms / 1000));
  };

  const wrk = async (r: RunningRegistry, key: FigureKey, path: string, connections: number, headers?: Record<string, string>): Promise<Sample> => {
    const url = `${r.baseUrl}${path}`;
    await runWrk(url, { connections, seconds: 1, headers }); // warm-up, not counted
    const result = await runWrk(url, { connections, seconds: config.seconds, headers });
    if (result.non2xx > 0 || result.socketErrors > 0) {
      warnings.push(
        `WARNING ${key} on ${r.label}: ${result.non2xx} non-2xx/3xx responses and ${result.socketErrors} socket errors ` +
          `out of ${result.requests} requests — the req/s figure is wrong`,
      );
    }
    // wrk's own req/s over its own duration; expressed as a Sample so rounds combine like the others.
    return { amount: result.requestsPerSec * config.seconds, ms: config.seconds * 1000 };
  };

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
    downloadSeries(r, REPO.medium, rounds[i]!.medium, rounds[i]!.medium.length * sizes.mediumDownloadRepeats));
  if (rounds.every((b) => b.large !== undefined)) {
    await figure('downloadLarge', 'download 512 MiB', perMiB, (r, i) => downloadSeries(r, REPO.large, [rounds[i]!.large!], sizes.largeDownloadRepeats));
  }

  await figure('manifestRps', `wrk manifest GET -c64 ${config.seconds}s`, 1, (r) =>
    wrk(r, 'manifestRps', `/v2/${REPO.image}/manifests/v1`, 64, { Accept: OCI_MANIFEST }));
  await figure('tagsRps', `wrk tags list -c64 ${config.seconds}s`, 1, (r) => wrk(r, 'tagsRps', `/v2/${REPO.image}/tags/list`, 64));
  const blob = rounds[0]!.small[0]!;
  await figure('blobRps', `wrk 1 MiB blob GET -c16 ${config.seconds}s`, 1, (r) => wrk(r, 'blobRps', `/v2/${REPO.small}/blobs/${blob.digest}`, 16));

  return { figures, warnings };
}
