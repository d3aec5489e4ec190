/** Which subnets a registry's virtual network rules can admit: those with the registry's service endpoint. */
import type { SubnetRecord } from '../storage/metadata/network-records.js';

export const SERVICE_ENDPOINT = 'Microsoft.ContainerRegistry';

export function hasRegistryServiceEndpoint(subnet: SubnetRecord): boolean {
  return subnet.serviceEndpoints.some((service) => service.toLowerCase() === 'microsoft.containerregistry');
}
