/**
 * What one ARM PUT of a registry that adds an IP rule costs in metadata-store calls, measured
 * in-process on a real server (real HTTP, real token) whose store counts its calls. The bound
 * keeps the registry's handler from sliding back to re-reading the same rows.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/kernel/config.js';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { countingStore, type StoreCallCounts } from '../helpers/counting-store.js';
import { tempDir } from '../helpers/tmp.js';

const API = 'api-version=2023-07-01';

describe('metadata-store calls of an ARM registry PUT', () => {
  let server: RunningServer;
  let counts: StoreCallCounts;
  let token: string;
  let registryUrl: string;

  before(async () => {
    const data = tempDir('store-calls');
    const config = loadConfig({ env: {}, flags: { data, port: 0, http: true, logLevel: 'warn' } });
    server = await startServer(config, {
      wrapStore: (store) => {
        const wrapped = countingStore(store);
        counts = wrapped.counts;
        return wrapped.store;
      },
    });
    const owner = JSON.parse(readFileSync(join(data, 'private', 'bootstrap-owner.json'), 'utf8')) as Record<string, string>;
    const res = await fetch(`${server.url}/${owner.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: owner.clientId!,
        client_secret: owner.clientSecret!,
        scope: 'https://management.azure.com/.default',
      }).toString(),
    });
    assert.equal(res.status, 200, await res.clone().text());
    token = ((await res.json()) as { access_token: string }).access_token;
    registryUrl = `${server.url}/subscriptions/${owner.subscriptionId}/resourceGroups/${owner.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/countreg?${API}`;
  });
  after(async () => {
    await server?.close();
  });

  const put = async (body: unknown) =>
    fetch(registryUrl, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('adds an IP rule with a bounded number of store calls', async () => {
    const created = await put({ location: 'local', sku: { name: 'Premium' } });
    assert.equal(created.status, 201, await created.text());
    // The same token again warms what every request shares (signing keys, tenants, grants).
    assert.equal((await put({ location: 'local', sku: { name: 'Premium' } })).status, 200);

    counts.reset();
    const res = await put({
      location: 'local',
      sku: { name: 'Premium' },
      properties: { networkRuleSet: { defaultAction: 'Allow', ipRules: [{ action: 'Allow', value: '203.0.113.7' }] } },
    });
    const body = (await res.json()) as { properties: { networkRuleSet: { ipRules: { value: string }[] } } };
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.deepEqual(
      body.properties.networkRuleSet.ipRules.map((r) => r.value),
      ['203.0.113.7'],
    );
    const summary = JSON.stringify(counts.summary());
    process.stdout.write(`# metadata-store calls for the IP-rule PUT: ${counts.total()} ${summary}\n`);
    // Before the registry service: 17 calls, the registry row read 3 times and its network settings 4.
    assert.ok(counts.total() <= 9, summary);
    assert.equal(counts.count('registries.get'), 1, summary);
    assert.equal(counts.count('network.registrySettings'), 1, summary);
    assert.equal(counts.count('registries.save'), 1, `one transaction saves the change: ${summary}`);
    assert.equal(counts.count('registries.update') + counts.count('network.saveRegistrySettings'), 0, summary);
  });
});
