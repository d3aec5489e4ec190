import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/kernel/config.js';

const dir = mkdtempSync(join(tmpdir(), 'wharf-config-'));

describe('configuration', () => {
  it('has safe defaults: HTTPS on loopback', () => {
    const config = loadConfig({ env: {} });
    assert.equal(config.http, false);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 8443);
    assert.equal(config.metadata.driver, 'sqlite');
  });
  it('layers file < environment < flags', () => {
    const file = join(dir, 'wharf.yaml');
    writeFileSync(file, 'port: 7000\ndomain: reg.example.com\nhttp: true\nregistries:\n  - name: team\n    loginServer: localhost:7000\n');
    const config = loadConfig({ file, env: { WHARF_PORT: '7001', WHARF_HTTP: 'false' }, flags: { port: '7002' } });
    assert.equal(config.port, 7002);
    assert.equal(config.http, false);
    assert.equal(config.domain, 'reg.example.com');
    assert.deepEqual(config.registries, [{ name: 'team', loginServer: 'localhost:7000', deletesEnabled: true }]);
  });
  it('has timeouts and a per-address connection limit, from the file and the environment key by key', () => {
    assert.deepEqual(loadConfig({ env: {} }).connections, {
      headersTimeoutSeconds: 30,
      keepAliveTimeoutSeconds: 75,
      bodyIdleTimeoutSeconds: 60,
      smallBodyTimeoutSeconds: 60,
      bodyMinBytesPerSecond: 1024,
      bodyRateWindowSeconds: 60,
      maxPerAddress: 256,
    });
    const file = join(dir, 'connections.yaml');
    writeFileSync(file, 'connections:\n  maxPerAddress: 8\n  bodyRateWindowSeconds: 30\n');
    const config = loadConfig({ file, env: { WHARF_BODY_MIN_BYTES_PER_SECOND: '4096', WHARF_MAX_CONNECTIONS_PER_ADDRESS: '16' } });
    assert.equal(config.connections.maxPerAddress, 16);
    assert.equal(config.connections.bodyRateWindowSeconds, 30);
    assert.equal(config.connections.bodyMinBytesPerSecond, 4096);
    assert.equal(config.connections.headersTimeoutSeconds, 30);
    assert.throws(
      () => loadConfig({ env: { WHARF_HEADERS_TIMEOUT_SECONDS: 'soon' } }),
      (e: Error) => e instanceof ConfigError && /WHARF_HEADERS_TIMEOUT_SECONDS=soon: expected a number/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ env: { WHARF_HEADERS_TIMEOUT_SECONDS: '0' } }),
      (e: Error) => e instanceof ConfigError && /connections\.headersTimeoutSeconds/.test(e.message),
    );
  });
  it('reads JSON files and WHARF_POSTGRES_URL', () => {
    const file = join(dir, 'wharf.json');
    writeFileSync(file, JSON.stringify({ logLevel: 'warn' }));
    const config = loadConfig({ file, env: { WHARF_POSTGRES_URL: 'postgres://u@127.0.0.1/db' } });
    assert.equal(config.logLevel, 'warn');
    assert.deepEqual(config.metadata, { driver: 'postgres', url: 'postgres://u@127.0.0.1/db' });
  });
  it('reports every bad value with its setting', () => {
    assert.throws(
      () => loadConfig({ env: { WHARF_PORT: '70000', WHARF_DOMAIN: 'Bad_Domain' } }),
      (e: Error) => e instanceof ConfigError && /port/.test(e.message) && /domain/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ env: { WHARF_HTTP: 'maybe' } }),
      (e: Error) => e instanceof ConfigError && /WHARF_HTTP/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ env: {}, flags: { portt: 1 } as never }),
      (e: Error) => e instanceof ConfigError && /portt/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ file: join(dir, 'missing.yaml'), env: {} }),
      (e: Error) => e instanceof ConfigError && /cannot read/.test(e.message),
    );
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{');
    assert.throws(
      () => loadConfig({ file: broken, env: {} }),
      (e: Error) => e instanceof ConfigError && /not valid/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ env: {}, flags: { registries: [{ name: 'Bad-Name' }] } as never }),
      (e: Error) => /registries\.0\.name/.test(e.message),
    );
  });
});

it('auth.masterKey must be base64 of 32 bytes; the error says how to make one', () => {
  assert.throws(() => loadConfig({ env: { WHARF_MASTER_KEY: 'short' } }), /auth\.masterKey: base64 of exactly 32 random bytes \(openssl rand -base64 32\)/);
  const key = Buffer.alloc(32, 7).toString('base64');
  assert.equal(loadConfig({ env: { WHARF_MASTER_KEY: key } }).auth.masterKey, key);
});

it("settings groups merge key by key across sources: the environment does not drop the file's other auth settings", () => {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-config-'));
  const file = join(dir, 'wharf.yaml');
  writeFileSync(file, 'auth:\n  refreshTokenMinutes: 5\naudit:\n  retentionDays: 2\n');
  const config = loadConfig({ file, env: { WHARF_OPEN_ACCESS: 'true' } });
  assert.equal(config.auth.openAccess, true);
  assert.equal(config.auth.refreshTokenMinutes, 5);
  assert.equal(config.audit.retentionDays, 2);
});

