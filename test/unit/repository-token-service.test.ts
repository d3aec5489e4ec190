/**
 * The repository token service over a SQLite store in a temporary directory: scope map and
 * token names, quotas per SKU, system maps, normalized actions, which passwords a token keeps
 * (in the same transaction as the token), new passwords, and the grant events of each change.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { InProcessChangeEvents, type ChangeEvent } from '../../src/domain/change-events.js';
import { RepositoryTokenService } from '../../src/domain/repository-token-service.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import type { MetadataStore, RegistryRecord } from '../../src/storage/metadata/store.js';
import { countingStore, type StoreCallCounts } from '../helpers/counting-store.js';
import { refusal } from '../helpers/arm-refusal.js';
import { tempDir } from '../helpers/tmp.js';

const SUB = '00000000-0000-0000-0000-000000000001';

describe('repository token service', () => {
  let raw: MetadataStore;
  let counts: StoreCallCounts;
  let service: RepositoryTokenService;
  let events: ChangeEvent[];
  let basic: RegistryRecord;
  let premium: RegistryRecord;
  let passwordsMade = 0;
  const idOf = (registry: RegistryRecord) => `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/${registry.name}`;

  before(async () => {
    raw = await openMetadataStore({ driver: 'sqlite', path: join(tempDir('token-service'), 'metadata.sqlite') });
    const wrapped = countingStore(raw);
    counts = wrapped.counts;
    const bus = new InProcessChangeEvents();
    bus.subscribe((event) => events.push(event));
    service = new RepositoryTokenService({
      scopeMaps: wrapped.store.scopeMaps,
      tokens: wrapped.store.tokens,
      events: bus,
      newPassword: async () => {
        passwordsMade++;
        return { value: `value-${passwordsMade}`, hash: `hash-${passwordsMade}` };
      },
    });
    const placement = { subscriptionId: SUB, resourceGroup: 'rg', location: 'local' };
    basic = await raw.registries.upsert({ name: 'basictok', loginServer: null, deletesEnabled: true, placement: { ...placement, sku: 'Basic' } });
    premium = await raw.registries.upsert({ name: 'premtok', loginServer: null, deletesEnabled: true, placement: { ...placement, sku: 'Premium' } });
  });
  after(async () => {
    await raw?.close();
  });
  beforeEach(() => {
    events = [];
    counts.reset();
  });

  it('creates a scope map with normalized, de-duplicated actions and a grant event', async () => {
    const result = await service.replaceScopeMap(premium, 'team-map', () => ({
      actions: ['repositories/App/content/READ', 'repositories/app/content/read', ' repositories/app/content/write '],
      description: 'team',
    }));
    assert.equal(result.created, true);
    assert.deepEqual(result.record.actions, ['repositories/app/content/read', 'repositories/app/content/write']);
    assert.deepEqual(events, [{ kind: 'grant', registry: 'premtok' }]);
    const again = await service.replaceScopeMap(premium, 'TEAM-MAP', () => ({ actions: ['repositories/app/content/read'] }));
    assert.equal(again.created, false);
    assert.equal(again.record.name, 'team-map', 'the stored spelling stays');
  });

  it('refuses system maps, bad names, no actions and bad actions', async () => {
    assert.equal(
      (await refusal(service.replaceScopeMap(premium, '_repositories_pull', () => ({ actions: ['repositories/a/content/read'] })))).code,
      'SystemScopeMapReadOnly',
    );
    assert.equal((await refusal(service.replaceScopeMap(premium, 'ab', () => ({ actions: ['repositories/a/content/read'] })))).status, 400);
    assert.equal((await refusal(service.replaceScopeMap(premium, 'no-actions', () => ({ actions: [] })))).code, 'InvalidRequestContent');
    assert.equal(
      (await refusal(service.replaceScopeMap(premium, 'bad-action', () => ({ actions: ['repositories/a/content/fly'] })))).target,
      'properties.actions',
    );
    assert.equal((await refusal(service.deleteScopeMap(premium, '_repositories_admin'))).code, 'SystemScopeMapReadOnly');
    assert.deepEqual(events, []);
  });

  it('reads the request only once the name passed its checks', async () => {
    let read = false;
    await refusal(
      service.replaceScopeMap(premium, 'x', () => {
        read = true;
        return { actions: [] };
      }),
    );
    assert.equal(read, false);
    assert.equal(await service.updateScopeMap(premium, 'missing-map', () => assert.fail('not read for a missing map')), undefined);
  });

  it('creates a token on a scope map, refuses reserved names and unknown maps', async () => {
    const id = idOf(premium);
    const { record, created } = await service.replaceToken(premium, id, 'ci-token', () => ({ scopeMapId: `${id}/scopeMaps/team-map` }));
    assert.equal(created, true);
    assert.equal(record.scopeMap, 'team-map');
    assert.equal(record.status, 'enabled');
    assert.deepEqual(events, [{ kind: 'grant', registry: 'premtok' }]);
    assert.equal((await refusal(service.replaceToken(premium, id, 'premtok', () => ({ scopeMapId: `${id}/scopeMaps/team-map` })))).status, 400);
    const unknown = await refusal(service.replaceToken(premium, id, 'other-token', () => ({ scopeMapId: `${id}/scopeMaps/nope-map` })));
    assert.equal(unknown.target, 'properties.scopeMapId');
    const foreign = await refusal(service.replaceToken(premium, id, 'other-token', () => ({ scopeMapId: `${idOf(basic)}/scopeMaps/team-map` })));
    assert.equal(foreign.target, 'properties.scopeMapId');
  });

  it('generates passwords together, and a token keeps only the passwords a change lists, in one save', async () => {
    const id = idOf(premium);
    const generated = await service.generatePasswords(premium, id, `${id}/tokens/ci-token`, () => ({}));
    assert.ok(!('missing' in generated));
    assert.deepEqual(
      generated.passwords.map((p) => p.name),
      ['password1', 'password2'],
    );
    assert.equal(counts.count('tokens.putPasswords'), 1);
    assert.deepEqual(
      (await raw.tokens.passwords('premtok', 'ci-token')).map((p) => p.name),
      ['password1', 'password2'],
    );
    counts.reset();
    const updated = await service.updateToken(premium, id, 'CI-TOKEN', () => ({ status: 'disabled', keepPasswords: ['password2'] }));
    assert.equal(updated?.status, 'disabled');
    assert.deepEqual(
      (await raw.tokens.passwords('premtok', 'ci-token')).map((p) => p.name),
      ['password2'],
    );
    assert.equal(counts.count('tokens.save'), 1);
    assert.equal(counts.count('tokens.removePassword'), 0, 'removed in the token save');
    // A password it does not have cannot be kept; nothing changes.
    const missing = await refusal(service.updateToken(premium, id, 'ci-token', () => ({ status: 'enabled', keepPasswords: ['password1'] })));
    assert.equal(missing.target, 'properties.credentials.passwords');
    assert.equal((await raw.tokens.get('premtok', 'ci-token'))?.status, 'disabled');
  });

  it('refuses expired passwords and unknown tokens', async () => {
    const id = idOf(premium);
    assert.equal(
      (await refusal(service.generatePasswords(premium, id, `${id}/tokens/ci-token`, () => ({ expiry: '2000-01-01T00:00:00.000Z' })))).target,
      'expiry',
    );
    assert.deepEqual(await service.generatePasswords(premium, id, `${id}/tokens/nobody-here`, () => assert.fail('not read')), { missing: 'nobody-here' });
    assert.equal((await refusal(service.generatePasswords(premium, id, '/elsewhere/tokens/x', () => ({})))).target, 'tokenId');
  });

  it('keeps a scope map a token uses, and deletes it once the token is gone', async () => {
    assert.equal((await refusal(service.deleteScopeMap(premium, 'team-map'))).code, 'ScopeMapInUse');
    assert.equal(await service.deleteToken(premium, 'ci-token'), true);
    assert.equal(await service.deleteToken(premium, 'ci-token'), false);
    assert.equal(await service.deleteScopeMap(premium, 'team-map'), true);
    assert.deepEqual(events, [
      { kind: 'grant', registry: 'premtok' },
      { kind: 'grant', registry: 'premtok' },
    ]);
  });

  it('holds a Basic registry to its quotas', async () => {
    // Basic: 100 scope maps and tokens, 500 actions per map in ACR; the limits come from SKU_LIMITS.
    const { SKU_LIMITS } = await import('../../src/domain/sku-limits.js');
    const tooMany = Array.from({ length: SKU_LIMITS.Basic.actionsPerScopeMap + 1 }, (_, i) => `repositories/r${i}/content/read`);
    assert.equal((await refusal(service.replaceScopeMap(basic, 'big-map', () => ({ actions: tooMany })))).target, 'properties.actions');
  });
});
