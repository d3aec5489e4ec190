/**
 * The single error factory of the registry data plane. Every failure a client can cause
 * becomes a RegistryError carrying an OCI Distribution error code, an HTTP status and a
 * message that names the cause; the error handler renders it in the spec's JSON shape, in the
 * request's language (Accept-Language). `message` is always English (logs, audits).
 */
import type { Language } from '../i18n/index.js';
import { localize, textIn, type LocalizedText, type MessageValue, type Text } from '../i18n/localized.js';
import { registryErrorMessages } from './error-messages.js';

type OciErrorCode =
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
  /** The message in every language; `message` is its English text. */
  readonly text: Text;

  constructor(
    readonly status: number,
    readonly code: OciErrorCode,
    message: Text,
    readonly detail: unknown = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(message));
    this.text = message;
  }

  messageIn(language: Language): string {
    return textIn(this.text, language);
  }

  toBody(language: Language = 'en'): { errors: { code: string; message: string; detail?: unknown }[] } {
    return { errors: [{ code: this.code, message: this.messageIn(language), detail: this.detail }] };
  }
}

type Key = Extract<keyof typeof registryErrorMessages.messages.en, string>;
const m = (key: Key, values?: Record<string, MessageValue>) => localize(registryErrorMessages, key, values);
/** A caller's text: localized as given, or free English text framed by `key` in other languages. */
const framed = (key: Key, text: Text) => (typeof text === 'string' ? m(key, { message: text }) : text);

/** The registry a refused request resolved to: a refusal names it, so a login that reached another registry than meant shows it. */
export interface RefusedAt {
  registry: string;
  loginServer: string;
}

const namedAt = (text: Text, at: RefusedAt | undefined): Text =>
  at ? m('atRegistry', { message: text, registry: at.registry, loginServer: at.loginServer }) : text;

