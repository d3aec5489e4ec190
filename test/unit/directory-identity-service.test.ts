/**
 * The directory identity service over a SQLite store in a temporary directory, with the identity
 * plane's directory making its records: each rule and refusal (by its message key), the secrets
 * kept only as scrypt hashes, one `identity` event per change and none for a refusal, and a
 * change whose second write fails leaving nothing behind (one transaction).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { InProcessChangeEvents, type ChangeEvent } from '../../src/domain/change-events.js';
import {
  DirectoryIdentityService,
  DirectoryRefusal,
  type DirectoryCaller,
  type DirectoryIdentityServiceDeps,
  type DirectoryRefusalReason,
} from '../../src/domain/directory-identity-service.js';
import { APPLICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR } from '../../src/domain/directory-roles.js';
import { ensureScaffold } from '../../src/domain/scaffold.js';
import { DirectoryError, IdentityDirectory } from '../../src/identity/directory.js';
import { SecretHasher } from '../../src/kernel/secrets.js';
import type { IdentityIndex, IdentityRecord } from '../../src/storage/metadata/access-records.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import type { MetadataStore } from '../../src/storage/metadata/store.js';
import { tempDir } from '../helpers/tmp.js';

const OTHER_TENANT = '22222222-2222-2222-2222-222222222222';

/** The reason the service refused with (fails the test if it did not refuse, or threw something else). */
async function refused(promise: Promise<unknown>): Promise<DirectoryRefusalReason> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DirectoryRefusal, `a directory refusal, got ${String(error)}`);
    return error.reason;
  }
  assert.fail('expected a refusal');
}

/** The identity plane's refusal of a record (a bad name, a short password…): its kind and message key. */
async function recordRefused(promise: Promise<unknown>): Promise<{ kind: string; key: string | undefined }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DirectoryError, `a directory error, got ${String(error)}`);
    return { kind: error.kind, key: error.text.message?.key };
  }
  assert.fail('expected a refusal');
}

