/** Names every metadata index shares: a repository inside one registry, a page of a listing. */

/** A repository inside one registry. */
export interface RepositoryRef {
  registry: string;
  repository: string;
}

export interface Page {
  n?: number;
  last?: string;
}

/** Values per `in (…)` list: well under SQLite's and PostgreSQL's parameter limits. */
export const IN_LIST_CHUNK = 500;
