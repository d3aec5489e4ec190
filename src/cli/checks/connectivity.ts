/**
 * The path to a login server, step by step as a client travels it (az acr check-health's
 * connectivity step, then further): the proxy (CONNECT), DNS, TCP, TLS, and the challenge
 * `GET /v2/`, whose Date header also measures clock skew. Each step's failure is reported with the code, the cause told
 * apart (refused / timeout / untrusted CA / interception / firewall / public access disabled)
 * and the command that fixes it. Returns the HTTP client the token and image checks use.
 */
import { isIP, type Socket } from 'node:net';
import type { HealthContext, RegistryTarget } from './context.js';
import { SkipRest } from './finding-log.js';
import { registryAgent } from './probes/connector.js';
import { resolveHost } from './probes/dns.js';
import { httpsProxyOf, openTunnel, proxyFor, TunnelError } from './probes/proxy.js';
import { errorMessageOf, parseChallenge, RegistryHttp, type HttpAnswer } from './probes/registry-http.js';
import { openTcp, ProbeError } from './probes/tcp.js';
import { probeTls } from './probes/tls.js';
import { endpointAt } from './private-endpoint-facts.js';
import { sudoPrefix } from './privilege.js';

/** The server's header naming the kind of rule that denied a request (src/network/denial.ts). */
const NETWORK_DECISION_HEADER = 'x-wharf-network-decision';

interface ConnectionOptions {
  /**
   * A registry API path to ask for the challenge when `GET /v2/` meets the firewall: an
   * anonymous version check is refused at once, but a client that authenticates when challenged
   * (the Azure SDKs, a trusted service's identity) is judged by its identity at the token
   * endpoint. Without it, a 403 at `GET /v2/` is the answer.
   */
  challengePath?: string;
}

/** Tokens are checked against the clock: beyond this, fresh tokens look expired or not yet valid. */
const CLOCK_SKEW_LIMIT_S = 300;

export interface Challenge {
  realm: string;
  service: string;
}

