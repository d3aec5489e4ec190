/**
 * What the dispatcher checks of each need a Graph route declares (authorizeDirectoryRoute), over
 * a SQLite store with real directory roles, owners and subscription roles: Graph's order (the
 * right to read, the object the path names, the right to change it) and its codes, and the
 * object it leaves on the context. Paths are matched in the real Graph route table, so a route
 * that declares the wrong need fails here too.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { APPLICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR } from '../../src/domain/directory-roles.js';
import { ensureScaffold, type ArmDefaults } from '../../src/domain/scaffold.js';
import { IdentityDirectory } from '../../src/identity/directory.js';
import type { IdentityClaims } from '../../src/identity/identity-plane.js';
import { ArmError } from '../../src/kernel/arm-errors.js';
import { SecretHasher } from '../../src/kernel/secrets.js';
import { matchRoute } from '../../src/kernel/url-path.js';
import { AccessCheck } from '../../src/management/authorization.js';
import type { ManagementContext, ManagementServices } from '../../src/management/context.js';
import { authorizeDirectoryRoute } from '../../src/management/graph/graph-access.js';
import { isDirectoryNeed } from '../../src/management/route-table.js';
import { GRAPH_ROUTES } from '../../src/management/routes.js';
import type { IdentityRecord } from '../../src/storage/metadata/access-records.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import type { MetadataStore } from '../../src/storage/metadata/store.js';
import { tempDir } from '../helpers/tmp.js';

describe('declared Graph needs', () => {
  let store: MetadataStore;
  let arm: ArmDefaults;
  let services: ManagementServices;
  const callers: Record<string, IdentityClaims> = {};
  let app: IdentityRecord;
  let administrator: IdentityRecord;
  let user: IdentityRecord;

  const claimsOf = (identity: IdentityRecord) =>
    ({ tenantId: identity.tenantId, objectId: identity.objectId, type: identity.type, appId: identity.appId, name: identity.displayName }) as IdentityClaims;

  before(async () => {
    store = await openMetadataStore({ driver: 'sqlite', path: join(tempDir('graph-needs'), 'metadata.sqlite') });
    arm = await ensureScaffold(store);
    const directory = new IdentityDirectory(store, arm.tenantId, new SecretHasher());
    const principal = async (name: string, role?: string) => {
      const identity = await directory.createServicePrincipal({ displayName: name });
      if (role) await store.identities.addDirectoryRole(identity.objectId, role);
      callers[name] = claimsOf(identity);
      return identity;
    };
    await principal('global', GLOBAL_ADMINISTRATOR);
    await principal('apps', APPLICATION_ADMINISTRATOR);
    await principal('users', USER_ADMINISTRATOR);
    await principal('nobody');
    const bareOwner = await principal('bareOwner');
    for (const [name, roleName] of [
      ['reader', 'Reader'],
      ['owner', 'Reader'],
      ['subscriptionOwner', 'Owner'],
    ] as const) {
      const identity = await principal(name);
      await store.roleAssignments.create({
        id: `ra-${name}`,
        scope: `/subscriptions/${arm.subscriptionId}`,
        roleName,
        principalId: identity.objectId,
        principalType: 'ServicePrincipal',
        createdAt: new Date().toISOString(),
      });
    }
    app = await directory.createServicePrincipal({ displayName: 'owned-app' });
    await store.identities.addOwner(app.objectId, callers.owner!.objectId);
    await store.identities.addOwner(app.objectId, bareOwner.objectId);
    administrator = await principal('protected', USER_ADMINISTRATOR);
    user = await directory.createUser({ userName: 'dev@wharf.localhost', password: 'long enough password' });
    services = { store, arm, identity: { directory } } as unknown as ManagementServices;
  });
  after(async () => {
    await store?.close();
  });

  /** Matches `method path` in the Graph route table and checks its declared need: the context, or the status and Graph code. */
  async function check(method: string, path: string, caller: string): Promise<ManagementContext | string> {
    const match = matchRoute(GRAPH_ROUTES, method, path);
    const needs = match?.operation?.needs;
    assert.ok(match && needs && isDirectoryNeed(needs), `${method} ${path} matches a route that declares a directory need`);
    const claims = callers[caller]!;
    const context: ManagementContext = {
      services,
      request: { headers: {}, method, url: path } as unknown as FastifyRequest,
      params: match.params,
      query: new URLSearchParams(),
      caller: claims,
      access: new AccessCheck(store, claims),
      origin: 'http://127.0.0.1:8443',
      body: async () => ({}),
    };
    try {
      await authorizeDirectoryRoute(context, needs);
      return context;
    } catch (error) {
      if (!(error instanceof ArmError)) throw error;
      return `${error.status} ${error.code}`;
    }
  }

  it('reading the directory: a directory role, or read on a subscription of the tenant', async () => {
    assert.equal(await check('GET', '/v1.0/applications', 'nobody'), '403 Authorization_RequestDenied');
    assert.equal(await check('GET', '/v1.0/users', 'bareOwner'), '403 Authorization_RequestDenied', 'owning an application is no read right');
    for (const caller of ['reader', 'apps', 'users', 'global']) assert.equal(typeof (await check('GET', '/v1.0/servicePrincipals', caller)), 'object', caller);
  });

  it('registering applications: an application administrator or a subscription Owner; users and roles: their administrators', async () => {
    assert.equal(await check('POST', '/v1.0/applications', 'reader'), '403 Authorization_RequestDenied');
    assert.equal(await check('POST', '/v1.0/servicePrincipals', 'users'), '403 Authorization_RequestDenied');
    for (const caller of ['subscriptionOwner', 'apps', 'global']) assert.equal(typeof (await check('POST', '/v1.0/applications', caller)), 'object', caller);
    assert.equal(await check('POST', '/v1.0/users', 'apps'), '403 Authorization_RequestDenied');
    assert.equal(typeof (await check('POST', '/v1.0/users', 'users')), 'object');
    assert.equal(await check('POST', '/v1.0/roleManagement/directory/roleAssignments', 'apps'), '403 Authorization_RequestDenied');
    assert.equal(await check('DELETE', '/v1.0/roleManagement/directory/roleAssignments/a_b', 'users'), '403 Authorization_RequestDenied');
    assert.equal(typeof (await check('POST', '/v1.0/roleManagement/directory/roleAssignments', 'global')), 'object');
  });

  it('an object the path names: read first, then whether it exists, then the right to change it', async () => {
    const missing = '00000000-0000-0000-0000-00000000abcd';
    assert.equal(await check('DELETE', `/v1.0/applications/${missing}`, 'nobody'), '403 Authorization_RequestDenied', 'no read: existence not revealed');
    assert.equal(await check('DELETE', `/v1.0/applications/${missing}`, 'reader'), '404 Request_ResourceNotFound');
    assert.equal(await check('POST', `/v1.0/applications/${app.objectId}/addPassword`, 'reader'), '403 Authorization_RequestDenied');
    assert.equal(await check('POST', `/v1.0/applications/${user.objectId}/addPassword`, 'global'), '404 Request_ResourceNotFound', 'a user is no application');
    const read = (await check('GET', `/v1.0/applications(appId='${app.appId}')`, 'reader')) as ManagementContext;
    assert.equal(read.directoryObject?.objectId, app.objectId);
    for (const caller of ['apps', 'global']) {
      assert.equal(typeof (await check('POST', `/v1.0/servicePrincipals/${app.objectId}/addPassword`, caller)), 'object', caller);
    }
    assert.equal(
      await check('POST', `/v1.0/servicePrincipals/${app.objectId}/addPassword`, 'subscriptionOwner'),
      '403 Authorization_RequestDenied',
      "a subscription role never reaches another principal's credentials",
    );
  });

  it('an application changes by its owner; an identity holding a directory role only by a Global Administrator', async () => {
    const changed = (await check('DELETE', `/v1.0/applications/${app.objectId}`, 'owner')) as ManagementContext;
    assert.equal(changed.directoryObject?.objectId, app.objectId);
    assert.equal(
      await check('DELETE', `/v1.0/applications/${app.objectId}`, 'bareOwner'),
      '403 Authorization_RequestDenied',
      'an owner needs read on the directory too',
    );
    assert.equal(await check('POST', `/v1.0/servicePrincipals/${administrator.objectId}/addPassword`, 'apps'), '403 Authorization_RequestDenied');
    assert.equal(typeof (await check('POST', `/v1.0/servicePrincipals/${administrator.objectId}/addPassword`, 'global')), 'object');
  });

  it('a user by object id or sign-in name, changed by a user administrator only', async () => {
    assert.equal(((await check('GET', '/v1.0/users/DEV@wharf.localhost', 'reader')) as ManagementContext).directoryObject?.objectId, user.objectId);
    assert.equal(await check('PATCH', `/v1.0/users/${user.objectId}`, 'apps'), '403 Authorization_RequestDenied');
    assert.equal(((await check('PATCH', `/v1.0/users/${user.objectId}`, 'users')) as ManagementContext).directoryObject?.objectId, user.objectId);
    assert.equal(await check('GET', `/v1.0/users/${app.objectId}`, 'global'), '404 Request_ResourceNotFound', 'an application is no user');
  });
});
