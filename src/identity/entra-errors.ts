/**
 * Errors of the identity plane in Microsoft Entra ID's shape: an OAuth `error`, an
 * `error_description` that starts with the AADSTS code and ends with the trace and
 * correlation ids, and `error_codes`. Clients (MSAL, az, the Azure SDKs) show the description
 * as it is, so the codes and the first sentence follow Entra's own wording.
 */

export type OAuthErrorName =
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
    /** The sentence(s) after `AADSTSnnnn: `. */
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`AADSTS${aadsts}: ${description}`);
    this.code = `AADSTS${aadsts}`;
  }

  /** The JSON body Entra sends, with this request's ids and time. */
  toBody(ids: { traceId: string; correlationId: string }, now = new Date()): EntraErrorBody {
    const timestamp = entraTimestamp(now);
    return {
      error: this.error,
      error_description: `${this.message}\r\nTrace ID: ${ids.traceId}\r\nCorrelation ID: ${ids.correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [this.aadsts],
      timestamp,
      trace_id: ids.traceId,
      correlation_id: ids.correlationId,
    };
  }
}

export interface EntraErrorBody {
  error: OAuthErrorName;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
}

/** "2024-05-06 07:08:09Z", as Entra writes times in errors. */
export function entraTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** The errors the identity plane answers, with Entra's codes and statuses. */
export const entraErrors = {
  missingParameter: (name: string) =>
    new EntraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  missingClientCredential: () =>
    new EntraError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'. Wharf accepts client secrets (in the body or as HTTP Basic credentials).",
    ),
  malformedRequest: (why: string) => new EntraError(400, 'invalid_request', 90023, `Invalid request. ${why}`),
  unsupportedGrantType: (grantType: string) =>
    new EntraError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'. Wharf supports client_credentials, password and refresh_token.`,
    ),
  invalidScope: (scope: string, why = '') =>
    new EntraError(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope '${scope}' is not valid.${why ? ` ${why}` : ''}`),
  clientCredentialScope: (scope: string) =>
    new EntraError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  severalResources: (scope: string) =>
    new EntraError(
      400,
      'invalid_request',
      28000,
      `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
    ),
  unknownTenant: (tenant: string) =>
    new EntraError(
      400,
      'invalid_tenant',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud (Wharf server).`,
    ),
  unknownApplication: (clientId: string, tenant: string) =>
    new EntraError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  invalidSecret: (clientId: string) =>
    new EntraError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  expiredSecret: (clientId: string) =>
    new EntraError(
      401,
      'invalid_client',
      7000222,
      `The provided client secret keys for app '${clientId}' are expired. Add a new client secret to the app and use it instead of the expired one.`,
    ),
  invalidUserCredentials: () =>
    new EntraError(400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.'),
  unknownUser: (tenant: string) =>
    new EntraError(
      400,
      'invalid_grant',
      50034,
      `The user account {EUII Hidden} does not exist in the '${tenant}' directory. To sign into this application, the account must be added to the directory.`,
    ),
  accountLocked: (retryAfter: number) =>
    new EntraError(
      400,
      'invalid_grant',
      50053,
      `The account is locked, you've tried to sign in too many times with an incorrect user ID or password. Try again in ${retryAfter} seconds.`,
      { 'Retry-After': String(retryAfter) },
    ),
  tooManyRequests: (address: string, retryAfter: number) =>
    new EntraError(
      429,
      'temporarily_unavailable',
      90055,
      `There are too many failed sign-in requests from address ${address}. Try again in ${retryAfter} seconds.`,
      { 'Retry-After': String(retryAfter) },
    ),
  invalidRefreshToken: (why: string) => new EntraError(400, 'invalid_grant', 9002313, `Invalid request. Request is malformed or invalid: ${why}`),
  expiredRefreshToken: () =>
    new EntraError(400, 'invalid_grant', 700082, 'The refresh token has expired. The user must sign in again.'),
  refreshTokenOtherClient: (clientId: string) =>
    new EntraError(400, 'invalid_grant', 70000, `Provided grant is invalid or malformed: the refresh token was not issued to client '${clientId}'.`),
  identityGone: (what: string) => new EntraError(400, 'invalid_grant', 50034, `${what} no longer exists in the directory.`),
  invalidInstance: () =>
    new EntraError(
      400,
      'invalid_instance',
      50049,
      "Unknown or invalid instance: the query parameter 'authorization_endpoint' must be an absolute https URL of an authority.",
    ),
  bodyTooLarge: (limit: number) => new EntraError(400, 'invalid_request', 90023, `Invalid request. The request body is larger than ${limit} bytes.`),
  internal: () => new EntraError(500, 'server_error', 90033, 'A transient error has occurred. Please try again.'),
};
