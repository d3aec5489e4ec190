/**
 * Errors of the identity plane in Microsoft Entra ID's shape: an OAuth `error`, an
 * `error_description` that starts with the AADSTS code and ends with the trace and
 * correlation ids, and `error_codes`. Clients (MSAL, az, the Azure SDKs) show the description
 * as it is, so the codes and the first sentence follow Entra's own wording. Like Entra, the
 * description is written in the request's language (Accept-Language); `message` stays English.
 */
import type { Language } from '../i18n/index.js';
import { localize, textIn, type LocalizedText, type MessageValue, type Text } from '../i18n/localized.js';
import { entraErrorMessages } from './entra-error-messages.js';

type OAuthErrorName =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_instance'
  | 'invalid_tenant'
  | 'temporarily_unavailable'
  | 'server_error';

export class EntraError extends Error {
  /** `AADSTS7000215`: what clients and logs quote. */
  readonly code: string;

  constructor(
    readonly status: number,
    readonly error: OAuthErrorName,
    /** The AADSTS number. */
    readonly aadsts: number,
    /** The sentence(s) after `AADSTSnnnn: `, in every language. */
    readonly text: Text,
    readonly headers: Record<string, string> = {},
  ) {
    super(`AADSTS${aadsts}: ${String(text)}`);
    this.code = `AADSTS${aadsts}`;
    this.description = String(text);
  }

  /** The sentence(s) after `AADSTSnnnn: `, in English. */
  readonly description: string;

  /** `AADSTSnnnn: ` and the description in `language`. */
  messageIn(language: Language): string {
    return `${this.code}: ${textIn(this.text, language)}`;
  }

  /** The JSON body Entra sends, with this request's ids and time, in the request's language. */
  toBody(ids: { traceId: string; correlationId: string }, now = new Date(), language: Language = 'en'): EntraErrorBody {
    const timestamp = entraTimestamp(now);
    return {
      error: this.error,
      error_description: `${this.messageIn(language)}\r\nTrace ID: ${ids.traceId}\r\nCorrelation ID: ${ids.correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [this.aadsts],
      timestamp,
      trace_id: ids.traceId,
      correlation_id: ids.correlationId,
    };
  }
}

interface EntraErrorBody {
  error: OAuthErrorName;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
}

/** "2024-05-06 07:08:09Z", as Entra writes times in errors. */
function entraTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** The errors the identity plane answers, with Entra's codes and statuses. */
const m = (key: Extract<keyof typeof entraErrorMessages.messages.en, string>, values?: Record<string, MessageValue>) =>
  localize(entraErrorMessages, key, values);

export const entraErrors = {
  missingParameter: (name: string) => new EntraError(400, 'invalid_request', 900144, m('missingParameter', { name })),
  missingClientCredential: () => new EntraError(401, 'invalid_client', 7000218, m('missingClientCredential')),
  malformedRequest: (why: LocalizedText) => new EntraError(400, 'invalid_request', 90023, m('malformedRequest', { why })),
  unsupportedGrantType: (grantType: string) => new EntraError(400, 'unsupported_grant_type', 70003, m('unsupportedGrantType', { grantType })),
  invalidScope: (scope: string, why?: LocalizedText) =>
    new EntraError(400, 'invalid_scope', 70011, why ? m('invalidScopeWhy', { scope, why }) : m('invalidScope', { scope })),
  clientCredentialScope: (scope: string) => new EntraError(400, 'invalid_scope', 1002012, m('clientCredentialScope', { scope })),
  severalResources: (scope: string) => new EntraError(400, 'invalid_request', 28000, m('severalResources', { scope })),
  unknownTenant: (tenant: string) => new EntraError(400, 'invalid_tenant', 90002, m('unknownTenant', { tenant })),
  unknownApplication: (clientId: string, tenant: string) => new EntraError(400, 'unauthorized_client', 700016, m('unknownApplication', { clientId, tenant })),
  invalidSecret: (clientId: string) => new EntraError(401, 'invalid_client', 7000215, m('invalidSecret', { clientId })),
  expiredSecret: (clientId: string) => new EntraError(401, 'invalid_client', 7000222, m('expiredSecret', { clientId })),
  invalidUserCredentials: () => new EntraError(400, 'invalid_grant', 50126, m('invalidUserCredentials')),
  unknownUser: (tenant: string) => new EntraError(400, 'invalid_grant', 50034, m('unknownUser', { tenant })),
  accountLocked: (retryAfter: number) => new EntraError(400, 'invalid_grant', 50053, m('accountLocked', { retryAfter }), { 'Retry-After': String(retryAfter) }),
  tooManyRequests: (address: string, retryAfter: number) =>
    new EntraError(429, 'temporarily_unavailable', 90055, m('tooManyRequests', { address, retryAfter }), { 'Retry-After': String(retryAfter) }),
  invalidRefreshToken: (why: LocalizedText) => new EntraError(400, 'invalid_grant', 9002313, m('invalidRefreshToken', { why })),
  expiredRefreshToken: () => new EntraError(400, 'invalid_grant', 700082, m('expiredRefreshToken')),
  revokedGrant: () => new EntraError(400, 'invalid_grant', 50173, m('revokedGrant')),
  refreshTokenOtherClient: (clientId: string) => new EntraError(400, 'invalid_grant', 70000, m('refreshTokenOtherClient', { clientId })),
  identityGone: (what: LocalizedText) => new EntraError(400, 'invalid_grant', 50034, m('identityGone', { what })),
  invalidInstance: () => new EntraError(400, 'invalid_instance', 50049, m('invalidInstance')),
  bodyTooLarge: (limit: number) => new EntraError(400, 'invalid_request', 90023, m('bodyTooLarge', { limit })),
  internal: () => new EntraError(500, 'server_error', 90033, m('internal')),
};
