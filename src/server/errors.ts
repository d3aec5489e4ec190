/**
 * The single error factory of the registry data plane. Every failure a client can cause
 * becomes a RegistryError carrying an OCI Distribution error code, an HTTP status and a
 * message that names the cause; the error handler renders it in the spec's JSON shape.
 */

export type OciErrorCode =
  | 'BLOB_UNKNOWN'
  | 'BLOB_UPLOAD_INVALID'
  | 'BLOB_UPLOAD_UNKNOWN'
  | 'DIGEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'NAME_INVALID'
  | 'NAME_UNKNOWN'
  | 'SIZE_INVALID'
  | 'TAG_INVALID'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'UNSUPPORTED'
  | 'TOOMANYREQUESTS'
  | 'RANGE_INVALID'
  | 'PAGINATION_NUMBER_INVALID'
  | 'NOT_FOUND'
  | 'INTERNAL_ERROR';

export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly code: OciErrorCode,
    message: string,
    readonly detail: unknown = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): { errors: { code: string; message: string; detail?: unknown }[] } {
    return { errors: [{ code: this.code, message: this.message, detail: this.detail }] };
  }
}

/** Named constructors, so handlers say what went wrong rather than which status to use. */
export const errors = {
  blobUnknown: (digest: string) =>
    new RegistryError(404, 'BLOB_UNKNOWN', `blob unknown to registry: ${digest}`, { digest }),
  uploadUnknown: (id: string) =>
    new RegistryError(404, 'BLOB_UPLOAD_UNKNOWN', `blob upload unknown to registry: ${id}`, { uuid: id }),
  uploadInvalid: (why: string, detail: unknown = null) =>
    new RegistryError(400, 'BLOB_UPLOAD_INVALID', `blob upload invalid: ${why}`, detail),
  digestInvalid: (why: string, detail: unknown = null) =>
    new RegistryError(400, 'DIGEST_INVALID', `provided digest did not match uploaded content: ${why}`, detail),
  digestMalformed: (value: string) =>
    new RegistryError(400, 'DIGEST_INVALID', `invalid digest '${value}': expected <algorithm>:<hex>, with sha256 (64 hex) or sha512 (128 hex)`, { digest: value }),
  manifestBlobUnknown: (digest: string, repository: string) =>
    new RegistryError(400, 'MANIFEST_BLOB_UNKNOWN', `manifest references ${digest}, which is not in repository '${repository}': push it first`, { digest }),
  manifestInvalid: (why: string, detail: unknown = null) =>
    new RegistryError(400, 'MANIFEST_INVALID', `manifest invalid: ${why}`, detail),
  manifestUnknown: (repository: string, reference: string) =>
    new RegistryError(404, 'MANIFEST_UNKNOWN', `manifest unknown: '${reference}' is not in repository '${repository}'`, { name: repository, reference }),
  manifestNotAcceptable: (repository: string, reference: string, mediaType: string) =>
    new RegistryError(404, 'MANIFEST_UNKNOWN', `manifest '${reference}' in '${repository}' is a ${mediaType}, which the request's Accept header does not allow`, { name: repository, reference, mediaType }),
  manifestTooLarge: (limit: number) =>
    new RegistryError(413, 'SIZE_INVALID', `manifest larger than the ${limit}-byte limit`, { limit }),
  nameInvalid: (name: string, why: string) =>
    new RegistryError(400, 'NAME_INVALID', `invalid repository name '${name}': ${why}`, { name }),
  nameUnknown: (name: string) =>
    new RegistryError(404, 'NAME_UNKNOWN', `repository name not known to registry: ${name}`, { name }),
  tagInvalid: (tag: string) =>
    new RegistryError(400, 'TAG_INVALID', `invalid tag '${tag}': a tag is 1 to 128 characters of [A-Za-z0-9_.-] and does not start with '.' or '-'`, { tag }),
  sizeInvalid: (why: string, detail: unknown = null) =>
    new RegistryError(400, 'SIZE_INVALID', `size invalid: ${why}`, detail),
  rangeInvalid: (why: string, currentSize: number) =>
    new RegistryError(416, 'BLOB_UPLOAD_INVALID', `range not satisfiable: ${why}`, { size: currentSize }, {
      Range: currentSize > 0 ? `0-${currentSize - 1}` : '0-0',
    }),
  blobRangeInvalid: (range: string, size: number) =>
    new RegistryError(416, 'RANGE_INVALID', `requested range '${range}' is not satisfiable for a blob of ${size} bytes`, { size }, {
      'Content-Range': `bytes */${size}`,
    }),
  unsupported: (why: string) => new RegistryError(405, 'UNSUPPORTED', `the operation is unsupported: ${why}`),
  deletesDisabled: (registry: string) =>
    new RegistryError(405, 'UNSUPPORTED', `deletes are disabled on registry '${registry}'`, { registry }),
  unknownHost: (host: string) =>
    new RegistryError(404, 'NAME_UNKNOWN', `no registry is served at '${host}': check the registry name in the login server (for example '<name>.<domain>')`, { host }),
  routeNotFound: (method: string, path: string) =>
    new RegistryError(404, 'NOT_FOUND', `no such endpoint: ${method} ${path}`),
  badRequest: (why: string) => new RegistryError(400, 'UNSUPPORTED', why),
  paginationInvalid: (value: string) =>
    new RegistryError(400, 'PAGINATION_NUMBER_INVALID', `invalid number of results requested: n must be a non-negative integer, got '${value}'`, { n: value }),
  /** 401 with the Bearer challenge; `detail` lists what the request needed, as ACR does. */
  unauthorized: (message: string, challenge: string, detail: unknown = null) =>
    new RegistryError(401, 'UNAUTHORIZED', message, detail, { 'WWW-Authenticate': challenge }),
  /** 401 from the token endpoints (no challenge: the client is already talking to the realm). */
  loginFailed: (message: string, detail: unknown = null) => new RegistryError(401, 'UNAUTHORIZED', message, detail),
  denied: (message: string, detail: unknown = null) => new RegistryError(403, 'DENIED', message, detail),
  tooManyRequests: (message: string, retryAfterSeconds: number) =>
    new RegistryError(429, 'TOOMANYREQUESTS', message, { retryAfter: retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) }),
  internal: (requestId: string) =>
    new RegistryError(500, 'INTERNAL_ERROR', `internal error; quote request id ${requestId} to the operator`),
} as const;
