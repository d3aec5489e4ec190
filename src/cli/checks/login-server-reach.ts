/**
 * The login server exactly as clients use it. az, docker, skopeo and podman take ARM's
 * `loginServer` as it is, and a login server without a port means 443 to them; the connectivity
 * steps, though, go to the port of the profile's server. When the two differ (a `publicPort` of
 * 443 without the redirect behind it, an explicit loginServer without Wharf's port), this step
 * tries the clients' own address, name resolution and connection, so check-health fails where
 * the clients would instead of reporting that all checks passed.
 */
import type { HealthContext, RegistryTarget } from './context.js';
import { resolveHost } from './probes/dns.js';
import { proxyFor } from './probes/proxy.js';
import { probeTcp, type ProbeError } from './probes/tcp.js';

/** The port a client uses for `loginServer`: its own, or the scheme's default. */
function clientPortOf(loginServer: string, scheme: 'https' | 'http'): number {
  const explicit = /:(\d+)$/.exec(loginServer)?.[1];
  return explicit ? Number(explicit) : scheme === 'https' ? 443 : 80;
}

export async function checkLoginServerReach(context: HealthContext, target: RegistryTarget, loginServer: string): Promise<void> {
  const { t, log, timeoutMs } = context;
  const port = clientPortOf(loginServer, target.scheme);
  // The connectivity steps check this very address; behind a proxy the client neither resolves nor connects itself.
  if (port === target.port || proxyFor(target.host, port, context.env)) return;
  const host = target.host;
  const common = { loginServer, host, port: String(port), serverPort: String(target.port), registry: target.name };
  const resolved = await resolveHost(host, timeoutMs);
  if (!resolved.ok) {
    throw log.fail({
      check: 'login-server',
      code: 'LOGIN_SERVER_UNREACHABLE_ERROR',
      message: t('loginServerUnreachableError', common),
      cause: t('loginServerDnsCause', { ...common, code: resolved.code }),
      fix: t('loginServerDnsFix', common),
      details: { loginServer, host, port, stage: 'dns', code: resolved.code },
    });
  }
  const address = resolved.addresses[0]!;
  try {
    await probeTcp(address, port, timeoutMs);
  } catch (error) {
    const failure = error as ProbeError;
    throw log.fail({
      check: 'login-server',
      code: 'LOGIN_SERVER_UNREACHABLE_ERROR',
      message: t('loginServerUnreachableError', common),
      cause: t('loginServerConnectCause', { ...common, address, detail: failure.code ?? failure.message }),
      fix: t('loginServerConnectFix', common),
      details: { loginServer, host, address, port, stage: 'tcp', failure: failure.kind },
    });
  }
  log.ok('login-server', t('loginServerReachOk', { loginServer, address, port: String(port) }));
}
