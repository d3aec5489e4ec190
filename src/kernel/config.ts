/**
 * Wharf's settings: defaults < config file (JSON or YAML) < WHARF_* environment < command-line
 * flags. Validated as a whole, so a bad value is reported with where it came from.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseCidr } from './ipv4.js';

const registryName = z.string().regex(/^[a-z0-9]{2,50}$/, 'a registry name is 2 to 50 lowercase letters or digits');

const registrySchema = z.object({
  name: registryName,
  loginServer: z.string().min(1).optional(),
  deletesEnabled: z.boolean().default(true),
});

/**
 * Slow and greedy clients: how long a request may take to arrive, and how many connections one
 * address may hold (see README, "Timeouts and connection limits").
 */
const CONNECTION_DEFAULTS = {
  headersTimeoutSeconds: 30,
  keepAliveTimeoutSeconds: 75,
  bodyIdleTimeoutSeconds: 60,
  smallBodyTimeoutSeconds: 60,
  bodyMinBytesPerSecond: 1024,
  bodyRateWindowSeconds: 60,
  maxPerAddress: 256,
} as const;

const connectionsSchema = z
  .object({
    /** The request line and headers must arrive within this; else 408 and the connection closes. */
    headersTimeoutSeconds: z.number().positive().max(3600).default(CONNECTION_DEFAULTS.headersTimeoutSeconds),
    /** An idle keep-alive connection is closed after this. */
    keepAliveTimeoutSeconds: z.number().positive().max(3600).default(CONNECTION_DEFAULTS.keepAliveTimeoutSeconds),
    /** A request body with no byte for this long is cut. */
    bodyIdleTimeoutSeconds: z.number().positive().max(3600).default(CONNECTION_DEFAULTS.bodyIdleTimeoutSeconds),
    /** Small bodies read whole (forms, JSON, manifests) must arrive within this. */
    smallBodyTimeoutSeconds: z.number().positive().max(3600).default(CONNECTION_DEFAULTS.smallBodyTimeoutSeconds),
    /** Any body (uploads too) arriving slower than this on average over the window is cut. 0: no rate rule. */
    bodyMinBytesPerSecond: z.number().int().min(0).default(CONNECTION_DEFAULTS.bodyMinBytesPerSecond),
    bodyRateWindowSeconds: z.number().positive().max(3600).default(CONNECTION_DEFAULTS.bodyRateWindowSeconds),
    /** Open connections one client address may hold (trusted proxies exempt). 0: no limit. */
    maxPerAddress: z.number().int().min(0).default(CONNECTION_DEFAULTS.maxPerAddress),
  })
  .strict()
  .default({ ...CONNECTION_DEFAULTS });

/** Azure's rule for container names: 3 to 63 of lowercase letters, digits and single hyphens, starting and ending with a letter or digit. */
const AZURE_CONTAINER_RE = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Where blob content and upload scratch live: the data directory (default), or one container of
 * an Azure Storage account that every node can share (see docs/architecture.md, "Storage").
 */
