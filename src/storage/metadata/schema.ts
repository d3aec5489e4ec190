/** Table shapes of the metadata store, shared by every SQL dialect. Times are ISO-8601 text. */
import type { Generated } from 'kysely';

export interface RegistriesTable {
  name: string;
  login_server: string | null;
  deletes_enabled: number;
  created_at: string;
}

export interface RepositoriesTable {
  registry: string;
  name: string;
  created_at: string;
}

export interface BlobsTable {
  digest: string;
  size: number | string; // pg returns bigint as string
  created_at: string;
}

export interface RepositoryBlobsTable {
  registry: string;
  repository: string;
  digest: string;
  created_at: string;
}

export interface ManifestsTable {
  registry: string;
  repository: string;
  digest: string;
  media_type: string;
  size: number | string;
  content: Uint8Array;
  subject: string | null;
  artifact_type: string | null;
  annotations: string | null;
  created_at: string;
}

export interface ManifestReferencesTable {
  registry: string;
  repository: string;
  digest: string;
  child_digest: string;
  child_kind: 'blob' | 'manifest';
}

export interface TagsTable {
  registry: string;
  repository: string;
  name: string;
  digest: string;
  updated_at: string;
}

export interface UploadsTable {
  id: string;
  registry: string;
  repository: string;
  size: number | string;
  created_at: string;
  updated_at: string;
}

export interface MigrationsTable {
  id: Generated<number>;
  name: string;
  applied_at: string;
}

export interface Database {
  registries: RegistriesTable;
  repositories: RepositoriesTable;
  blobs: BlobsTable;
  repository_blobs: RepositoryBlobsTable;
  manifests: ManifestsTable;
  manifest_references: ManifestReferencesTable;
  tags: TagsTable;
  uploads: UploadsTable;
}
