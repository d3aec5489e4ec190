/**
 * GET /providers/Microsoft.ContainerRegistry/operations: the registry operations this API
 * serves, in ARM's Operation shape (what `az provider operation show` and tooling read).
 */
import { collection, type ManagementContext, type ManagementResult } from '../context.js';
import { anyCaller, type RouteSpec } from '../route-table.js';
import { registryActions } from './lookup.js';

/** These handlers use none of the management plane's services (context.ts). */
type HandlerContext = ManagementContext<Record<never, never>>;

const DESCRIPTIONS: Record<keyof typeof registryActions, [resource: string, operation: string]> = {
  read: ['Registry', 'Get or list container registries'],
  write: ['Registry', 'Create or update a container registry'],
  delete: ['Registry', 'Delete a container registry'],
  listCredentials: ['Registry', "List the admin user's credentials"],
  regenerateCredential: ['Registry', "Regenerate an admin user's password"],
  generateCredentials: ['Token', 'Generate passwords for a token'],
  listUsages: ['Registry', 'List the quota usages of a registry'],
  scopeMapsRead: ['Scope map', 'Get or list scope maps'],
  scopeMapsWrite: ['Scope map', 'Create or update a scope map'],
  scopeMapsDelete: ['Scope map', 'Delete a scope map'],
  tokensRead: ['Token', 'Get or list tokens'],
  tokensWrite: ['Token', 'Create or update a token'],
  tokensDelete: ['Token', 'Delete a token'],
  logsRead: ['Registry', 'Read login and repository events'],
};

async function listOperations(_context: HandlerContext): Promise<ManagementResult> {
  return collection(
    Object.entries(DESCRIPTIONS).map(([key, [resource, operation]]) => ({
      name: registryActions[key as keyof typeof registryActions],
      isDataAction: false,
      display: { provider: 'Microsoft Container Registry (Wharf)', resource, operation, description: operation },
      origin: 'user,system',
    })),
  );
}

export const operationRoutes: RouteSpec[] = [
  {
    id: 'operations.list',
    template: '/providers/Microsoft.ContainerRegistry/operations',
    methods: { GET: { handler: listOperations, needs: anyCaller('the provider operation list is the same for every caller') } },
  },
];
