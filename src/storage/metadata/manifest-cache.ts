/**
 * A read-through cache in front of the manifest index, for a metadata store that only this
 * process writes (SQLite, opened in exclusive locking mode). Every write goes through this
 * wrapper, so the cache is exact rather than eventually consistent; manifest content is
 * immutable per digest. Bounded by repositories kept and manifests per repository.
 */
import type { ManifestIndex, ManifestRecord, NewManifest, Page, PutManifestResult, RepositoryRef } from './store.js';

interface RepositoryEntry {
  /** tag → digest; a missing key means "not looked up yet". */
  tags: Map<string, string | null>;
  manifests: Map<string, ManifestRecord | null>;
  /** Every tag, sorted; null until listed. */
  tagList: string[] | null | undefined;
}

const MAX_REPOSITORIES = 1024;
const MAX_ENTRIES_PER_REPOSITORY = 4096;
const MAX_CACHED_TAG_LIST = 10_000;
const MAX_MANIFEST_BYTES = 256 * 1024;

export class CachedManifestIndex implements ManifestIndex {
  private readonly repositories = new Map<string, RepositoryEntry>();

  constructor(private readonly inner: ManifestIndex) {}

  private entry(ref: RepositoryRef): RepositoryEntry {
    const key = `${ref.registry}\u0000${ref.repository}`;
    let entry = this.repositories.get(key);
    if (entry) {
      return entry;
    }
    if (this.repositories.size >= MAX_REPOSITORIES) {
      this.repositories.delete(this.repositories.keys().next().value!);
    }
    entry = { tags: new Map(), manifests: new Map(), tagList: undefined };
    this.repositories.set(key, entry);
    return entry;
  }

  private forget(ref: RepositoryRef): void {
    this.repositories.delete(`${ref.registry}\u0000${ref.repository}`);
  }

  private static remember<K, V>(map: Map<K, V>, key: K, value: V): void {
    if (map.size >= MAX_ENTRIES_PER_REPOSITORY) map.delete(map.keys().next().value!);
    map.set(key, value);
  }

  async get(ref: RepositoryRef, reference: string): Promise<ManifestRecord | undefined> {
    const entry = this.entry(ref);
    let digest: string | null | undefined = reference;
    if (!reference.includes(':')) {
      digest = entry.tags.get(reference);
      if (digest === undefined) {
        const record = await this.inner.get(ref, reference);
        CachedManifestIndex.remember(entry.tags, reference, record?.digest ?? null);
        if (record && record.size <= MAX_MANIFEST_BYTES) CachedManifestIndex.remember(entry.manifests, record.digest, record);
        return record;
      }
      if (digest === null) return undefined;
    }
    const cached = entry.manifests.get(digest);
    if (cached !== undefined) return cached ?? undefined;
    const record = await this.inner.get(ref, digest);
    if (!record || record.size <= MAX_MANIFEST_BYTES) CachedManifestIndex.remember(entry.manifests, digest, record ?? null);
    return record;
  }

  async put(ref: RepositoryRef, manifest: NewManifest, tag: string | null): Promise<PutManifestResult> {
    const result = await this.inner.put(ref, manifest, tag);
    if (result.ok) {
      const entry = this.entry(ref);
      entry.manifests.delete(manifest.digest);
      if (tag !== null) entry.tags.delete(tag);
      // The repository may have just become known, or gained a tag.
      entry.tagList = undefined;
    }
    return result;
  }

  async delete(ref: RepositoryRef, digest: string): Promise<boolean> {
    try {
      return await this.inner.delete(ref, digest);
    } finally {
      this.forget(ref);
    }
  }

  async untag(ref: RepositoryRef, tag: string): Promise<boolean> {
    try {
      return await this.inner.untag(ref, tag);
    } finally {
      const entry = this.entry(ref);
      entry.tags.delete(tag);
      entry.tagList = undefined;
    }
  }

  async tags(ref: RepositoryRef, page: Page): Promise<string[] | undefined> {
    const entry = this.entry(ref);
    if (entry.tagList === undefined) {
      const all = await this.inner.tags(ref, { n: MAX_CACHED_TAG_LIST + 1 });
      if (all !== undefined && all.length > MAX_CACHED_TAG_LIST) return this.inner.tags(ref, page);
      entry.tagList = all ?? null;
    }
    const list = entry.tagList;
    if (list === null) return undefined;
    let start = 0;
    if (page.last !== undefined) {
      const last = page.last;
      // Byte order, as the database sorts: first tag greater than `last`.
      start = list.findIndex((tag) => Buffer.compare(Buffer.from(tag), Buffer.from(last)) > 0);
      if (start < 0) start = list.length;
    }
    const n = Math.min(Math.max(page.n ?? 1000, 0), 10_000);
    return page.last === undefined && n >= list.length ? list : list.slice(start, start + n);
  }

  referrers(ref: RepositoryRef, subject: string, artifactType: string | null) {
    return this.inner.referrers(ref, subject, artifactType);
  }
}
