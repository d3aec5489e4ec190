/**
 * Guards found in review, where the cases are many: the import address policy (which
 * addresses a source may be at), the network check for local import sources, and diagnose
 * looking identities up only in the registry's own tenant.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { replayAuthentication } from '../../src/management/resources/diagnose-identity.js';
import { localSourceNetworkRefusal } from '../../src/image-import/image-sources.js';
import { registryOrigin } from '../../src/image-import/remote-registry.js';
import { SourceAddressPolicy } from '../../src/image-import/source-address-policy.js';
import { loadConfig } from '../../src/kernel/config.js';
import type { ManagementServices } from '../../src/management/context.js';
import { defaultRegistryNetwork } from '../../src/storage/metadata/network-records.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import type { MetadataStore, RegistryRecord } from '../../src/storage/metadata/store.js';
import { tempDir } from '../helpers/tmp.js';

describe('import source address policy', () => {
  const strict = new SourceAddressPolicy([]);
  it('refuses loopback, link-local, private and unspecified addresses by default', () => {
    const refused: [string, RegExp][] = [
      ['127.0.0.1', /loopback/],
      ['127.9.9.9', /loopback/],
      ['::1', /loopback/],
      ['::ffff:127.0.0.1', /loopback/],
      ['169.254.169.254', /link-local/],
      ['fe80::1', /link-local/],
      ['10.1.2.3', /private/],
      ['172.16.0.1', /private/],
      ['172.31.255.255', /private/],
      ['192.168.1.1', /private/],
      ['fd00::1', /private/],
      ['0.0.0.0', /unspecified/],
      ['::', /unspecified/],
    ];
    for (const [address, kind] of refused) assert.match(strict.refusal(address)?.message ?? 'allowed', kind, address);
  });
  it('lets public addresses through, and whatever the setting allows', () => {
    for (const address of ['8.8.8.8', '172.32.0.1', '2001:db8::1', '100.128.0.1']) assert.equal(strict.refusal(address), undefined, address);
    const open = new SourceAddressPolicy(['127.0.0.0/8', 'fd00::/8', '10.0.0.5']);
    assert.equal(open.refusal('127.0.0.2'), undefined);
    assert.equal(open.refusal('fd12::1'), undefined);
    assert.equal(open.refusal('10.0.0.5'), undefined);
    assert.match(open.refusal('10.0.0.6')?.message ?? '', /private/);
    assert.match(open.refusal('::1')?.message ?? '', /loopback/);
  });
});

describe('import.allowedSourceRanges', () => {
  it('is empty by default, set by WHARF_IMPORT_ALLOWED_SOURCE_RANGES, and takes only addresses and ranges', () => {
    assert.deepEqual(loadConfig({ env: {} }).import.allowedSourceRanges, []);
    assert.deepEqual(loadConfig({ env: { WHARF_IMPORT_ALLOWED_SOURCE_RANGES: '127.0.0.0/8, fd00::/8' } }).import.allowedSourceRanges, [
      '127.0.0.0/8',
      'fd00::/8',
    ]);
    assert.throws(() => loadConfig({ env: { WHARF_IMPORT_ALLOWED_SOURCE_RANGES: 'intranet' } }), /import\.allowedSourceRanges\.0: an IP address or CIDR range/);
  });
});

describe('import source addresses', () => {
  it('refuses any user info and never repeats it', () => {
    for (const uri of ['https://:pw-123@example.test', 'https://user:pw-123@example.test', 'user@example.test', 'https://user@example.test:5000']) {
      assert.throws(
        () => registryOrigin(uri),
        (error: Error) => /must not contain a user name or password/.test(error.message) && !error.message.includes('pw-123'),
        uri,
      );
    }
    assert.equal(registryOrigin('example.test:5000').href, 'https://example.test:5000/');
  });
});

describe('import from a registry of this Wharf: its network rules', () => {
  it('reads an open source, and a restricted one only when it allows trusted services without subnet rules (as ACR)', () => {
    const open = defaultRegistryNetwork();
    assert.equal(localSourceNetworkRefusal('src', open), undefined);
    assert.equal(localSourceNetworkRefusal('src', { ...open, defaultAction: 'Deny', bypass: 'AzureServices' }), undefined);
    assert.equal(localSourceNetworkRefusal('src', { ...open, publicNetworkAccess: 'Disabled', bypass: 'AzureServices' }), undefined);
    assert.match(
      String(localSourceNetworkRefusal('src', { ...open, defaultAction: 'Deny', bypass: 'None' })),
      /network-restricted \(default action Deny\).*trusted services/,
    );
    assert.match(String(localSourceNetworkRefusal('src', { ...open, publicNetworkAccess: 'Disabled', bypass: 'None' })), /public network access Disabled/);
    assert.match(
      String(localSourceNetworkRefusal('src', { ...open, defaultAction: 'Deny', bypass: 'AzureServices', virtualNetworkRules: ['/subscriptions/s/x'] })),
      /trusted services do not pass its virtual network rules/,
    );
    assert.match(
      localSourceNetworkRefusal('src', { ...open, defaultAction: 'Deny', bypass: 'None' })!.in('pl'),
      /dostęp sieciowy do rejestru źródłowego 'src' jest ograniczony \(akcja domyślna: Deny\)/,
    );
  });
});

describe('diagnose: identities of other tenants', () => {
  let store: MetadataStore;
  const ours = { tenant: randomUUID(), subscription: randomUUID() };
  const theirs = { tenant: randomUUID(), subscription: randomUUID() };
  const foreignApp = randomUUID();
  const localApp = randomUUID();

  before(async () => {
    store = await openMetadataStore({ driver: 'sqlite', path: join(tempDir('diagnose-tenants'), 'meta.db') });
    for (const t of [ours, theirs]) {
      await store.scaffold.ensureTenant({ id: t.tenant, displayName: t.tenant });
      await store.scaffold.ensureSubscription({ id: t.subscription, tenantId: t.tenant, displayName: t.subscription });
    }
    const identity = (tenantId: string, appId: string) => ({
      objectId: randomUUID(),
      tenantId,
      type: 'ManagedIdentity' as const,
      appId,
      displayName: appId,
      userName: null,
      passwordHash: null,
      createdAt: new Date().toISOString(),
    });
    await store.identities.create(identity(theirs.tenant, foreignApp));
    await store.identities.create(identity(ours.tenant, localApp));
  });
  after(async () => store?.close());

  it("finds the registry's own tenant's identities and says nothing of another tenant's", async () => {
    const services = { store, dataPlane: { openAccess: false, credentials: { stillValid: async () => true } } } as unknown as ManagementServices;
    const registry = { name: 'reg', subscriptionId: ours.subscription } as RegistryRecord;
    const local = await replayAuthentication(services, registry, localApp, false);
    assert.equal(local.stage.result, 'allowed', JSON.stringify(local.stage));
    const foreign = await replayAuthentication(services, registry, foreignApp, false);
    assert.equal(foreign.stage.result, 'denied');
    assert.equal(foreign.stage.rule, 'identity:unknown');
  });
});