export interface Connection {
  http: RegistryHttp;
  challenge: Challenge;
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

/** Whether an undici/network error is a timeout. */
export function isTimeout(error: unknown): boolean {
  const e = error as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = e?.code ?? e?.cause?.code ?? '';
  return /TIMEOUT|ETIMEDOUT/i.test(code) || /timeout|within \d+ ms/i.test(e?.message ?? '');
}

/** The client address a network-gate 403 names (`client with IP '1.2.3.4' is not allowed access`). */
export function clientIpOf(message: string): string | undefined {
  return /client with IP '?([0-9a-fA-F.:]+)'?/.exec(message)?.[1];
}

/**
 * PRIVATE_ENDPOINT_LISTENER_ERROR when address:port is a private endpoint whose listener the
 * server reports as failed (it knows why: a port in use, an address it does not have).
 */
async function checkListener(context: HealthContext, target: RegistryTarget, address: string | undefined, port: number, symptom: string): Promise<void> {
  if (!address || !context.endpoints) return;
  const endpoint = endpointAt(await context.endpoints(), address, port);
  if (!endpoint?.listenerError) return;
  const { t, log } = context;
  const command = `ss -ltnp 'src ${address}:${port}'`;
  throw log.fail({
    check: 'private-endpoint',
    code: 'PRIVATE_ENDPOINT_LISTENER_ERROR',
    message: t('peListenerError', { endpoint: endpoint.name, registry: target.name, address, port: String(port) }),
    cause: t('peListenerCause', { endpoint: endpoint.name, error: endpoint.listenerError, symptom }),
    fix: t('peListenerFix', { command, address, port: String(port), endpoint: endpoint.name }),
    commands: [command],
    details: { privateEndpoint: endpoint.id, address, port, listenerError: endpoint.listenerError },
  });
}

/**
 * A 403 from the network: the server's decision (its header) says which rule refused; a
 * private endpoint's connection that is not Approved is told apart from the public endpoint.
 */
export async function networkForbidden(
  context: HealthContext,
  target: RegistryTarget,
  answer: HttpAnswer,
  check: string,
  reached?: { address?: string; port: number },
): Promise<never> {
  const { t, log } = context;
  const detail = errorMessageOf(answer);
  const ip = clientIpOf(detail) ?? '?';
  const decision = answer.headers[NETWORK_DECISION_HEADER];
  if (decision === 'privateEndpoint') {
    const endpoint = context.endpoints ? endpointAt(await context.endpoints(), reached?.address, reached?.port ?? target.port) : undefined;
    if (endpoint && endpoint.status !== 'Approved') {
      const command = `wharf private-endpoint-connection approve -r ${target.name} -n ${endpoint.connection}`;
      throw log.fail({
        check,
        code: 'PRIVATE_ENDPOINT_CONNECTION_ERROR',
        message: t('peConnectionError', { endpoint: endpoint.name, registry: target.name, status: endpoint.status }),
        cause: t('peConnectionCause', {
          endpoint: endpoint.name,
          registry: target.name,
          status: endpoint.status,
          ip,
          address: `${endpoint.address}:${endpoint.port}`,
        }),
        fix: t('peApproveFix', { command, registry: target.name, connection: endpoint.connection }),
        commands: [command],
        details: { status: 403, decision, privateEndpoint: endpoint.id, connection: endpoint.connection, connectionStatus: endpoint.status, clientIp: ip },
      });
    }
    const command = `wharf private-endpoint-connection list -r ${target.name}`;
    throw log.fail({
      check,
      code: 'PRIVATE_ENDPOINT_CONNECTION_ERROR',
      message: t('peConnectionUnknownError', { registry: target.name }),
      cause: t('peConnectionUnknownCause', { registry: target.name, ip }),
      fix: t('peConnectionListFix', { command, registry: target.name }),
      commands: [command],
      details: { status: 403, decision, clientIp: ip },
    });
  }
  // Without the server's header (an older server), the registry's setting is the best guess.
  const disabled = decision ? decision === 'publicNetworkAccess:Disabled' : target.publicNetworkAccess?.toLowerCase() === 'disabled';
  const command = disabled ? `wharf update -n ${target.name} --public-network-enabled true` : `wharf network-rule add -n ${target.name} --ip-address ${ip}`;
  throw log.fail({
    check,
    code: 'CONNECTIVITY_FORBIDDEN_ERROR',
    message: t('forbiddenError', { host: target.authority, registry: target.name }),
    cause: disabled ? t('forbiddenDisabledCause', { registry: target.name, ip }) : t('forbiddenFirewallCause', { registry: target.name, ip, detail }),
    fix: disabled ? t('forbiddenDisabledFix', { registry: target.name }) : t('forbiddenFirewallFix', { registry: target.name, ip }),
    commands: [command],
    details: { status: 403, clientIp: ip, publicNetworkAccess: target.publicNetworkAccess, body: detail, ...(decision ? { decision } : {}) },
  });
}

export async function checkConnection(context: HealthContext, target: RegistryTarget, options: ConnectionOptions = {}): Promise<Connection> {
  const { t, log, timeoutMs } = context;
  const host = target.host;
  const port = target.port;
  const proxy = proxyFor(host, port, context.env);
  let socket: Socket;
  /** The address the connection went to (none through a proxy: the proxy resolves). */
  let reached: string | undefined;

  if (proxy) {
    const shownProxy = `${proxy.url.protocol}//${proxy.url.host}`;
    log.info('proxy', t('proxyInUse', { target: target.authority, proxy: shownProxy, variable: proxy.variable }));
    try {
      socket = await openTunnel(proxy.url, host, port, timeoutMs, context.ca);
    } catch (error) {
      const failure = error as TunnelError;
      const cause =
        failure.kind === 'status'
          ? t('proxyRefusedCause', { proxy: shownProxy, status: failure.status ?? '' })
          : failure.kind === 'closed'
            ? t('proxyClosedCause', { proxy: shownProxy })
            : failure.kind === 'timeout'
              ? t('proxyTimeoutCause', { proxy: shownProxy, seconds: seconds(timeoutMs) })
              : t('proxyUnreachableCause', { proxy: shownProxy, detail: failure.message });
      throw log.fail({
        check: 'proxy',
        code: 'PROXY_CONNECT_ERROR',
        message: t('proxyConnectError', { proxy: shownProxy, target: target.authority }),
        cause,
        fix: t('proxyConnectFix', { target: target.authority, host, port: String(port), variable: proxy.variable }),
        details: { proxy: shownProxy, variable: proxy.variable, failure: failure.kind, ...(failure.status ? { status: failure.status } : {}) },
      });
    }
    log.ok('proxy', t('proxyConnectOk', { target: target.authority, proxy: shownProxy }));
  } else {
    const configured = httpsProxyOf(context.env);
    if (configured) log.info('proxy', t('proxyBypassed', { target: target.authority, variable: configured.variable }));
    const resolved = await resolveHost(host, timeoutMs);
    if (!resolved.ok) {
      throw log.fail({
        check: 'dns',
        code: 'CONNECTIVITY_DNS_ERROR',
        message: t('dnsError', { host }),
        cause: t('dnsCause', { host, code: resolved.code }),
        // An /etc/hosts line needs an address; a profile that names the server by name gets the general fix.
        fix:
          target.serverAddress && isIP(target.serverAddress)
            ? t('dnsFix', { host, address: target.serverAddress, registry: target.name, sudo: sudoPrefix(context.env) })
            : t('dnsFixNoAddress', { host, registry: target.name }),
        commands:
          target.serverAddress && isIP(target.serverAddress)
            ? [`echo '${target.serverAddress} ${host}' | ${sudoPrefix(context.env)}tee -a /etc/hosts`]
            : undefined,
        details: { host, code: resolved.code, error: resolved.message },
      });
    }
    const address = resolved.addresses[0]!;
    reached = address;
    log.ok('dns', t('dnsOk', { host, address }), { host, addresses: resolved.addresses });
    try {
      socket = await openTcp(address, port, timeoutMs);
    } catch (error) {
      const failure = error as ProbeError;
      const expected = target.serverAddress ?? '?';
      await checkListener(context, target, address, port, failure.kind === 'timeout' ? t('peListenerTimeout') : (failure.code ?? failure.message));
      if (failure.kind === 'timeout') {
        throw log.fail({
          check: 'tcp',
          code: 'CONNECTIVITY_TIMEOUT_ERROR',
          message: t('timeoutError', { host, address, port: String(port), seconds: seconds(timeoutMs) }),
          cause: t('timeoutTcpCause'),
          fix: t('timeoutFix', { host, address, port: String(port), expected, registry: target.name }),
          details: { address, port, stage: 'tcp' },
        });
      }
      throw log.fail({
        check: 'tcp',
        code: 'CONNECTIVITY_TCP_ERROR',
        message: t('tcpError', { host, address, port: String(port), detail: failure.code ?? failure.message }),
        cause: failure.kind === 'refused' ? t('tcpRefusedCause', { address, port: String(port) }) : t('tcpOtherCause', { detail: failure.message }),
        fix: t('tcpFix', { host, port: String(port), expected, registry: target.name }),
        details: { address, port, code: failure.code },
      });
    }
    log.ok('tcp', t('tcpOk', { address, port: String(port) }));
  }

  if (target.scheme === 'https') {
    const result = await probeTls(socket, host, context.ca, timeoutMs);
    if (!result.ok) {
      if (result.kind === 'timeout') {
        await checkListener(context, target, reached, port, t('peListenerTimeout'));
        throw log.fail({
          check: 'tls',
          code: 'CONNECTIVITY_TIMEOUT_ERROR',
          message: t('timeoutError', { host, address: reached ?? host, port: String(port), seconds: seconds(timeoutMs) }),
          cause: t('timeoutTlsCause'),
          fix: t('timeoutFix', { host, address: reached ?? host, port: String(port), expected: target.serverAddress ?? '?', registry: target.name }),
          details: { stage: 'tls', ...(reached ? { address: reached, port } : {}) },
        });
      }
      const issuer = result.certificate?.issuer ?? '?';
      const shownProxy = proxy ? `${proxy.url.protocol}//${proxy.url.host}` : undefined;
      let cause: string;
      let fix: string;
      if (result.kind === 'untrusted' && shownProxy) {
        cause = t('sslInterceptedCause', { issuer, proxy: shownProxy });
        fix = t('sslInterceptedFix', { host });
      } else if (result.kind === 'untrusted') {
        cause = t('sslUntrustedCause', { issuer, ca: context.caFile ?? t('systemStore') });
        fix = t('sslUntrustedFix', { host, registry: target.name });
      } else if (result.kind === 'name-mismatch') {
        cause = t('sslNameCause', { host, names: result.certificate?.names.join(', ') ?? '?', issuer });
        fix = t('sslNameFix', { host, registry: target.name });
      } else if (result.kind === 'expired') {
        cause = t('sslExpiredCause', { when: result.certificate?.validTo ?? '?', issuer });
        fix = t('sslExpiredFix');
      } else {
        cause = t('sslOtherCause', { detail: result.message });
        fix = t('sslUntrustedFix', { host, registry: target.name });
      }
      throw log.fail({
        check: 'tls',
        code: 'CONNECTIVITY_SSL_ERROR',
        message: t('sslError', { host }),
        cause,
        fix,
        details: { failure: result.kind, code: result.code, ...(result.certificate ? { certificate: result.certificate } : {}) },
      });
    }
    log.ok('tls', t('tlsOk', { host, issuer: result.certificate.issuer }), { certificate: result.certificate });
  } else {
    socket.destroy();
  }

  const http = new RegistryHttp(`${target.scheme}://${target.authority}`, registryAgent({ ca: context.ca, timeoutMs, env: context.env }), timeoutMs);
  let answer: HttpAnswer;
  try {
    answer = await http.get('/v2/');
  } catch (error) {
    if (isTimeout(error)) {
      await checkListener(context, target, reached, port, t('peListenerTimeout'));
      throw log.fail({
        check: 'challenge',
        code: 'CONNECTIVITY_TIMEOUT_ERROR',
        message: t('timeoutError', { host, address: reached ?? host, port: String(port), seconds: seconds(timeoutMs) }),
        cause: t('timeoutHttpCause'),
        fix: t('timeoutFix', { host, address: reached ?? host, port: String(port), expected: target.serverAddress ?? '?', registry: target.name }),
        details: { stage: 'http', ...(reached ? { address: reached, port } : {}) },
      });
    }
    throw log.fail({
      check: 'challenge',
      code: 'CONNECTIVITY_CHALLENGE_ERROR',
      message: t('challengeError', { host: target.authority }),
      cause: t('challengeFailedCause', { detail: (error as Error).message }),
      fix: t('challengeFix', { registry: target.name }),
    });
  }
  try {
    checkClock(context, target, answer.headers.date);
  } catch (error) {
    // With --ignore-errors a skew is reported and the checks go on: the server will judge the tokens.
    if (!(error instanceof SkipRest)) throw error;
  }
  if (answer.status === 403 && options.challengePath && answer.headers[NETWORK_DECISION_HEADER] !== 'privateEndpoint') {
    // The identity is judged at the token endpoint, as for the SDK: ask for the challenge where it does.
    const versionCheck = answer;
    try {
      answer = await http.get(options.challengePath);
    } catch {
      answer = versionCheck;
    }
    if (answer.status === 401) log.info('challenge', t('versionCheckForbidden', { host: target.authority, path: options.challengePath }));
    else answer = versionCheck;
  }
  if (answer.status === 403) await networkForbidden(context, target, answer, 'challenge', { address: reached, port });
  const parsed = parseChallenge(answer.headers['www-authenticate']);
  if (answer.status !== 401 || !parsed) {
    throw log.fail({
      check: 'challenge',
      code: 'CONNECTIVITY_CHALLENGE_ERROR',
      message: t('challengeError', { host: target.authority }),
      cause: t('challengeStatusCause', { status: String(answer.status) }),
      fix: t('challengeFix', { registry: target.name }),
      details: { status: answer.status },
    });
  }
  if (parsed.scheme !== 'bearer' || !parsed.params.realm || !parsed.params.service) {
    // As az: a challenge that is not Bearer means no AAD login; a Bearer one without realm or service is malformed.
    throw log.fail({
      check: 'challenge',
      code: parsed.scheme === 'bearer' ? 'CONNECTIVITY_WWW_AUTHENTICATE_ERROR' : 'CONNECTIVITY_AAD_LOGIN_ERROR',
      message: t(parsed.scheme === 'bearer' ? 'wwwAuthenticateError' : 'aadLoginError', { host: target.authority }),
      cause: t('challengeHeaderCause', { header: answer.headers['www-authenticate'] ?? '' }),
      fix: t('aadLoginFix', { registry: target.name }),
    });
  }
  log.ok('challenge', t('challengeOk', { url: `${target.scheme}://${target.authority}/v2/` }));
  return { http, challenge: { realm: parsed.params.realm, service: parsed.params.service } };
}

/** Compares the server's Date with ours; a skew beyond the limit is an error (tokens would fail). */
export function clockSkewSeconds(serverDate: string | undefined, now: number): number | undefined {
  if (!serverDate) return undefined;
  const server = Date.parse(serverDate);
  if (Number.isNaN(server)) return undefined;
  // Date has a one-second resolution: ignore the sub-second part.
  return Math.round((now - server) / 1000);
}

function checkClock(context: HealthContext, target: RegistryTarget, date: string | undefined): void {
  const skew = clockSkewSeconds(date, Date.now());
  if (skew === undefined) return;
  if (Math.abs(skew) > CLOCK_SKEW_LIMIT_S) {
    throw context.log.fail({
      check: 'clock',
      code: 'CLOCK_SKEW_ERROR',
      message: context.t('clockSkewError', { host: target.authority, seconds: String(skew) }),
      cause: context.t('clockSkewCause', { limit: String(CLOCK_SKEW_LIMIT_S) }),
      fix: context.t('clockSkewFix', { sudo: sudoPrefix(context.env) }),
      commands: [`${sudoPrefix(context.env)}timedatectl set-ntp true`],
      details: { skewSeconds: skew, serverDate: date },
    });
  }
  context.log.ok('clock', context.t('clockOk', { host: target.authority, seconds: String(Math.abs(skew)) }), { skewSeconds: skew });
}
