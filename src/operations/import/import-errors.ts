/**
 * Why an import failed, as ARM error bodies. ACR reports import failures with the top-level
 * code InvalidParameters (and Conflict for a NoForce import onto an existing tag); Wharf adds
 * a `details` entry with a precise code and the cause, so a script can tell an unknown image
 * from a refused login or an unreachable registry.
 */
import { ArmError } from '../../management/arm-errors.js';
import { connectionErrorCause } from '../../server/connection-error.js';
import type { Language } from '../../i18n/index.js';
import { localize, type MessageValue, type Text } from '../../i18n/localized.js';
import { importErrorMessages } from './import-error-messages.js';

type Key = Extract<keyof typeof importErrorMessages.messages.en, string>;
const t = (key: Key, values?: Record<string, MessageValue>) => localize(importErrorMessages, key, values);

export type ImportFailureCode =
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

  static invalid(detail: ImportFailureCode, cause: Text, target = 'source'): ImportFailure {
    return new ImportFailure(400, 'InvalidParameters', detail, t('importFailed', { cause }), target);
  }

  static invalidSource(cause: string): ImportFailure {
    return ImportFailure.invalid('InvalidSourceImage', cause);
  }

  static sourceImageNotFound(what: string, registry: string): ImportFailure {
    return ImportFailure.invalid('SourceImageNotFound', t('sourceImageNotFound', { what, registry }), 'source.sourceImage');
  }

  static sourceUnauthorized(registry: string, withCredentials: boolean, cause: string): ImportFailure {
    const fix = withCredentials
      ? 'check source.credentials (--username/--password) and that they may pull the image'
      : 'give source.credentials (--username/--password) of an identity that may pull the image';
    return ImportFailure.invalid('SourceRegistryUnauthorized', `the source registry ${registry} refused access (${cause}); ${fix}`, 'source.credentials');
  }

  static sourceUnreachable(host: string, error: unknown): ImportFailure {
    const cause = connectionErrorCause(error);
    return ImportFailure.invalid('SourceRegistryUnreachable', `cannot reach the source registry ${host}: ${cause.code ? `${cause.code} ` : ''}${cause.message}`, 'source.registryUri');
  }

  /** The source answered a TLS handshake in plain HTTP: it is reached with http://. */
  static sourceSpeaksPlainHttp(host: string, code: string): ImportFailure {
    return ImportFailure.invalid('SourceRegistryNotHttps', t('sourceSpeaksPlainHttp', { host, code }), 'source.registryUri');
  }

  /** The source kept the download going past its deadline (headers sent, then a trickle). */
  static sourceTooSlow(registry: string, what: string, seconds: number): ImportFailure {
    return ImportFailure.invalid('SourceRegistryUnreachable', t('sourceTooSlow', { registry, what, seconds }), 'source.registryUri');
  }

  /** The server refused to connect: the address is in a range imports may not reach. */
  static addressNotAllowed(host: string, address: string, kind: string, setting: string): ImportFailure {
    return ImportFailure.invalid(
      'SourceAddressNotAllowed',
      `${host} is at ${address}, ${kind} address, which imports may not reach; an operator can allow the range with the server setting ${setting}`,
      'source.registryUri',
    );
  }

  static manifestInvalid(cause: string): ImportFailure {
    return ImportFailure.invalid('SourceManifestInvalid', `the source manifest is not valid: ${cause}`);
  }

  static digestMismatch(what: string, expected: string, actual: string): ImportFailure {
    return ImportFailure.invalid('SourceDigestMismatch', `${what} has digest ${actual}, not ${expected} as the source registry said`);
  }

  static tagExists(repository: string, tag: string): ImportFailure {
    return new ImportFailure(
      409,
      'Conflict',
      'TagAlreadyExists',
      t('tagExists', { repository, tag }),
      'targetTags',
    );
  }

  static repositoryLocked(repository: string): ImportFailure {
    return new ImportFailure(
      409,
      'Conflict',
      'TargetRepositoryLocked',
      t('repositoryLocked', { repository }),
      'targetTags',
    );
  }

  static tagLocked(repository: string, tag: string): ImportFailure {
    return new ImportFailure(
      409,
      'Conflict',
      'TargetTagLocked',
      t('tagLocked', { repository, tag }),
      'targetTags',
    );
  }
}