it("network settings: defaults, WHARF_TRUSTED_PROXIES as a comma list merged with the file's other network keys, bad ranges refused", () => {
  const defaults = loadConfig({ env: {} }).network;
  assert.deepEqual(defaults, {
    trustedProxies: [],
    firewallHelpUrl: 'docs/network-access.md#firewall',
    dataUrlMinutes: 10,
    privateEndpointRanges: ['127.0.0.0/8'],
  });
  const dir = mkdtempSync(join(tmpdir(), 'wharf-config-'));
  const file = join(dir, 'wharf.yaml');
  writeFileSync(file, 'network:\n  firewallHelpUrl: https://help.example.com/fw\n  dataUrlMinutes: 3\n  trustedProxies: [10.9.9.9]\n');
  const config = loadConfig({ file, env: { WHARF_TRUSTED_PROXIES: ' 127.0.0.1, 10.0.0.0/8 ,::1' } });
  assert.deepEqual(config.network, {
    trustedProxies: ['127.0.0.1', '10.0.0.0/8', '::1'],
    firewallHelpUrl: 'https://help.example.com/fw',
    dataUrlMinutes: 3,
    privateEndpointRanges: ['127.0.0.0/8'],
  });
  assert.throws(() => loadConfig({ env: { WHARF_TRUSTED_PROXIES: '10.0.0.0/33' } }), /network\.trustedProxies\.0: an IP address or CIDR range/);
  assert.throws(() => loadConfig({ env: { WHARF_TRUSTED_PROXIES: 'proxy.example.com' } }), /network\.trustedProxies\.0/);
});

it("network.privateEndpointRanges: loopback by default, WHARF_PRIVATE_ENDPOINT_RANGES as a comma list merged with the file's network keys, only IPv4 ranges", () => {
  const dir = mkdtempSync(join(tmpdir(), 'wharf-config-'));
  const file = join(dir, 'wharf.yaml');
  writeFileSync(file, 'network:\n  dataUrlMinutes: 4\n  privateEndpointRanges: [127.0.0.0/16]\n');
  assert.deepEqual(loadConfig({ file, env: {} }).network.privateEndpointRanges, ['127.0.0.0/16']);
  const config = loadConfig({ file, env: { WHARF_PRIVATE_ENDPOINT_RANGES: ' 127.0.0.0/8, 10.20.0.0/16 ,', WHARF_TRUSTED_PROXIES: '10.9.9.9' } });
  assert.deepEqual(config.network.privateEndpointRanges, ['127.0.0.0/8', '10.20.0.0/16']);
  assert.deepEqual(config.network.trustedProxies, ['10.9.9.9'], 'both network variables apply');
  assert.equal(config.network.dataUrlMinutes, 4, "the file's other network keys stay");
  assert.throws(
    () => loadConfig({ env: { WHARF_PRIVATE_ENDPOINT_RANGES: '127.0.0.0/8,10.0.0.0/40' } }),
    /network\.privateEndpointRanges\.1: an IPv4 CIDR range, e\.g\. 127\.0\.0\.0\/8: .*invalid prefix length/,
  );
  assert.throws(() => loadConfig({ env: { WHARF_PRIVATE_ENDPOINT_RANGES: 'fd00::/8' } }), /network\.privateEndpointRanges\.0: .*IPv6/);
});

it('storage.blob: the filesystem by default; the azure driver from the file, its key from the environment, refused without credentials', () => {
  assert.deepEqual(loadConfig({ env: {} }).storage.blob, { driver: 'filesystem' });
  const dir = mkdtempSync(join(tmpdir(), 'wharf-config-'));
  const file = join(dir, 'wharf.yaml');
  writeFileSync(file, 'storage:\n  orphanGraceMinutes: 5\n  blob:\n    driver: azure\n    azure:\n      accountName: wharfstore\n      container: images\n');
  const config = loadConfig({ file, env: { WHARF_BLOB_AZURE_ACCOUNT_KEY: 'a2V5' } });
  assert.equal(config.storage.orphanGraceMinutes, 5);
  assert.deepEqual(config.storage.blob, {
    driver: 'azure',
    azure: { accountName: 'wharfstore', accountKey: 'a2V5', container: 'images', downloadRedirectMinutes: 0 },
  });
  const fromEnv = loadConfig({ env: { WHARF_BLOB_DRIVER: 'azure', WHARF_BLOB_AZURE_CONNECTION_STRING: 'UseDevelopmentStorage=true' } }).storage.blob;
  assert.deepEqual(fromEnv, { driver: 'azure', azure: { connectionString: 'UseDevelopmentStorage=true', container: 'wharf', downloadRedirectMinutes: 0 } });
  assert.throws(
    () => loadConfig({ env: { WHARF_BLOB_DRIVER: 'azure' } }),
    (e: Error) =>
      e instanceof ConfigError &&
      /storage\.blob\.azure: the azure driver needs azure\.connectionString, or azure\.accountName and azure\.accountKey/.test(e.message),
  );
  assert.throws(() => loadConfig({ file, env: {} }), /storage\.blob\.azure: the azure driver needs/);
  assert.throws(() => loadConfig({ env: { WHARF_BLOB_DRIVER: 's3' } }), /storage\.blob\.driver/);
  assert.throws(
    () =>
      loadConfig({
        env: { WHARF_BLOB_DRIVER: 'azure', WHARF_BLOB_AZURE_CONNECTION_STRING: 'x' },
        flags: { storage: { blob: { driver: 'azure', azure: { container: 'Bad_Name' } } } } as never,
      }),
    /storage\.blob\.azure\.container: a container name/,
  );
});
