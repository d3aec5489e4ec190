/**
 * Why an import failed, as ARM error bodies. ACR reports import failures with the top-level
 * code InvalidParameters (and Conflict for a NoForce import onto an existing tag); Wharf adds
 * a `details` entry with a precise code and the cause, so a script can tell an unknown image
 * from a refused login or an unreachable registry.
 */
import { ArmError } from '../../management/arm-errors.js';
import { connectionErrorCause } from '../../server/connection-error.js';

export type ImportFailureCode =
  | 'InvalidSourceImage'
  | 'SourceImageNotFound'
  | 'SourceRegistryUnauthorized'
  | 'SourceRegistryUnreachable'
  | 'SourceAddressNotAllowed'
  | 'SourceManifestInvalid'
  | 'SourceDigestMismatch'
  | 'TargetTagLocked'
  | 'TargetRepositoryLocked';

export class ImportFailure extends ArmError {
  constructor(
    status: number,
    code: string,
    readonly detailCode: ImportFailureCode | 'TagAlreadyExists',
    message: string,
    target?: string,
  ) {
    super(status, code, message, {}, target);
  }

  override toBody(): { error: { code: string; message: string; target?: string; details?: { code: string; message: string }[] } } {
    const body = super.toBody();
    return { error: { ...body.error, details: [{ code: this.detailCode, message: this.message }] } };
  }

  static invalid(detail: ImportFailureCode, cause: string, target = 'source'): ImportFailure {
    return new ImportFailure(400, 'InvalidParameters', detail, `Image import failed: ${cause}.`, target);
  }

  static invalidSource(cause: string): ImportFailure {
    return ImportFailure.invalid('InvalidSourceImage', cause);
  }

  static sourceImageNotFound(what: string, registry: string): ImportFailure {
    return ImportFailure.invalid('SourceImageNotFound', `${what} was not found in the source registry ${registry}`, 'source.sourceImage');
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
      `Tag ${repository}:${tag} already exists in target registry. Use mode Force (az acr import --force, wharf import --force) to overwrite it.`,
      'targetTags',
    );
  }

  static repositoryLocked(repository: string): ImportFailure {
    return new ImportFailure(
      409,
      'Conflict',
      'TargetRepositoryLocked',
      `Repository ${repository} is locked (writeEnabled is false) and takes no imports.`,
      'targetTags',
    );
  }

  static tagLocked(repository: string, tag: string): ImportFailure {
    return new ImportFailure(
      409,
      'Conflict',
      'TargetTagLocked',
      `Tag ${repository}:${tag} is locked (writeEnabled is false) and cannot be moved by an import.`,
      'targetTags',
    );
  }
}
