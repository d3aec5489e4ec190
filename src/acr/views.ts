/**
 * Response bodies of /acr/v1, field for field as ACR's data-plane swagger (2021-07-01):
 * RepositoryAttributes, TagAttributesBase, ManifestAttributesBase. `registry` is the login
 * server the client talks to; `imageName` is the repository.
 */
import type { ManifestProperties, RepositoryProperties, TagProperties } from '../storage/metadata/store.js';
import type { ManifestDescriber } from './manifest-description.js';

export function repositoryView(loginServer: string, repository: RepositoryProperties) {
  return {
    registry: loginServer,
    imageName: repository.name,
    createdTime: repository.createdTime,
    lastUpdateTime: repository.lastUpdateTime,
    manifestCount: repository.manifestCount,
    tagCount: repository.tagCount,
    changeableAttributes: repository.changeableAttributes,
  };
}

export function tagView(tag: TagProperties) {
  return {
    name: tag.name,
    digest: tag.digest,
    createdTime: tag.createdTime,
    lastUpdateTime: tag.lastUpdateTime,
    // Wharf has no content trust (Notary v1) signatures.
    signed: false,
    changeableAttributes: tag.changeableAttributes,
  };
}

export async function manifestView(describer: ManifestDescriber, manifest: ManifestProperties) {
  const description = await describer.describe(manifest.content);
  return {
    digest: manifest.digest,
    imageSize: description.imageSize,
    createdTime: manifest.createdTime,
    lastUpdateTime: manifest.lastUpdateTime,
    ...(description.architecture ? { architecture: description.architecture } : {}),
    ...(description.os ? { os: description.os } : {}),
    mediaType: manifest.mediaType,
    ...(description.configMediaType ? { configMediaType: description.configMediaType } : {}),
    ...(description.references ? { references: description.references } : {}),
    tags: manifest.tags,
    changeableAttributes: manifest.changeableAttributes,
  };
}
