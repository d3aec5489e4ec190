/**
 * A read-through cache in front of the manifest index, for a metadata store that only this
 * process writes (SQLite, opened in exclusive locking mode). Every write goes through this
 * wrapper, or tells it (forgetRepository: repository deletes and changes of ACR changeable
 * attributes through the properties index), so the cache is exact rather than eventually
 * consistent; manifest content is immutable per digest. Records carry the changeable
 * attributes that gate them, so a cached pull is checked without a query.
 * Bounded by repositories kept and manifests per repository.
 */
import type { ManifestIndex, ManifestRecord, NewManifest, Page, PutManifestResult, RepositoryRef } from './store.js';

interface RepositoryEntry {
  /**
   * Bumped by every write to the repository, so a lookup that raced with a write does not
   * store what it read before the write.
   */
  version: number;
  /** tag → the manifest as looked up by that tag (with the tag's attributes); null: no such tag. */
  tags: Map<string, ManifestRecord | null>;
  /** digest → the manifest as looked up by digest; null: no such manifest. */
  manifests: Map<string, ManifestRecord | null>;
  /**
   * Every listable tag, sorted; null: unknown repository; 'tooMany': more than the cache holds,
   * so pages come from the store (until the next tag or untag); undefined until listed.
   */
  tagList: string[] | null | 'tooMany' | undefined;
}

const MAX_REPOSITORIES = 1024;
const MAX_ENTRIES_PER_REPOSITORY = 4096;
/**
 * Repositories with more tags are listed from the store page by page. The probe asks the store
 * for one tag more than this, which its page cap (10,000) must still return: at 10,000 the probe
 * was cut to 10,000 and the tags past them were never listed.
 */
const MAX_CACHED_TAG_LIST = 9_999;
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
    entry = { version: 0, tags: new Map(), manifests: new Map(), tagList: undefined };
    this.repositories.set(key, entry);
    return entry;
  }

  private forget(ref: RepositoryRef): void {
    this.repositories.delete(`${ref.registry}\u0000${ref.repository}`);
  }

  /**
   * Drops what is cached for a repository: its manifests were deleted, or their changeable
   * attributes changed, behind this wrapper (the properties index).
   */
  forgetRepository(ref: RepositoryRef): void {
    this.forget(ref);
  }

  /** Drops every cached repository of a registry (its metadata was deleted behind this wrapper). */
  forgetRegistry(registry: string): void {
    for (const key of [...this.repositories.keys()]) if (key.startsWith(`${registry}\u0000`)) this.repositories.delete(key);
  }

  private static remember<K, V>(map: Map<K, V>, key: K, value: V): void {
    if (map.size >= MAX_ENTRIES_PER_REPOSITORY) map.delete(map.keys().next().value!);
    map.set(key, value);
  }

  async get(ref: RepositoryRef, reference: string): Promise<ManifestRecord | undefined> {
    const entry = this.entry(ref);
    const cache = reference.includes(':') ? entry.manifests : entry.tags;
    const cached = cache.get(reference);
    if (cached !== undefined) return cached ?? undefined;
    const version = entry.version;
    const record = await this.inner.get(ref, reference);
    if (entry.version === version && (!record || record.size <= MAX_MANIFEST_BYTES)) {
      CachedManifestIndex.remember(cache, reference, record ?? null);
    }
    return record;
  }

  async put(ref: RepositoryRef, manifest: NewManifest, tag: string | null): Promise<PutManifestResult> {
    const result = await this.inner.put(ref, manifest, tag);
    if (result.ok) {
      const entry = this.entry(ref);
      entry.version++;
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
      entry.version++;
      entry.tags.delete(tag);
      entry.tagList = undefined;
    }
  }

  async tags(ref: RepositoryRef, page: Page): Promise<string[] | undefined> {
    const entry = this.entry(ref);
    let list = entry.tagList;
    if (list === 'tooMany') return this.inner.tags(ref, page);
    if (list === undefined) {
      const version = entry.version;
      const all = await this.inner.tags(ref, { n: MAX_CACHED_TAG_LIST + 1 });
      const tooMany = all !== undefined && all.length > MAX_CACHED_TAG_LIST;
      // Remembered, so the next pages of a large repository do not probe 10,000 tags again.
      if (entry.version === version) entry.tagList = tooMany ? 'tooMany' : (all ?? null);
      if (tooMany) return this.inner.tags(ref, page);
      list = all ?? null;
    }
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
