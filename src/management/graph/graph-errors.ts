/**
 * Microsoft Graph's error shape for the /v1.0 subset:
 * `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`,
 * with Graph's codes. Graph handlers throw ArmErrors that already carry a Graph code; errors
 * raised by the shared stages (authentication, body reading, routing) carry ARM codes and are
 * given the Graph code of their status here.
 */
import { DirectoryError } from '../../identity/directory.js';
import { ArmError } from '../arm-errors.js';

const GRAPH_CODE_BY_STATUS: Record<number, string> = {
  400: 'Request_BadRequest',
  401: 'InvalidAuthenticationToken',
  403: 'Authorization_RequestDenied',
  404: 'Request_ResourceNotFound',
  409: 'Request_BadRequest',
};

const GRAPH_CODES = /^(Request_|Authorization_|Directory_|InvalidAuthenticationToken$)/;

export function graphErrorBody(
  error: ArmError,
  requestId: string,
  clientRequestId: string | undefined,
): { error: { code: string; message: string; innerError: Record<string, string> } } {
  const code = GRAPH_CODES.test(error.code) ? error.code : (GRAPH_CODE_BY_STATUS[error.status] ?? error.code);
  return {
    error: {
      code,
      message: error.message,
      innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId },
    },
  };
}

export const graphErrors = {
  notFound: (id: string) =>
    new ArmError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`),
  badRequest: (message: string) => new ArmError(400, 'Request_BadRequest', message),
  unsupportedQuery: (filter: string, supported: string) =>
    new ArmError(400, 'Request_UnsupportedQuery', `Unsupported query: the $filter '${filter}' is not one of ${supported}.`),
  denied: (detail: string) => new ArmError(403, 'Authorization_RequestDenied', `Insufficient privileges to complete the operation. ${detail}`),
} as const;

/** The directory's refusals (bad names, short passwords, duplicates) in Graph's terms. */
export function fromDirectoryError(error: unknown): unknown {
  if (!(error instanceof DirectoryError)) return error;
  if (error.kind === 'NotFound') return new ArmError(404, 'Request_ResourceNotFound', error.message);
  return graphErrors.badRequest(error.kind === 'Conflict' ? `Another object with the same value already exists: ${error.message}.` : error.message);
}

/** Runs a directory operation, translating its refusals. */
export async function directoryCall<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw fromDirectoryError(error);
  }
}
