/** The registry's long-running actions (import, garbage collection, scrub) and their status resource. */
import type { RouteSpec } from '../route-table.js';
import { blobScrubRoutes } from './blob-scrub.js';
import { garbageCollectionRoutes } from './garbage-collection.js';
import { importImageRoutes } from './import-image.js';
import { operationStatusRoutes } from './operation-status.js';

export const registryOperationRoutes: RouteSpec[] = [...importImageRoutes, ...garbageCollectionRoutes, ...blobScrubRoutes, ...operationStatusRoutes];
