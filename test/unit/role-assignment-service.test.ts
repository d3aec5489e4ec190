/**
 * The role assignment service over a SQLite store in a temporary directory: the id, the role,
 * the principal and its tenant and type, no conditions, no changed or duplicate assignment, and
 * the grant event each change publishes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { InProcessChangeEvents, type ChangeEvent } from '../../src/domain/change-events.js';
import { RoleAssignmentService, type AssignmentRequest } from '../../src/domain/role-assignment-service.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import type { MetadataStore } from '../../src/storage/metadata/store.js';
import { refusal } from '../helpers/arm-refusal.js';
import { tempDir } from '../helpers/tmp.js';

const TENANT = '11111111-1111-1111-1111-111111111111';
const SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg';
const ACR_PULL = '/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d';
const A1 = 'aaaaaaaa-0000-0000-0000-000000000001';
const A2 = 'aaaaaaaa-0000-0000-0000-000000000002';

describe('role assignment service', () => {
  let store: MetadataStore;
  let service: RoleAssignmentService;
  let events: ChangeEvent[];
  let principalId: string;
  const place = { scope: SCOPE, tenantId: TENANT };
  const request =
    (extra: Partial<AssignmentRequest> = {}) =>
    async (): Promise<AssignmentRequest> => ({ roleDefinitionId: ACR_PULL, principalId, ...extra });

  before(async () => {
    store = await openMetadataStore({ driver: 'sqlite', path: join(tempDir('role-assignments'), 'metadata.sqlite') });
    const bus = new InProcessChangeEvents();
    bus.subscribe((event) => events.push(event));
    service = new RoleAssignmentService({ roleAssignments: store.roleAssignments, identities: store.identities, events: bus });
    await store.scaffold.ensureTenant({ id: TENANT, displayName: 'T' });
    principalId = 'dddddddd-0000-0000-0000-000000000001';
    await store.identities.create({
      objectId: principalId,
      tenantId: TENANT,
      type: 'ServicePrincipal',
      appId: 'bbbbbbbb-0000-0000-0000-000000000001',
      displayName: 'ci',
      userName: null,
      passwordHash: null,
      createdAt: new Date().toISOString(),
    });
  });
  after(async () => {
    await store?.close();
  });
  beforeEach(() => {
    events = [];
  });

  it('creates an assignment once; the same again is answered as it is', async () => {
    const first = await service.create(place, A1.toUpperCase(), request({ principalType: 'ServicePrincipal' }));
    assert.equal(first.created, true);
    assert.equal(first.record.id, A1);
    assert.equal(first.record.roleName, 'AcrPull');
    assert.deepEqual(events, [{ kind: 'grant' }]);
    const again = await service.create(place, A1, request());
    assert.equal(again.created, false);
    assert.equal(events.length, 1);
  });

  it('refuses a changed assignment, a duplicate under another id, and a bad id', async () => {
    const changed = await refusal(service.create({ ...place, scope: `${SCOPE}2` }, A1, request()));
    assert.equal(changed.code, 'RoleAssignmentUpdateNotPermitted');
    assert.equal((await refusal(service.create(place, A2, request()))).code, 'RoleAssignmentExists');
    let read = false;
    const badId = await refusal(service.create(place, 'not-a-guid', async () => ((read = true), { roleDefinitionId: ACR_PULL, principalId })));
    assert.equal(badId.code, 'InvalidRoleAssignmentId');
    assert.equal(read, false, 'the body is not read for a bad id');
  });

  it('refuses unknown roles and principals, principals of another tenant or type, and conditions', async () => {
    assert.equal((await refusal(service.create(place, A2, request({ roleDefinitionId: '/x/roleDefinitions/nope' })))).code, 'RoleDefinitionDoesNotExist');
    assert.equal((await refusal(service.create(place, A2, request({ principalId: 'cccccccc-0000-0000-0000-000000000009' })))).code, 'PrincipalNotFound');
    assert.equal((await refusal(service.create({ ...place, tenantId: 'other' }, A2, request()))).code, 'PrincipalNotFound');
    assert.equal((await refusal(service.create(place, A2, request({ principalType: 'User' })))).code, 'UnmatchedPrincipalType');
    assert.equal((await refusal(service.create(place, A2, request({ condition: "@Resource[x] == 'y'" })))).target, 'properties.condition');
    assert.deepEqual(events, []);
  });

  it('deletes only at its own scope, and says so', async () => {
    assert.equal(await service.delete(`${SCOPE}/other`, A1), undefined);
    assert.equal((await service.delete(SCOPE, A1))?.id, A1);
    assert.equal(await service.find(SCOPE, A1), undefined);
    assert.deepEqual(events, [{ kind: 'grant' }]);
  });
});
