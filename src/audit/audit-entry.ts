/** One audit event as the planes hand it to the recorder. */
import type { LoginEvent, RepositoryEvent } from '../storage/metadata/access-records.js';

export type AuditEntry = { category: 'login'; event: LoginEvent } | { category: 'repository'; event: RepositoryEvent };
