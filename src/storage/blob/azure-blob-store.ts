/**
 * Azure Blob Storage blob store: every node of a deployment sees the same container, so an upload
 * started on one node can continue on another. Layout in the one container:
 *
 * - `blobs/<algorithm>/<hex>`: content, a block blob per digest;
 * - `uploads/<id>`: an upload's scratch, a block blob whose committed blocks are its acknowledged
 *   bytes. An append stages what arrives as blocks of at most 8 MiB and commits the new block
 *   list before it returns, so the bytes are durable once acknowledged; bytes of an append that
 *   fails are staged blocks never committed, which the service discards;
 * - `quarantine/<algorithm>-<hex>.<moment>`: damaged content moved out of what is served.
 *
 * A commit copies the upload to its content name server-side (the bytes never pass through
 * Wharf) and checks the copy's size; readers only learn a digest once its metadata row exists,
 * after the commit.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  BlobSASPermissions,
  BlobServiceClient,
  StorageSharedKeyCredential,
  type BlockBlobClient,
  type ContainerClient,
  type StoragePipelineOptions,
} from '@azure/storage-blob';
import { digestOfContent, type BlobStore, type ByteRange, type StoredBlobFile, type StoredFile, type StoredUploadFile } from './blob-store.js';
import { KeyedLock } from '../keyed-lock.js';

/** How the driver reaches its container: a connection string, or an account name and key. */
interface AzureBlobSettings {
  connectionString?: string;
  accountName?: string;
  accountKey?: string;
  /** The account's blob endpoint; default `https://<accountName>.blob.core.windows.net`. */
  endpoint?: string;
  /** Created at start when missing. */
  container: string;
  /** Over 0: a blob GET is answered with a 307 to a read-only SAS URL valid this long. */
  downloadRedirectMinutes?: number;
}

/**
 * The most an append holds in memory per block being filled (one more may be in flight to the
 * service). 8 MiB blocks keep a blob within the service's 50,000 committed blocks up to 390 GiB.
 */
const BLOCK_BYTES = 8 * 1024 * 1024;
/** A readiness probe must answer soon, not after the retry policy's whole back-off. */
const CHECK_TIMEOUT_MS = 5_000;
const COPY_POLL_MS = 500;
const HEX_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 };
const HEX_RE = /^[a-f0-9]+$/;
const UPLOAD_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PIPELINE: StoragePipelineOptions = {
  // Short back-off: a client is waiting on the other end of most calls.
  retryOptions: { maxTries: 4, retryDelayInMs: 250, maxRetryDelayInMs: 4_000 },
};

/** The HTTP status of the service's answer; by shape, as the SDK's packages may each carry their own RestError class. */
function statusOf(error: unknown): number | undefined {
  const candidate = error as { name?: unknown; statusCode?: unknown } | null;
  return candidate?.name === 'RestError' && typeof candidate.statusCode === 'number' ? candidate.statusCode : undefined;
}