describe('directory identity service', () => {
  let store: MetadataStore;
  let records: IdentityDirectory;
  let service: DirectoryIdentityService;
  let bus: InProcessChangeEvents;
  let caller: DirectoryCaller;
  let tenantId: string;
  const events: ChangeEvent[] = [];
  const secrets = new SecretHasher();

  const identity = (kind: 'ServicePrincipal' | 'ManagedIdentity' | 'User', name: string, tenant = tenantId): IdentityRecord => ({
    objectId: crypto.randomUUID(),
    tenantId: tenant,
    type: kind,
    appId: kind === 'User' ? null : crypto.randomUUID(),
    displayName: name,
    userName: kind === 'User' ? `${name}@wharf.localhost` : null,
    passwordHash: null,
    createdAt: new Date().toISOString(),
  });
  const stored = async (record: IdentityRecord) => {
    await store.identities.create(record);
    return record;
  };
  const byName = async (displayName: string) => (await store.identities.list()).filter((i) => i.displayName === displayName);

  before(async () => {
    store = await openMetadataStore({ driver: 'sqlite', path: join(tempDir('directory-identities'), 'metadata.sqlite') });
    tenantId = (await ensureScaffold(store)).tenantId;
    await store.scaffold.ensureTenant({ id: OTHER_TENANT, displayName: 'Other' });
    records = new IdentityDirectory(store, tenantId, secrets);
    bus = new InProcessChangeEvents();
    bus.subscribe((event) => events.push(event));
    service = new DirectoryIdentityService({ identities: store.identities, records, events: bus });
    const admin = await stored(identity('ServicePrincipal', 'admin'));
    caller = { objectId: admin.objectId, tenantId };
  });
  after(async () => {
    await store?.close();
  });
  beforeEach(() => {
    events.length = 0;
  });

  it('registers an application owned by whoever registers it, with one event', async () => {
    const app = await service.registerApplication(caller, '  build  ');
    assert.equal(app.type, 'ServicePrincipal');
    assert.equal(app.displayName, 'build', 'the name is trimmed');
    assert.equal(app.tenantId, tenantId);
    assert.equal((await store.identities.get(app.objectId))?.appId, app.appId);
    assert.deepEqual(await store.identities.owners(app.objectId), [caller.objectId]);
    assert.deepEqual(events, [{ kind: 'identity', objectId: app.objectId }]);
  });

  it('refuses a bad application name before writing anything', async () => {
    assert.deepEqual(await recordRefused(service.registerApplication(caller, '   ')), { kind: 'BadRequest', key: 'dirNameEmpty' });
    assert.deepEqual(await recordRefused(service.registerApplication(caller, 'x'.repeat(257))), { kind: 'BadRequest', key: 'dirNameTooLong' });
    assert.deepEqual(events, []);
  });

  it('writes an application and its owner in one transaction: a failing owner write leaves no application', async () => {
    const failingOwner = (identities: IdentityIndex): IdentityIndex =>
      new Proxy(identities, {
        get(target, property, receiver) {
          if (property === 'addOwner') return () => Promise.reject(new Error('the owner write failed'));
          const value: unknown = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
    const deps: DirectoryIdentityServiceDeps = {
      identities: {
        getByAppId: (appId) => store.identities.getByAppId(appId),
        transaction: (work) => store.identities.transaction((identities) => work(failingOwner(identities))),
      },
      records,
      events: bus,
    };
    await assert.rejects(new DirectoryIdentityService(deps).registerApplication(caller, 'half-written'), /the owner write failed/);
    assert.deepEqual(await byName('half-written'), [], 'the application is rolled back with its owner');
    assert.deepEqual(events, [], 'nothing changed, nothing published');
  });

  it('finds the service principal of an application of the caller tenant, and refuses any other appId', async () => {
    const app = await service.registerApplication(caller, 'for-sp');
    events.length = 0;
    assert.equal((await service.servicePrincipalFor(caller, app.appId!.toUpperCase())).objectId, app.objectId);
    const managed = await stored(identity('ManagedIdentity', 'mi-for-sp'));
    const foreign = await stored(identity('ServicePrincipal', 'foreign-for-sp', OTHER_TENANT));
    for (const appId of ['not-a-guid', crypto.randomUUID(), managed.appId!, foreign.appId!]) {
      assert.deepEqual(await refused(service.servicePrincipalFor(caller, appId)), { key: 'graphAppIdInvalid', appId });
    }
    assert.deepEqual(events, [], 'finding changes nothing');
  });

  it('adds a client secret kept only as its scrypt hash, and removes it', async () => {
    const app = await service.registerApplication(caller, 'with-secret');
    events.length = 0;
    const endAt = new Date(Date.now() + 86_400_000);
    const { secret, record } = await service.addPassword(app, { displayName: 'ci', endAt });
    assert.deepEqual(events, [{ kind: 'identity', objectId: app.objectId }]);
    const [kept] = await store.identities.secrets(app.objectId);
    assert.equal(kept?.keyId, record.keyId);
    assert.equal(kept.displayName, 'ci');
    assert.equal(kept.endAt, endAt.toISOString());
    assert.match(kept.hash, /^scrypt\$/);
    assert.ok(!kept.hash.includes(secret), 'the secret itself is not stored');
    assert.equal(await secrets.verify(secret, kept.hash), true);

    events.length = 0;
    await service.removePassword(app, record.keyId.toUpperCase());
    assert.deepEqual(await store.identities.secrets(app.objectId), []);
    assert.deepEqual(events, [{ kind: 'identity', objectId: app.objectId }]);
    events.length = 0;
    assert.deepEqual(await refused(service.removePassword(app, record.keyId)), {
      key: 'graphNoPasswordCredential',
      keyId: record.keyId,
      name: 'with-secret',
    });
    assert.deepEqual(events, []);
  });

  it('refuses a secret for a managed identity and a secret ending before it starts', async () => {
    const managed = await stored(identity('ManagedIdentity', 'mi-secret'));
    assert.deepEqual(await recordRefused(service.addPassword(managed, {})), { kind: 'BadRequest', key: 'dirOnlyServicePrincipals' });
    const app = await service.registerApplication(caller, 'backwards');
    events.length = 0;
    const startAt = new Date();
    assert.deepEqual(await recordRefused(service.addPassword(app, { startAt, endAt: new Date(startAt.getTime() - 1000) })), {
      kind: 'BadRequest',
      key: 'dirSecretOrder',
    });
    assert.deepEqual(await store.identities.secrets(app.objectId), []);
    assert.deepEqual(events, []);
  });

  it('deletes an application with its secrets and owners, but not a managed identity', async () => {
    const app = await service.registerApplication(caller, 'doomed');
    await service.addPassword(app, {});
    events.length = 0;
    await service.remove(app);
    assert.equal(await store.identities.get(app.objectId), undefined);
    assert.deepEqual(await store.identities.secrets(app.objectId), []);
    assert.deepEqual(await store.identities.owners(app.objectId), []);
    assert.deepEqual(events, [{ kind: 'identity', objectId: app.objectId }]);

    events.length = 0;
    const managed = await stored(identity('ManagedIdentity', 'mi-kept'));
    assert.deepEqual(await refused(service.remove(managed)), { key: 'graphManagedIdentity', name: 'mi-kept' });
    assert.equal((await store.identities.get(managed.objectId))?.objectId, managed.objectId);
    assert.deepEqual(events, []);
  });

  it('creates users with a hashed password; refuses disabled accounts, no password, a short one and a taken name', async () => {
    assert.deepEqual(await refused(service.createUser(caller, { userName: 'off@wharf.localhost', accountEnabled: false, password: 'long enough' })), {
      key: 'graphDisabledAccounts',
    });
    assert.deepEqual(await refused(service.createUser(caller, { userName: 'nopass@wharf.localhost' })), { key: 'graphPasswordRequired' });
    assert.deepEqual(await recordRefused(service.createUser(caller, { userName: 'short@wharf.localhost', password: 'short' })), {
      kind: 'BadRequest',
      key: 'dirPasswordShort',
    });
    assert.deepEqual(events, []);

    const user = await service.createUser(caller, { userName: 'Dev@Wharf.localhost', displayName: 'Dev', accountEnabled: true, password: 'long enough' });
    assert.equal(user.userName, 'dev@wharf.localhost');
    assert.equal(user.displayName, 'Dev');
    assert.equal(await secrets.verify('long enough', (await store.identities.get(user.objectId))!.passwordHash!), true);
    assert.deepEqual(events, [{ kind: 'identity', objectId: user.objectId }]);
    events.length = 0;
    assert.deepEqual(await recordRefused(service.createUser(caller, { userName: 'DEV@wharf.localhost', password: 'long enough' })), {
      kind: 'Conflict',
      key: 'dirUserExists',
    });
    assert.deepEqual(events, []);
  });

  it("resets a user's password, and needs one", async () => {
    const user = await service.createUser(caller, { userName: 'reset@wharf.localhost', password: 'first password' });
    events.length = 0;
    assert.deepEqual(await refused(service.resetPassword(user, undefined)), { key: 'userUpdateNeedsPassword' });
    assert.deepEqual(await recordRefused(service.resetPassword(user, 'short')), { kind: 'BadRequest', key: 'dirPasswordShort' });
    assert.deepEqual(events, []);
    await service.resetPassword(user, 'second password');
    const hash = (await store.identities.get(user.objectId))!.passwordHash!;
    assert.equal(await secrets.verify('second password', hash), true);
    assert.equal(await secrets.verify('first password', hash), false);
    assert.deepEqual(events, [{ kind: 'identity', objectId: user.objectId }]);
  });

  it('adds and removes owners of the caller tenant, once each', async () => {
    const app = await service.registerApplication(caller, 'owned');
    const colleague = await stored(identity('ServicePrincipal', 'colleague'));
    const stranger = await stored(identity('ServicePrincipal', 'stranger', OTHER_TENANT));
    events.length = 0;
    const missing = crypto.randomUUID();
    assert.deepEqual(await refused(service.addOwner(caller, app, missing)), { key: 'notFound', id: missing });
    assert.deepEqual(await refused(service.addOwner(caller, app, stranger.objectId)), { key: 'notFound', id: stranger.objectId });
    assert.deepEqual(await refused(service.addOwner(caller, app, caller.objectId)), { key: 'alreadyOwner', owner: caller.objectId, target: 'owned' });
    assert.deepEqual(events, []);

    await service.addOwner(caller, app, colleague.objectId);
    assert.deepEqual((await store.identities.owners(app.objectId)).sort(), [caller.objectId, colleague.objectId].sort());
    assert.deepEqual(events, [{ kind: 'identity', objectId: app.objectId }]);
    events.length = 0;
    await service.removeOwner(app, colleague.objectId);
    assert.deepEqual(await store.identities.owners(app.objectId), [caller.objectId]);
    assert.deepEqual(events, [{ kind: 'identity', objectId: app.objectId }]);
    events.length = 0;
    assert.deepEqual(await refused(service.removeOwner(app, colleague.objectId)), { key: 'notFound', id: colleague.objectId });
    assert.deepEqual(events, []);
  });

  it('assigns directory roles by id or name, at the root only, to principals of the caller tenant', async () => {
    const member = await stored(identity('ServicePrincipal', 'role-member'));
    const stranger = await stored(identity('ServicePrincipal', 'role-stranger', OTHER_TENANT));
    const unknown = await refused(service.assignRole(caller, { roleDefinitionId: 'Chief Wizard', principalId: member.objectId }));
    assert.equal(unknown.key, 'unknownDirectoryRole');
    assert.ok(unknown.key === 'unknownDirectoryRole' && unknown.roles.includes('Global Administrator'), 'the refusal lists the roles');
    assert.deepEqual(
      await refused(service.assignRole(caller, { roleDefinitionId: GLOBAL_ADMINISTRATOR, principalId: member.objectId, directoryScopeId: '/apps' })),
      {
        key: 'directoryScopeRoot',
        scope: '/apps',
      },
    );
    assert.deepEqual(await refused(service.assignRole(caller, { roleDefinitionId: GLOBAL_ADMINISTRATOR, principalId: stranger.objectId })), {
      key: 'notFound',
      id: stranger.objectId,
    });
    assert.deepEqual(events, []);

    const assigned = await service.assignRole(caller, { roleDefinitionId: 'application administrator', principalId: member.objectId.toUpperCase() });
    assert.deepEqual(assigned, { roleId: APPLICATION_ADMINISTRATOR, principalId: member.objectId });
    assert.deepEqual(await store.identities.directoryRoles(member.objectId), [APPLICATION_ADMINISTRATOR]);
    assert.deepEqual(events, [{ kind: 'identity', objectId: member.objectId }]);
    events.length = 0;
    await service.removeRole(caller, `${APPLICATION_ADMINISTRATOR}_${member.objectId}`);
    assert.deepEqual(await store.identities.directoryRoles(member.objectId), []);
    assert.deepEqual(events, [{ kind: 'identity', objectId: member.objectId }]);
    events.length = 0;
    const again = `${APPLICATION_ADMINISTRATOR}_${member.objectId}`;
    assert.deepEqual(await refused(service.removeRole(caller, again)), { key: 'notFound', id: again });
    assert.deepEqual(await refused(service.removeRole(caller, 'no-underscore')), { key: 'notFound', id: 'no-underscore' });
    assert.deepEqual(events, []);
  });

  it('keeps the last Global Administrator from removing itself', async () => {
    await service.assignRole(caller, { roleDefinitionId: GLOBAL_ADMINISTRATOR, principalId: caller.objectId });
    events.length = 0;
    const own = `${GLOBAL_ADMINISTRATOR}_${caller.objectId}`;
    assert.deepEqual(await refused(service.removeRole(caller, own)), { key: 'lastGlobalAdministrator' });
    assert.deepEqual(await store.identities.directoryRoles(caller.objectId), [GLOBAL_ADMINISTRATOR]);
    assert.deepEqual(events, []);

    const second = await stored(identity('ServicePrincipal', 'second-admin'));
    await service.assignRole(caller, { roleDefinitionId: GLOBAL_ADMINISTRATOR, principalId: second.objectId });
    events.length = 0;
    await service.removeRole(caller, own);
    assert.deepEqual(await store.identities.directoryRoles(caller.objectId), []);
    assert.deepEqual(events, [{ kind: 'identity', objectId: caller.objectId }]);
  });
});
