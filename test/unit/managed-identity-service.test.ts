/**
 * The managed identity service over a SQLite store in a temporary directory: the name and
 * location rules, an existing identity answered as it is, a name a directory user holds, and a
 * deletion that takes the role assignments along and publishes an identity event.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InProcessChangeEvents, type ChangeEvent } from '../../src/domain/change-events.js';
import { ManagedIdentityService } from '../../src/domain/managed-identity-service.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import type { MetadataStore } from '../../src/storage/metadata/store.js';
import { refusal } from '../helpers/arm-refusal.js';
import { tempDir } from '../helpers/tmp.js';

const TENANT = '11111111-1111-1111-1111-111111111111';
const GROUP = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg';
const idOf = (name: string) => `${GROUP}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;

describe('managed identity service', () => {
  let store: MetadataStore;
  let service: ManagedIdentityService;
  const events: ChangeEvent[] = [];
  const place = (name: string) => ({ resourceId: idOf(name), location: 'westeurope', tenantId: TENANT, name });

  before(async () => {
    store = await openMetadataStore({ driver: 'sqlite', path: join(tempDir('managed-identities'), 'metadata.sqlite') });
    const bus = new InProcessChangeEvents();
    bus.subscribe((event) => events.push(event));
    service = new ManagedIdentityService({ identities: store.identities, events: bus });
    await store.scaffold.ensureTenant({ id: TENANT, displayName: 'T' });
  });
  after(async () => {
    await store?.close();
  });

  it('creates an identity in its resource group location, then answers it as it is', async () => {
    const first = await service.put(place('build-agent'), async () => ({ location: 'West Europe' }));
    assert.equal(first.created, true);
    assert.equal(first.identity.type, 'ManagedIdentity');
    assert.equal(first.identity.displayName, 'build-agent');
    const again = await service.put(place('build-agent'), async () => ({ location: 'westeurope', tags: {} }));
    assert.equal(again.created, false);
    assert.equal(again.identity.objectId, first.identity.objectId);
    assert.equal((await service.find(idOf('build-agent')))?.objectId, first.identity.objectId);
  });

  it('refuses a bad name before reading the request, another location, and tags', async () => {
    await refusal(service.put(place('x'), () => assert.fail('not read for a bad name')));
    assert.equal((await refusal(service.put(place('elsewhere1'), async () => ({ location: 'eastus' })))).target, 'location');
    assert.equal((await refusal(service.put(place('tagged1'), async () => ({ location: 'westeurope', tags: { a: 'b' } })))).target, 'tags');
    assert.equal(await service.find(idOf('elsewhere1')), undefined);
  });

  it('refuses an ARM id a directory user holds as its name', async () => {
    await store.identities.create({
      objectId: 'eeeeeeee-0000-0000-0000-000000000001',
      tenantId: TENANT,
      type: 'User',
      appId: null,
      displayName: 'u',
      userName: idOf('taken1'),
      passwordHash: null,
      createdAt: new Date().toISOString(),
    });
    assert.equal((await refusal(service.put(place('taken1'), async () => ({ location: 'westeurope' })))).status, 409);
  });

  it('deletes with the role assignments, and says so', async () => {
    const identity = (await service.find(idOf('build-agent')))!;
    await store.roleAssignments.create({
      id: 'ra-mi',
      scope: GROUP,
      roleName: 'AcrPull',
      principalId: identity.objectId,
      principalType: 'ManagedIdentity',
      createdAt: new Date().toISOString(),
    });
    events.length = 0;
    assert.equal(await service.delete(idOf('build-agent')), true);
    assert.equal(await service.delete(idOf('build-agent')), false);
    assert.deepEqual(await store.roleAssignments.forPrincipal(identity.objectId), []);
    assert.deepEqual(events, [{ kind: 'identity', objectId: identity.objectId }]);
  });
});
