/** What /acr/v1 handlers are given by the data-plane pipeline: the metadata store, the manifest describer, the caller and the registry/repository in scope. */
import type { DataPlaneHandler } from '../distribution/data-plane-pipeline.js';
import type { MetadataStore } from '../storage/metadata/store.js';
import type { ManifestDescriber } from './manifest-description.js';

export interface AcrParams {
  name?: string;
  reference?: string;
  digest?: string;
}

export interface AcrServices {
  store: MetadataStore;
  describer: ManifestDescriber;
}

export type AcrHandler = DataPlaneHandler<AcrServices, AcrParams>;
