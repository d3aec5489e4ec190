/** The names a registry may be given, its DNS name, and the SKU rule of anonymous pull. */
import { nameHostOf } from '../kernel/config.js';
import { armErrors, armReason } from '../kernel/arm-errors.js';
import type { RegistryRecord, RegistrySku } from '../storage/metadata/store.js';

/** ACR's rule, which the ARM API applies to names it hands out (checkNameAvailability, create). */
const NEW_REGISTRY_NAME = /^[a-zA-Z0-9]{5,50}$/;

export function validNewRegistryName(name: string): boolean {
  return NEW_REGISTRY_NAME.test(name);
}

/**
 * The registry's DNS name, as ARM's name-in-use messages and private endpoint DNS records give
 * it: its explicit login server, else `<name>.<domain>` (which it always answers at), never the
 * default registry's `localhost`.
 */
export function registryDnsNameOf(registry: RegistryRecord, domain: string): string {
  return (registry.loginServer ?? nameHostOf(registry.name, domain)).toLowerCase();
}

/** Anonymous pull is a Standard and Premium feature, as on ACR. */
export function checkAnonymousPullSku(sku: RegistrySku, anonymousPullEnabled: boolean): void {
  if (anonymousPullEnabled && sku === 'Basic') {
    throw armErrors.badRequest(armReason('anonymousPullSku'), 'properties.anonymousPullEnabled');
  }
}
