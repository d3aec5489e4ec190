/**
 * One lock per blob digest, for this process: garbage collection deletes a blob's file only
 * while holding it, and everything that makes a blob referenced again (an upload's commit, a
 * cross-repository mount, an import's link) holds it too. Without it, a push that found the
 * file present and kept no copy of its own could link the blob just as the collector deleted
 * the file. A process-wide instance, because the lock guards the files, and a process has one
 * blob directory per data directory; several nodes sharing storage are not covered.
 */
export class DigestLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(digest: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(digest) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.tails.set(digest, next);
    try {
      return await next;
    } finally {
      if (this.tails.get(digest) === next) this.tails.delete(digest);
    }
  }
}

export const blobDigestLocks = new DigestLocks();
