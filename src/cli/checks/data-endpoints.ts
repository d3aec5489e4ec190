/**
 * Dedicated data endpoints without an image to pull: each `<registry>.<region>.data.<domain>`
 * must resolve and accept connections on the registry's port, or pulls fail after the login
 * server said yes (as with ACR, client firewalls must allow both).
 */
import type { HealthContext, RegistryTarget } from './context.js';
import { group, SkipRest, StopRun } from './finding-log.js';
import { dataDnsError, dataUnreachable } from './image-checks.js';
import { resolveHost } from './probes/dns.js';
import { openTunnel, proxyFor } from './probes/proxy.js';
import { openTcp } from './probes/tcp.js';

export async function checkDataEndpoints(context: HealthContext, target: RegistryTarget): Promise<void> {
  const { t, log } = context;
  for (const host of target.dataHosts) {
    await group(async () => {
      const proxy = proxyFor(host, target.port, context.env);
      try {
        if (proxy) {
          (await openTunnel(proxy.url, host, target.port, context.timeoutMs, context.ca)).destroy();
        } else {
          const resolved = await resolveHost(host, context.timeoutMs);
          if (!resolved.ok) dataDnsError(context, target, host, resolved.code);
          log.ok('data-endpoint', t('dataDnsOk', { host, address: resolved.addresses[0]! }));
          (await openTcp(resolved.addresses[0]!, target.port, context.timeoutMs)).destroy();
        }
      } catch (error) {
        if (error instanceof StopRun || error instanceof SkipRest || !(error instanceof Error)) throw error;
        dataUnreachable(context, target, host, target.port, error.message);
      }
      log.ok('data-endpoint', t('dataOk', { host, port: String(target.port) }));
    });
  }
}
