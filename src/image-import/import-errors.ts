/**
 * Why an import failed, as ARM error bodies. ACR reports import failures with the top-level
 * code InvalidParameters (and Conflict for a NoForce import onto an existing tag); Wharf adds
 * a `details` entry with a precise code and the cause, so a script can tell an unknown image
 * from a refused login or an unreachable registry.
 */
import { ArmError } from '../kernel/arm-errors.js';
import { connectionErrorCause } from '../kernel/connection-error.js';
import type { Language } from '../i18n/index.js';
import type { CatalogKey } from '../i18n/index.js';
import { localize, type LocalizedText, type MessageValue, type Text } from '../i18n/localized.js';
import { importErrorMessages } from './import-error-messages.js';
import { importReasonMessages } from './import-reason-messages.js';
import type { AddressKind } from './source-address-policy.js';

type Key = Extract<keyof typeof importErrorMessages.messages.en, string>;
const t = (key: Key, values?: Record<string, MessageValue>) => localize(importErrorMessages, key, values);
/** A cause of an import failure (import-reason-messages), in every language. */
export const importReason = (key: CatalogKey<typeof importReasonMessages>, values?: Record<string, MessageValue>) =>
  localize(importReasonMessages, key, values);

/** What a download was fetching, for messages that name it. */
export type ImportSubject = { kind: 'manifest'; image: string } | { kind: 'blob'; digest: string; size?: number };

const ADDRESS_KINDS = {
  unspecified: 'kindUnspecified',
  loopback: 'kindLoopback',
  linkLocal: 'kindLinkLocal',
  private: 'kindPrivate',
  shared: 'kindShared',
  uniqueLocal: 'kindUniqueLocal',
} as const;

type ImportFailureCode =
  | 'InvalidSourceImage'
  | 'SourceImageNotFound'
  | 'SourceRegistryUnauthorized'
  | 'SourceRegistryUnreachable'
  | 'SourceRegistryNotHttps'
  | 'SourceAddressNotAllowed'
  | 'SourceManifestInvalid'
  | 'SourceDigestMismatch'
  | 'TargetTagLocked'
  | 'TargetRepositoryLocked';

/**
 * OpenSSL's words when the peer answers a ClientHello with plain HTTP (`HTTP/1.1 400…` read as a
 * TLS record): the code Node gives the socket error, or undefined for any other failure.
 */
export function plainHttpAnswerCode(error: unknown): string | undefined {
  const { code, message } = connectionErrorCause(error);
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || code === 'ERR_SSL_HTTP_REQUEST') return code;
  return /wrong version number|packet length too long|http request/i.test(message) && /SSL routines/i.test(message) ? (code ?? 'ERR_SSL') : undefined;
}

export class ImportFailure extends ArmError {
  constructor(
    status: number,
    code: string,
    readonly detailCode: ImportFailureCode | 'TagAlreadyExists',
    message: Text,
    target?: string,
  ) {
    super(status, code, message, {}, target);
  }

  override toBody(language: Language = 'en'): { error: { code: string; message: string; target?: string; details?: { code: string; message: string }[] } } {
    const body = super.toBody(language);
    return { error: { ...body.error, details: [{ code: this.detailCode, message: this.messageIn(language) }] } };
  }

  static invalid(detail: ImportFailureCode, cause: LocalizedText, target = 'source'): ImportFailure {
    return new ImportFailure(400, 'InvalidParameters', detail, t('importFailed', { cause }), target);
  }

  static invalidSource(cause: LocalizedText): ImportFailure {
    return ImportFailure.invalid('InvalidSourceImage', cause);
  }

  /** `image` (repository:tag or @digest) or blob `digest` of `repository` is not in the source. */
  static sourceImageNotFound(what: { image: string } | { digest: string; repository: string }, registry: string): ImportFailure {
    const text = 'image' in what ? t('sourceImageNotFound', { what: what.image, registry }) : importReason('notFoundBlob', { ...what, registry });
    return ImportFailure.invalid('SourceImageNotFound', text, 'source.sourceImage');
  }

  static sourceUnauthorized(registry: string, withCredentials: boolean, cause: LocalizedText): ImportFailure {
    const fix = importReason(withCredentials ? 'fixCheckCredentials' : 'fixGiveCredentials');
    return ImportFailure.invalid('SourceRegistryUnauthorized', importReason('sourceRefused', { registry, cause, fix }), 'source.credentials');
  }

  static sourceUnreachable(host: string, error: unknown): ImportFailure {
    const cause = connectionErrorCause(error);
    return ImportFailure.invalid(
      'SourceRegistryUnreachable',
      importReason('cannotReach', { host, cause: `${cause.code ? `${cause.code} ` : ''}${cause.message}` }),
      'source.registryUri',
    );
  }

  /** The source answered a TLS handshake in plain HTTP: it is reached with http://. */
  static sourceSpeaksPlainHttp(host: string, code: string): ImportFailure {
    return ImportFailure.invalid('SourceRegistryNotHttps', t('sourceSpeaksPlainHttp', { host, code }), 'source.registryUri');
  }

  /** The source kept the download going past its deadline (headers sent, then a trickle). */
  static sourceTooSlow(registry: string, what: ImportSubject, seconds: number): ImportFailure {
    const text =
      what.kind === 'manifest'
        ? importReason('tooSlowManifest', { registry, image: what.image, seconds })
        : importReason('tooSlowBlob', { registry, digest: what.digest, size: what.size ?? 0, seconds });
    return ImportFailure.invalid('SourceRegistryUnreachable', text, 'source.registryUri');
  }

  /** The server refused to connect: the address is in a range imports may not reach. */
  static addressNotAllowed(host: string, address: string, kind: AddressKind, setting: string): ImportFailure {
    return ImportFailure.invalid(
      'SourceAddressNotAllowed',
      importReason('addressNotAllowed', { host, address, kind: importReason(ADDRESS_KINDS[kind]), setting }),
      'source.registryUri',
    );
  }

  static manifestInvalid(cause: Text): ImportFailure {
    return ImportFailure.invalid('SourceManifestInvalid', importReason('manifestNotValid', { cause }));
  }

  static digestMismatch(what: ImportSubject, expected: string, actual: MessageValue): ImportFailure {
    const text =
      what.kind === 'manifest'
        ? importReason('digestMismatchManifest', { image: what.image, expected, actual })
        : importReason('digestMismatchBlob', { digest: what.digest, expected, actual });
    return ImportFailure.invalid('SourceDigestMismatch', text);
  }

  static tagExists(repository: string, tag: string): ImportFailure {
    return new ImportFailure(409, 'Conflict', 'TagAlreadyExists', t('tagExists', { repository, tag }), 'targetTags');
  }

  static repositoryLocked(repository: string): ImportFailure {
    return new ImportFailure(409, 'Conflict', 'TargetRepositoryLocked', t('repositoryLocked', { repository }), 'targetTags');
  }

  static tagLocked(repository: string, tag: string): ImportFailure {
    return new ImportFailure(409, 'Conflict', 'TargetTagLocked', t('tagLocked', { repository, tag }), 'targetTags');
  }
}