/** Named constructors, so handlers say what went wrong rather than which status to use. */
export const errors = {
  blobUnknown: (digest: string) => new RegistryError(404, 'BLOB_UNKNOWN', m('blobUnknown', { digest }), { digest }),
  uploadUnknown: (id: string) => new RegistryError(404, 'BLOB_UPLOAD_UNKNOWN', m('uploadUnknown', { id }), { uuid: id }),
  uploadInvalid: (why: LocalizedText, detail: unknown = null) => new RegistryError(400, 'BLOB_UPLOAD_INVALID', m('uploadInvalid', { why }), detail),
  digestInvalid: (why: LocalizedText, detail: unknown = null) => new RegistryError(400, 'DIGEST_INVALID', m('digestInvalid', { why }), detail),
  digestMalformed: (value: string) => new RegistryError(400, 'DIGEST_INVALID', m('digestMalformed', { value }), { digest: value }),
  manifestBlobUnknown: (digest: string, repository: string) =>
    new RegistryError(400, 'MANIFEST_BLOB_UNKNOWN', m('manifestBlobUnknown', { digest, repository }), { digest }),
  manifestInvalid: (why: LocalizedText, detail: unknown = null) => new RegistryError(400, 'MANIFEST_INVALID', m('manifestInvalid', { why }), detail),
  manifestUnknown: (repository: string, reference: string) =>
    new RegistryError(404, 'MANIFEST_UNKNOWN', m('manifestUnknown', { repository, reference }), { name: repository, reference }),
  manifestNotAcceptable: (repository: string, reference: string, mediaType: string) =>
    new RegistryError(404, 'MANIFEST_UNKNOWN', m('manifestNotAcceptable', { repository, reference, mediaType }), { name: repository, reference, mediaType }),
  manifestTooLarge: (limit: number) => new RegistryError(413, 'SIZE_INVALID', m('manifestTooLarge', { limit }), { limit }),
  nameInvalid: (name: string, why: LocalizedText) => new RegistryError(400, 'NAME_INVALID', m('nameInvalid', { name, why }), { name }),
  nameUnknown: (name: string) => new RegistryError(404, 'NAME_UNKNOWN', m('nameUnknown', { name }), { name }),
  tagInvalid: (tag: string) => new RegistryError(400, 'TAG_INVALID', m('tagInvalid', { tag }), { tag }),
  sizeInvalid: (why: LocalizedText, detail: unknown = null) => new RegistryError(400, 'SIZE_INVALID', m('sizeInvalid', { why }), detail),
  rangeInvalid: (why: LocalizedText, currentSize: number) =>
    new RegistryError(
      416,
      'BLOB_UPLOAD_INVALID',
      m('rangeInvalid', { why }),
      { size: currentSize },
      {
        Range: currentSize > 0 ? `0-${currentSize - 1}` : '0-0',
      },
    ),
  blobRangeInvalid: (range: string, size: number) =>
    new RegistryError(
      416,
      'RANGE_INVALID',
      m('blobRangeInvalid', { range, size }),
      { size },
      {
        'Content-Range': `bytes */${size}`,
      },
    ),
  unsupported: (why: LocalizedText) => new RegistryError(405, 'UNSUPPORTED', m('unsupported', { why })),
  deletesDisabled: (registry: string) => new RegistryError(405, 'UNSUPPORTED', m('deletesDisabled', { registry }), { registry }),
  unknownHost: (host: string) => new RegistryError(404, 'NAME_UNKNOWN', m('unknownHost', { host }), { host }),
  routeNotFound: (method: string, path: string) => new RegistryError(404, 'NOT_FOUND', m('routeNotFound', { method, path })),
  /** 405 naming the methods the path does support (Allow). */
  methodNotSupported: (method: string, path: string, allowed: string[]) =>
    new RegistryError(405, 'UNSUPPORTED', m('methodNotSupported', { method, path }), null, { Allow: allowed.join(', ') }),
  noDataEndpoint: (registry: string) => new RegistryError(404, 'NOT_FOUND', m('noDataEndpoint', { registry }), { registry }),
  signedUrlInvalid: () => new RegistryError(403, 'DENIED', m('signedUrlInvalid')),
  badRequest: (why: LocalizedText, status = 400) => new RegistryError(status, 'UNSUPPORTED', why),
  /** A request the framework could not parse (malformed URL, bad header). */
  frameworkBadRequest: (why: string) => new RegistryError(400, 'UNSUPPORTED', m('frameworkBadRequest', { why })),
  malformedUrl: (url: string) => new RegistryError(400, 'UNSUPPORTED', m('malformedUrl', { url })),
  malformedContentType: (value: string) => new RegistryError(400, 'UNSUPPORTED', m('malformedContentType', { value })),
  /** A percent-encoding a handler could not decode (URIError). */
  malformedEncoding: () => new RegistryError(400, 'UNSUPPORTED', m('malformedEncoding')),
  malformedJson: (why: string) => new RegistryError(400, 'UNSUPPORTED', m('malformedJson', { why })),
  /** Refusals of Node's HTTP parser, before there is a request to route. */
  headersTooLarge: () => new RegistryError(431, 'UNSUPPORTED', m('headersTooLarge')),
  /** A request that did not arrive in time; `why` (from timeout-messages) names the limit when known. */
  requestTimeout: (why?: Text) => new RegistryError(408, 'UNSUPPORTED', why ?? m('requestTimeout')),
  malformedRequest: () => new RegistryError(400, 'UNSUPPORTED', m('malformedRequest')),
  paginationInvalid: (value: string) => new RegistryError(400, 'PAGINATION_NUMBER_INVALID', m('paginationInvalid', { value }), { n: value }),
  /** 401 with the Bearer challenge; `detail` lists what the request needed, as ACR does. */
  unauthorized: (message: Text, challenge: string, detail: unknown = null, at?: RefusedAt) =>
    new RegistryError(401, 'UNAUTHORIZED', namedAt(framed('unauthorized', message), at), detail, { 'WWW-Authenticate': challenge }),
  /** 401 from the token endpoints (no challenge: the client is already talking to the realm). */
  loginFailed: (message: Text, detail: unknown = null, at?: RefusedAt) =>
    new RegistryError(401, 'UNAUTHORIZED', namedAt(framed('loginFailed', message), at), detail),
  denied: (message: Text, detail: unknown = null) => new RegistryError(403, 'DENIED', framed('denied', message), detail),
  tooManyRequests: (message: Text, retryAfterSeconds: number) =>
    new RegistryError(
      429,
      'TOOMANYREQUESTS',
      framed('tooManyRequests', message),
      { retryAfter: retryAfterSeconds },
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  internal: (requestId: string) => new RegistryError(500, 'INTERNAL_ERROR', m('internal', { requestId })),
  /**
   * 507 Insufficient Storage: the disk (or the database on it) is full. DENIED, as registries
   * answer an exceeded storage quota: clients print "denied: <message>" and do not retry.
   */
  storageFull: () => new RegistryError(507, 'DENIED', m('storageFull'), { reason: 'STORAGE_FULL' }),
  /** The client went away mid-body. */
  clientAborted: () => new RegistryError(400, 'BLOB_UPLOAD_INVALID', m('uploadInvalid', { why: m('clientAborted') })),
} as const;
