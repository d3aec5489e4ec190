/**
 * One lock per blob digest, for this process: garbage collection deletes a blob's file only
 * while holding it, and everything that makes a blob referenced again (an upload's commit, a
 * cross-repository mount, an import's link) holds it too. Without it, a push that found the
 * file present and kept no copy of its own could link the blob just as the collector deleted
 * the file. A process-wide instance, because the lock guards the files, and a process has one
 * blob directory per data directory; several nodes sharing storage are not covered.
 */
import { KeyedLock } from '../keyed-lock.js';

export const blobDigestLocks = new KeyedLock();
