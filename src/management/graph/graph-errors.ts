/**
 * Microsoft Graph's error shape for the /v1.0 subset:
 * `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`,
 * with Graph's codes. Graph handlers throw ArmErrors that already carry a Graph code; errors
 * raised by the shared stages (authentication, body reading, routing) carry ARM codes and are
 * given the Graph code of their status here.
 */
import type { Language } from '../../i18n/index.js';
import { localize, type LocalizedText, type MessageValue } from '../../i18n/localized.js';
import { DirectoryError } from '../../identity/directory.js';
import { DirectoryRefusal } from '../../domain/directory-identity-service.js';
import { ArmError, armReason } from '../../kernel/arm-errors.js';
import { graphErrorMessages } from './graph-error-messages.js';

const m = (key: Extract<keyof typeof graphErrorMessages.messages.en, string>, values?: Record<string, MessageValue>) =>
  localize(graphErrorMessages, key, values);

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
  language: Language = 'en',
): { error: { code: string; message: string; innerError: Record<string, string> } } {
  const code = GRAPH_CODES.test(error.code) ? error.code : (GRAPH_CODE_BY_STATUS[error.status] ?? error.code);
  return {
    error: {
      code,
      message: error.messageIn(language),
      innerError: { date: new Date().toISOString().replace(/\.\d+Z$/, ''), 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId },
    },
  };
}

export const graphErrors = {
  notFound: (id: string) => new ArmError(404, 'Request_ResourceNotFound', m('notFound', { id })),
  badRequest: (message: LocalizedText) => new ArmError(400, 'Request_BadRequest', message),
  unsupportedQuery: (filter: string, supported: string) => new ArmError(400, 'Request_UnsupportedQuery', m('unsupportedQuery', { filter, supported })),
  denied: (detail: LocalizedText) => new ArmError(403, 'Authorization_RequestDenied', m('denied', { detail })),
} as const;

/** A refusal of the directory service (domain/directory-identity-service.ts), rendered once for the wire. */
function fromRefusal({ reason }: DirectoryRefusal): ArmError {
  switch (reason.key) {
    case 'notFound':
      return graphErrors.notFound(reason.id);
    case 'alreadyOwner':
      return graphErrors.badRequest(m('alreadyOwner', { owner: reason.owner, target: reason.target }));
    case 'unknownDirectoryRole':
      return graphErrors.badRequest(m('unknownDirectoryRole', { role: reason.role, roles: reason.roles }));
    case 'directoryScopeRoot':
      return graphErrors.badRequest(m('directoryScopeRoot', { scope: reason.scope }));
    case 'lastGlobalAdministrator':
    case 'userUpdateNeedsPassword':
      return graphErrors.badRequest(m(reason.key));
    case 'graphNoPasswordCredential':
      return graphErrors.badRequest(armReason(reason.key, { keyId: reason.keyId, name: reason.name }));
    case 'graphAppIdInvalid':
      return graphErrors.badRequest(armReason(reason.key, { appId: reason.appId }));
    case 'graphManagedIdentity':
      return graphErrors.badRequest(armReason(reason.key, { name: reason.name }));
    case 'graphDisabledAccounts':
    case 'graphPasswordRequired':
      return graphErrors.badRequest(armReason(reason.key));
  }
}

/** The directory's refusals (bad names, short passwords, duplicates, the service's rules) in Graph's terms. */
function fromDirectoryError(error: unknown): unknown {
  if (error instanceof DirectoryRefusal) return fromRefusal(error);
  if (!(error instanceof DirectoryError)) return error;
  if (error.kind === 'NotFound') return new ArmError(404, 'Request_ResourceNotFound', m('directoryNotFound', { message: error.text }));
  return graphErrors.badRequest(error.kind === 'Conflict' ? m('conflict', { message: error.text }) : error.text);
}

/** Runs a directory change, translating its refusals. */
export async function directoryCall<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw fromDirectoryError(error);
  }
}