const blobStorageSchema = z
  .object({
    driver: z.enum(['filesystem', 'azure']).default('filesystem'),
    azure: z
      .object({
        /** A storage account connection string (it carries the key): the simplest way in, Azurite's too. */
        connectionString: z.string().min(1).optional(),
        /** Or the account's name and key, with its blob endpoint when it is not Azure's public one. */
        accountName: z.string().min(1).optional(),
        accountKey: z.string().min(1).optional(),
        endpoint: z.string().url('the blob endpoint URL, e.g. https://account.blob.core.windows.net').optional(),
        container: z.string().regex(AZURE_CONTAINER_RE, 'a container name: 3 to 63 lowercase letters, digits and single hyphens').default('wharf'),
        /** Over 0: blob GETs answer 307 to a read-only SAS URL valid this long (needs the account key); 0: Wharf serves the bytes. */
        downloadRedirectMinutes: z
          .number()
          .min(0)
          .max(7 * 24 * 60)
          .default(0),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((blob, context) => {
    if (blob.driver !== 'azure') return;
    const azure = blob.azure;
    if (azure?.connectionString || (azure?.accountName && azure.accountKey)) return;
    context.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['azure'],
      message: 'the azure driver needs azure.connectionString, or azure.accountName and azure.accountKey',
    });
  })
  .default({ driver: 'filesystem' });

const DEFAULT_PRIVATE_ENDPOINT_RANGES = ['127.0.0.0/8'] as const;

export const configSchema = z
  .object({
    data: z.string().min(1).default('.wharf'),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(8443),
    /**
     * The port clients reach Wharf on, which login servers carry (none when it is the scheme's
     * default, 443 or 80): set it when a proxy or a port redirect serves Wharf on another port
     * than it listens on (e.g. 443). Default: the listening port.
     */
    publicPort: z.coerce.number().int().min(1).max(65535).optional(),
    http: z.boolean().default(false),
    domain: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'a DNS suffix such as localhost or registry.example.com')
      .default('localhost'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** pretty: one readable line per event; json: one JSON object per line. Default: pretty on a terminal, else json. */
    logFormat: z.enum(['pretty', 'json']).optional(),
    defaultRegistry: registryName.default('wharf'),
    registries: z.array(registrySchema).default([]),
    metadata: z
      .discriminatedUnion('driver', [
        z.object({ driver: z.literal('sqlite'), path: z.string().optional() }),
        z.object({ driver: z.literal('postgres'), url: z.string().url('a postgres:// URL'), poolSize: z.number().int().positive().optional() }),
      ])
      .default({ driver: 'sqlite' }),
    uploads: z
      .object({
        /** Idle upload sessions are purged after this many hours. */
        purgeAfterHours: z.number().positive().default(24),
      })
      .default({ purgeAfterHours: 24 }),
    storage: z
      .object({
        /**
         * What a crash leaves behind (blob files without a metadata row, sessions whose upload
         * file is gone) is removed once this old; nodes sharing storage rely on it.
         */
        orphanGraceMinutes: z.number().min(0).default(60),
        /** The reconciler runs at start and then this often. */
        reconcileIntervalMinutes: z.number().positive().default(60),
        /** Scrub every registry's blobs this often; 0: only on demand (`wharf scrub`). */
        scrubIntervalHours: z.number().min(0).default(0),
        blob: blobStorageSchema,
      })
      .strict()
      .default({ orphanGraceMinutes: 60, reconcileIntervalMinutes: 60, scrubIntervalHours: 0, blob: { driver: 'filesystem' } }),
    manifestMaxBytes: z
      .number()
      .int()
      .positive()
      .default(4 * 1024 * 1024),
    auth: z
      .object({
        /**
         * Insecure, for development and protocol tests only: every request is allowed as the
         * anonymous principal with every action. Off by default.
         */
        openAccess: z.boolean().default(false),
        /** ACR refresh tokens (from /oauth2/exchange and offline_token) live this long. */
        refreshTokenMinutes: z.number().positive().default(180),
        /** ACR access tokens (from /oauth2/token) live this long. */
        accessTokenMinutes: z.number().positive().default(75),
        /** Entra-compatible access tokens from the identity plane live this long. */
        identityTokenMinutes: z.number().positive().default(60),
        /** Failed logins allowed per client address, and per identity, in the window. */
        failedLoginLimit: z.number().int().positive().default(10),
        failedLoginWindowSeconds: z.number().int().positive().default(60),
        /** Base64 of 32 bytes sealing stored secrets; default: <data>/private/master.key. */
        masterKey: z
          .string()
          .refine(
            (text) => /^[A-Za-z0-9+/]+={0,2}$/.test(text) && Buffer.from(text, 'base64').length === 32,
            'base64 of exactly 32 random bytes (openssl rand -base64 32)',
          )
          .optional(),
      })
      .strict()
      .default({
        openAccess: false,
        refreshTokenMinutes: 180,
        accessTokenMinutes: 75,
        identityTokenMinutes: 60,
        failedLoginLimit: 10,
        failedLoginWindowSeconds: 60,
      }),
    audit: z
      .object({
        enabled: z.boolean().default(true),
        /** Rows older than this are deleted. */
        retentionDays: z.number().positive().default(30),
      })
      .strict()
      .default({ enabled: true, retentionDays: 30 }),
    import: z
      .object({
        /**
         * Address ranges (CIDR, IPv4 or IPv6) an import may fetch from although they are
         * loopback, link-local, private or unspecified, which imports refuse by default (the
         * server must not be made to reach its own host, cloud metadata or internal services).
         */
        allowedSourceRanges: z.array(z.string().refine(isAddressOrRange, 'an IP address or CIDR range, e.g. 10.0.0.0/8 or fd00::/8')).default([]),
        /** A source must deliver each manifest (token request included) within this time, however steadily it trickles. */
        manifestDeadlineSeconds: z.number().positive().default(60),
      })
      .strict()
      .default({ allowedSourceRanges: [], manifestDeadlineSeconds: 60 }),
    connections: connectionsSchema,
    operations: z
      .object({
        /**
         * host:port of a separate plain-HTTP listener for /metrics, /healthz and /readyz (e.g.
         * 127.0.0.1:9090); the main listener then serves no /metrics. Unset: /metrics is on the
         * main listener, for callers every registry's firewall allows.
         */
        listen: z.string().refine(isListenAddress, 'host:port, e.g. 127.0.0.1:9090 or [::1]:9090').optional(),
      })
      .strict()
      .default({}),
    network: z
      .object({
        /**
         * Peers (addresses or CIDR ranges, IPv4 or IPv6) whose X-Forwarded-For is believed when
         * working out the client address the network rules see; none by default.
         */
        trustedProxies: z.array(z.string().refine(isAddressOrRange, 'an IP address or CIDR range, e.g. 10.0.0.5 or 10.0.0.0/24')).default([]),
        /** Where the firewall's 403 sends people to grant access. */
        firewallHelpUrl: z.string().min(1).default('docs/network-access.md#firewall'),
        /** Signed data endpoint URLs are valid this long. */
        dataUrlMinutes: z.number().positive().default(10),
        /**
         * IPv4 ranges (CIDR) private endpoints may take their listener address from: an endpoint
         * binds a listener on this host, so it must not reach addresses outside what the operator
         * set aside. Loopback only by default.
         */
        privateEndpointRanges: z.array(z.string().superRefine(ipv4RangeIssue)).default([...DEFAULT_PRIVATE_ENDPOINT_RANGES]),
      })
      .strict()
      .default({
        trustedProxies: [],
        firewallHelpUrl: 'docs/network-access.md#firewall',
        dataUrlMinutes: 10,
        privateEndpointRanges: [...DEFAULT_PRIVATE_ENDPOINT_RANGES],
      }),
  })
  .strict();

/** An IPv4 CIDR range (or one address), with parseCidr's explanation when it is not. */
function ipv4RangeIssue(text: string, context: z.RefinementCtx): void {
  const parsed = parseCidr(text, 'address range');
  if (!parsed.ok) context.addIssue({ code: z.ZodIssueCode.custom, message: `an IPv4 CIDR range, e.g. 127.0.0.0/8: ${parsed.why}` });
}

/** `host:port` with an IP address (IPv6 in brackets) and a port 0-65535. */
export function parseListenAddress(text: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const host = match[1] ?? match[2]!;
  const port = Number(match[3]);
  if (isIP(host) === 0 && host !== 'localhost') return undefined;
  return port <= 65535 ? { host, port } : undefined;
}

function isListenAddress(text: string): boolean {
  return parseListenAddress(text) !== undefined;
}

/** proxy-addr's syntax: an address, or an address with a prefix length. */
function isAddressOrRange(text: string): boolean {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return false;
  if (slash < 0) return true;
  const prefix = text.slice(slash + 1);
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

export type WharfConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

const ENV_KEYS: Record<string, keyof WharfConfig> = {
  WHARF_DATA: 'data',
  WHARF_HOST: 'host',
  WHARF_PORT: 'port',
  WHARF_PUBLIC_PORT: 'publicPort',
  WHARF_HTTP: 'http',
  WHARF_DOMAIN: 'domain',
  WHARF_LOG_LEVEL: 'logLevel',
  WHARF_LOG_FORMAT: 'logFormat',
  WHARF_DEFAULT_REGISTRY: 'defaultRegistry',
};

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  try {
    const parsed: unknown = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('the top level must be a mapping of settings');
    }
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid: ${(error as Error).message}`);
  }
}

function fromEnvironment(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [variable, key] of Object.entries(ENV_KEYS)) {
    const value = env[variable];
    if (value === undefined || value === '') continue;
    out[key] = key === 'http' ? parseBoolean(variable, value) : value;
  }
  if (env.WHARF_POSTGRES_URL) out.metadata = { driver: 'postgres', url: env.WHARF_POSTGRES_URL };
  if (env.WHARF_OPEN_ACCESS) out.auth = { openAccess: parseBoolean('WHARF_OPEN_ACCESS', env.WHARF_OPEN_ACCESS) };
  if (env.WHARF_MASTER_KEY) out.auth = { ...(out.auth as object | undefined), masterKey: env.WHARF_MASTER_KEY };
  if (env.WHARF_TRUSTED_PROXIES) {
    out.network = { trustedProxies: commaList(env.WHARF_TRUSTED_PROXIES) };
  }
  if (env.WHARF_OPS_LISTEN) out.operations = { listen: env.WHARF_OPS_LISTEN };
  if (env.WHARF_IMPORT_ALLOWED_SOURCE_RANGES) out.import = { allowedSourceRanges: commaList(env.WHARF_IMPORT_ALLOWED_SOURCE_RANGES) };
  const connections: Record<string, number> = {};
  for (const [variable, key] of Object.entries(CONNECTION_ENV_KEYS)) {
    const value = env[variable];
    if (value !== undefined && value !== '') connections[key] = parseNumber(variable, value);
  }
  if (Object.keys(connections).length > 0) out.connections = connections;
  const azure: Record<string, string> = {};
  if (env.WHARF_BLOB_AZURE_CONNECTION_STRING) azure.connectionString = env.WHARF_BLOB_AZURE_CONNECTION_STRING;
  if (env.WHARF_BLOB_AZURE_ACCOUNT_KEY) azure.accountKey = env.WHARF_BLOB_AZURE_ACCOUNT_KEY;
  const blob: Record<string, unknown> = Object.keys(azure).length > 0 ? { azure } : {};
  if (env.WHARF_BLOB_DRIVER) blob.driver = env.WHARF_BLOB_DRIVER;
  if (Object.keys(blob).length > 0) out.storage = { blob };
  if (env.WHARF_PRIVATE_ENDPOINT_RANGES) {
    out.network = { ...(out.network as object | undefined), privateEndpointRanges: commaList(env.WHARF_PRIVATE_ENDPOINT_RANGES) };
  }
  return out;
}

const CONNECTION_ENV_KEYS: Record<string, keyof typeof CONNECTION_DEFAULTS> = {
  WHARF_HEADERS_TIMEOUT_SECONDS: 'headersTimeoutSeconds',
  WHARF_KEEP_ALIVE_TIMEOUT_SECONDS: 'keepAliveTimeoutSeconds',
  WHARF_BODY_IDLE_TIMEOUT_SECONDS: 'bodyIdleTimeoutSeconds',
  WHARF_SMALL_BODY_TIMEOUT_SECONDS: 'smallBodyTimeoutSeconds',
  WHARF_BODY_MIN_BYTES_PER_SECOND: 'bodyMinBytesPerSecond',
  WHARF_BODY_RATE_WINDOW_SECONDS: 'bodyRateWindowSeconds',
  WHARF_MAX_CONNECTIONS_PER_ADDRESS: 'maxPerAddress',
};

function parseNumber(name: string, value: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number)) throw new ConfigError(`${name}=${value}: expected a number`);
  return number;
}

function commaList(text: string): string[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function parseBoolean(name: string, value: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(`${name}=${value}: expected true or false`);
}

const MERGED_GROUPS = new Set(['auth', 'audit', 'uploads', 'storage', 'network', 'import', 'connections', 'operations']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Key by key, nested groups too (`storage.blob.azure`: the key from the environment, the rest from the file). */
function mergeGroups(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeGroups(current, value) : value;
  }
  return out;
}

/** Merges the sources and validates; `flags` holds only what was given on the command line. */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv; flags?: Partial<Record<keyof WharfConfig, unknown>> }): WharfConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env.WHARF_CONFIG;
  const sources = [
    file ? readConfigFile(file) : {},
    fromEnvironment(env),
    Object.fromEntries(Object.entries(options.flags ?? {}).filter(([, v]) => v !== undefined)),
  ];
  const merged: Record<string, unknown> = {};
  for (const source of sources) {
    for (const [key, value] of Object.entries(source)) {
      // Groups of settings merge key by key: WHARF_OPEN_ACCESS must not drop the file's other auth settings.
      merged[key] = MERGED_GROUPS.has(key) && isPlainObject(merged[key]) && isPlainObject(value) ? mergeGroups(merged[key], value) : value;
    }
  }
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new ConfigError(`invalid configuration${file ? ` (file ${file})` : ''}:\n${problems.join('\n')}`);
  }
  const config = result.data;
  config.data = isAbsolute(config.data) ? config.data : resolve(config.data);
  return config;
}

/** What a registry's login server is made of (a WharfConfig fits). */
export type LoginServerSettings = Pick<WharfConfig, 'domain' | 'defaultRegistry' | 'port' | 'http'> & { publicPort?: number };

/** The port clients use: publicPort, else the listening port. */
function advertisedPortOf(settings: Pick<LoginServerSettings, 'port' | 'publicPort'>): number {
  return settings.publicPort ?? settings.port;
}

/** `:<port>`, or nothing when clients use the scheme's default port (what a port-less address means to them). */
function portSuffixOf(settings: LoginServerSettings): string {
  const port = advertisedPortOf(settings);
  return port === (settings.http ? 80 : 443) ? '' : `:${port}`;
}

/**
 * The login server of a registry, the address every client (az, docker, skopeo, podman) is given:
 * the explicit one, else `<name>.<domain>:<port>`; but with the default domain `localhost`, the
 * default registry's is `localhost:<port>`, since glibc resolves `localhost` everywhere and
 * `<name>.localhost` nowhere without a hosts entry. The port is left out when it is the scheme's
 * default (443, or 80 over HTTP), as clients then assume it. Always lower-case.
 */
export function loginServerOf(registry: { name: string; loginServer?: string | null }, settings: LoginServerSettings): string {
  if (registry.loginServer) return registry.loginServer.toLowerCase();
  const host = registry.name === settings.defaultRegistry && settings.domain === 'localhost' ? 'localhost' : nameHostOf(registry.name, settings.domain);
  return `${host}${portSuffixOf(settings)}`;
}

/** `<name>.<domain>`: a registry always answers there, on any port (old data and clients keep working). */
export function nameHostOf(name: string, domain: string): string {
  return `${name}.${domain}`;
}