function isMissing(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** Same-length ids within a blob, as the service requires: 18 random bytes, 24 base64 characters. */
function newBlockId(): string {
  return randomBytes(18).toString('base64');
}

function missingContent(digest: string): Error {
  // ENOENT, as the filesystem store: the data plane answers BLOB_UNKNOWN for it.
  return Object.assign(new Error(`blob ${digest} is not in the container`), { code: 'ENOENT' });
}

interface KeptBlocks {
  /** Committed block ids, in order, that hold exactly the kept bytes. */
  blocks: string[];
  /** The block list changed (blocks dropped or one cut short). */
  changed: boolean;
  /** The upload's ETag when its blocks were listed, so a concurrent writer is detected at commit. */
  etag: string | undefined;
}

export class AzureBlobStore implements BlobStore {
  private readonly container: ContainerClient;
  /**
   * Per-digest locks of this process only, as the filesystem store's. Several nodes on one
   * container are not covered yet: cluster-wide locking (a lease on a lock blob) is a later step.
   */
  private readonly digestLocks = new KeyedLock();
  private readonly redirectMinutes: number;

  constructor(settings: AzureBlobSettings) {
    this.container = serviceClientOf(settings).getContainerClient(settings.container);
    this.redirectMinutes = settings.downloadRedirectMinutes ?? 0;
  }

  /** Creates the container when it is missing; fails clearly when it cannot be reached. */
  async init(): Promise<this> {
    try {
      await this.container.createIfNotExists();
    } catch (error) {
      throw this.unreachable(error);
    }
    // Signing needs the account key: a connection string holding only a SAS cannot sign.
    if (this.redirectMinutes > 0) {
      await this.signedUrl(this.container.getBlockBlobClient('blobs/probe')).catch((error: unknown) => {
        throw new Error(`download redirects need the storage account key to sign URLs: ${(error as Error).message}`, { cause: error });
      });
    }
    return this;
  }

  async downloadLocation(digest: string): Promise<string | undefined> {
    if (this.redirectMinutes === 0) return undefined;
    return this.signedUrl(this.contentClient(digest));
  }

  /** Read-only, for this one blob; valid from a few minutes back, for clocks a little behind the service's. */
  private signedUrl(client: BlockBlobClient): Promise<string> {
    const now = Date.now();
    return client.generateSasUrl({
      permissions: BlobSASPermissions.parse('r'),
      startsOn: new Date(now - 5 * 60_000),
      expiresOn: new Date(now + this.redirectMinutes * 60_000),
    });
  }

  private contentClient(digest: string): BlockBlobClient {
    const [algorithm, hex] = digest.split(':') as [string, string];
    return this.container.getBlockBlobClient(`blobs/${algorithm}/${hex}`);
  }

  private uploadClient(id: string): BlockBlobClient {
    return this.container.getBlockBlobClient(`uploads/${id}`);
  }

  async createUpload(id: string): Promise<void> {
    try {
      // An empty block list: a blob of no bytes and no blocks, created only if there is none.
      await this.uploadClient(id).commitBlockList([], { conditions: { ifNoneMatch: '*' } });
    } catch (error) {
      const status = statusOf(error);
      if (status === 409 || status === 412) throw Object.assign(new Error(`upload ${id} already exists`), { code: 'EEXIST' });
      throw error;
    }
  }

  async appendUpload(id: string, offset: number, data: Readable, onChunk: (chunk: Buffer) => void): Promise<number> {
    const client = this.uploadClient(id);
    const kept = await this.keepFirst(client, offset, `upload ${id}`);
    const staged: string[] = [];
    // One block is staged while the next fills: the network's work overlaps the client's.
    const staging = { previous: Promise.resolve() as Promise<unknown> };
    let parts: Buffer[] = [];
    let partBytes = 0;
    let written = 0;
    const stage = async (block: Buffer): Promise<void> => {
      await staging.previous;
      const blockId = newBlockId();
      staged.push(blockId);
      staging.previous = client.stageBlock(blockId, block, block.length);
      // Awaited by the next stage or below; a failure must not count as unhandled meanwhile.
      staging.previous.catch(() => undefined);
    };
    for await (const chunk of data) {
      const buffer = chunk as Buffer;
      onChunk(buffer);
      written += buffer.length;
      parts.push(buffer);
      partBytes += buffer.length;
      while (partBytes >= BLOCK_BYTES) {
        // One part (a large chunk, or what is left of one) is cut in place, not copied again.
        const joined = parts.length === 1 ? parts[0]! : Buffer.concat(parts, partBytes);
        await stage(joined.subarray(0, BLOCK_BYTES));
        parts = partBytes > BLOCK_BYTES ? [joined.subarray(BLOCK_BYTES)] : [];
        partBytes -= BLOCK_BYTES;
      }
    }
    if (partBytes > 0) await stage(Buffer.concat(parts, partBytes));
    await staging.previous;
    if (kept.changed || staged.length > 0) {
      await client.commitBlockList([...kept.blocks, ...staged], { conditions: kept.etag ? { ifMatch: kept.etag } : {} });
    }
    return offset + written;
  }

  /**
   * Lists an upload's committed blocks and keeps those holding its first `size` bytes. A block
   * that `size` cuts (an append acknowledged only in part) is read back, at most one block, and
   * its kept part staged as a new block. Fewer bytes than `size` stored is an error: the
   * acknowledged bytes are lost, and zeros must not stand in for them.
   */
  private async keepFirst(client: BlockBlobClient, size: number, what: string): Promise<KeptBlocks> {
    const list = await client.getBlockList('committed');
    const committed = list.committedBlocks ?? [];
    const blocks: string[] = [];
    let total = 0;
    let cut = false;
    for (const block of committed) {
      if (total === size) break;
      if (total + block.size <= size) {
        blocks.push(block.name);
        total += block.size;
        continue;
      }
      const keep = size - total;
      if (block.size > BLOCK_BYTES) {
        throw new Error(`${what}: offset ${size} falls inside a block of ${block.size} bytes, larger than the ${BLOCK_BYTES} this store writes and can cut`);
      }
      const head = await client.downloadToBuffer(total, keep);
      const blockId = newBlockId();
      await client.stageBlock(blockId, head, head.length);
      blocks.push(blockId);
      total += keep;
      cut = true;
      break;
    }
    if (total < size) {
      throw Object.assign(new Error(`${what} holds ${total} bytes, fewer than the ${size} acknowledged`), { code: 'EUPLOADSHORT' });
    }
    return { blocks, changed: cut || blocks.length !== committed.length, etag: list.etag };
  }

  readUpload(id: string, size: number): Readable {
    if (size === 0) return Readable.from([]);
    const client = this.uploadClient(id);
    return Readable.from(readExactly(client, size, `upload ${id}`), { objectMode: false });
  }

  async commitUpload(id: string, size: number, digest: string): Promise<void> {
    const upload = this.uploadClient(id);
    const kept = await this.keepFirst(upload, size, `upload ${id}`);
    if (kept.changed) await upload.commitBlockList(kept.blocks, { conditions: kept.etag ? { ifMatch: kept.etag } : {} });
    // One copy per digest, but only if the copy there is right: a re-push heals damaged content.
    if ((await this.stat(digest)) === size && (await this.digestOf(digest)) === digest) {
      await upload.deleteIfExists();
      return;
    }
    const target = this.contentClient(digest);
    await copyWithin(upload, target);
    const copied = (await target.getProperties()).contentLength;
    if (copied !== size) {
      await target.deleteIfExists();
      throw new Error(`the copy of upload ${id} to ${digest} holds ${copied} bytes, not ${size}`);
    }
    await upload.deleteIfExists();
  }

  async deleteUpload(id: string): Promise<void> {
    await this.uploadClient(id).deleteIfExists();
  }

  async stat(digest: string): Promise<number | undefined> {
    return (await this.inspect(digest))?.size;
  }

  async open(digest: string, range?: ByteRange): Promise<Readable> {
    const client = this.contentClient(digest);
    try {
      if (range && range.end < range.start) {
        // Nothing to read (an empty blob), but a missing blob must still be reported here.
        await client.getProperties();
        return Readable.from([]);
      }
      const response = range ? await client.download(range.start, range.end - range.start + 1) : await client.download(0);
      // The SDK's stream resumes from where it broke off when the connection drops mid-body.
      return response.readableStreamBody as Readable;
    } catch (error) {
      if (isMissing(error)) throw missingContent(digest);
      throw error;
    }
  }

  async delete(digest: string): Promise<void> {
    await this.contentClient(digest).deleteIfExists();
  }

  async inspect(digest: string): Promise<StoredFile | undefined> {
    return inspectBlob(this.contentClient(digest));
  }

  async inspectUpload(id: string): Promise<StoredFile | undefined> {
    return inspectBlob(this.uploadClient(id));
  }

  async digestOf(digest: string): Promise<string | undefined> {
    return digestOfContent(digest, async () => (await this.contentClient(digest).download(0)).readableStreamBody!, isMissing);
  }

  async quarantine(digest: string): Promise<boolean> {
    const source = this.contentClient(digest);
    if (!(await inspectBlob(source))) return false;
    // Several quarantined copies of one digest may pile up over time; each keeps its moment.
    const name = `quarantine/${digest.replace(':', '-')}.${new Date().toISOString().replace(/[:.]/g, '')}`;
    try {
      await copyWithin(source, this.container.getBlockBlobClient(name));
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
    await source.deleteIfExists();
    return true;
  }

  async *listBlobs(): AsyncIterable<StoredBlobFile> {
    for await (const item of this.container.listBlobsFlat({ prefix: 'blobs/' })) {
      const [, algorithm = '', hex = '', ...rest] = item.name.split('/');
      const hexLength = HEX_LENGTH[algorithm];
      if (hexLength === undefined || rest.length > 0 || hex.length !== hexLength || !HEX_RE.test(hex)) continue;
      yield { digest: `${algorithm}:${hex}`, size: item.properties.contentLength ?? 0, modifiedMs: item.properties.lastModified.getTime() };
    }
  }

  async *listUploads(): AsyncIterable<StoredUploadFile> {
    for await (const item of this.container.listBlobsFlat({ prefix: 'uploads/' })) {
      const id = item.name.slice('uploads/'.length);
      if (!UPLOAD_ID_RE.test(id)) continue;
      yield { id, size: item.properties.contentLength ?? 0, modifiedMs: item.properties.lastModified.getTime() };
    }
  }

  async check(): Promise<void> {
    try {
      await this.container.getProperties({ abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
    } catch (error) {
      throw this.unreachable(error);
    }
  }

  private unreachable(error: unknown): Error {
    const status = statusOf(error);
    const why = status === 403 ? 'the credentials were refused' : status === 404 ? 'the container does not exist' : (error as Error).message;
    return new Error(`Azure Blob Storage container ${this.container.containerName} at ${this.container.url} is not usable: ${why}`, { cause: error });
  }

  withDigestLock<T>(digest: string, work: () => Promise<T>): Promise<T> {
    return this.digestLocks.run(digest, work);
  }
}

function serviceClientOf(settings: AzureBlobSettings): BlobServiceClient {
  if (settings.connectionString) return BlobServiceClient.fromConnectionString(settings.connectionString, PIPELINE);
  if (!settings.accountName || !settings.accountKey) throw new Error('the Azure blob store needs a connection string, or an account name and key');
  const endpoint = settings.endpoint ?? `https://${settings.accountName}.blob.core.windows.net`;
  return new BlobServiceClient(endpoint, new StorageSharedKeyCredential(settings.accountName, settings.accountKey), PIPELINE);
}

async function inspectBlob(client: BlockBlobClient): Promise<StoredFile | undefined> {
  try {
    const properties = await client.getProperties();
    return { size: properties.contentLength ?? 0, modifiedMs: properties.lastModified?.getTime() ?? 0 };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** The first `size` bytes of a blob, streamed; a blob found shorter is an error, not a short read. */
async function* readExactly(client: BlockBlobClient, size: number, what: string): AsyncGenerator<Buffer> {
  const response = await client.download(0, size);
  let read = 0;
  for await (const chunk of response.readableStreamBody!) {
    read += (chunk as Buffer).length;
    yield chunk as Buffer;
  }
  if (read !== size) throw new Error(`${what} returned ${read} bytes, not the ${size} acknowledged`);
}

/**
 * A server-side copy within the account (the shared key that signs the request covers the
 * source), waited for until it completes.
 */
async function copyWithin(source: BlockBlobClient, target: BlockBlobClient): Promise<void> {
  const poller = await target.beginCopyFromURL(source.url, { intervalInMs: COPY_POLL_MS });
  const result = await poller.pollUntilDone();
  if (result.copyStatus !== undefined && result.copyStatus !== 'success') {
    throw new Error(`copying ${source.name} to ${target.name} ended ${result.copyStatus}`);
  }
}
