/**
 * The route tables and the one matcher every plane shares: every ARM route declares what it needs
 * (the dispatcher checks it before the handler, which then reads what it found and authorized), and
 * the Host's registry is resolved without waiting, to one object per registry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ARM_ROUTES, GRAPH_ROUTES } from '../../src/management/routes.js';
import { isDirectoryNeed } from '../../src/management/route-table.js';
import { REGISTRY_PATH } from '../../src/management/resources/lookup.js';
import { ROUTES as DISTRIBUTION_ROUTES } from '../../src/distribution/routes.js';
import { matchRoute } from '../../src/kernel/url-path.js';
import { RegistryDirectory } from '../../src/domain/host-routing.js';
import type { MetadataStore, RegistryRecord } from '../../src/storage/metadata/store.js';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/wharf/providers/Microsoft.ContainerRegistry/registries/team';

describe('ARM route table', () => {
  it('every ARM method declares what it needs, or says why its handler checks the caller', () => {
    const undeclared: string[] = [];
    for (const route of ARM_ROUTES) {
      for (const [method, operation] of Object.entries(route.methods)) {
        const needs = operation?.needs;
        if (!needs) undeclared.push(`${method} ${route.id}`);
        else if ((needs.scope === 'handler' || needs.scope === 'anyCaller') && needs.reason.trim().length < 10)
          undeclared.push(`${method} ${route.id} (no reason)`);
      }
    }
    assert.deepEqual(undeclared, []);
  });

  it('declared needs name their scope as the path does: the params they read are in the template', () => {
    for (const route of ARM_ROUTES) {
      for (const [method, operation] of Object.entries(route.methods)) {
        const needs = operation!.needs!;
        const at = `${method} ${route.id}`;
        if (needs.scope !== 'anyCaller' && needs.scope !== 'handler' && needs.scope !== 'visibleItems') {
          assert.ok(route.template.includes('{subscriptionId}'), `${at} needs a subscription its path does not name`);
        }
        if (needs.scope === 'resourceGroup' || needs.scope === 'resource' || needs.scope === 'registry') {
          assert.ok(route.template.includes('{resourceGroupName}'), `${at} needs a resource group its path does not name`);
        }
        if (needs.scope === 'visibleItems') assert.equal(method, 'GET', `${at}: only a list is filtered by visibility`);
      }
    }
  });

  it('only role assignments and subscription aliases check the caller in their handler', () => {
    const inHandler = ARM_ROUTES.flatMap((route) =>
      Object.entries(route.methods)
        .filter(([, operation]) => operation?.needs?.scope === 'handler')
        .map(([method]) => `${method} ${route.id}`),
    );
    assert.deepEqual(inHandler.sort(), [
      'DELETE roleAssignments.roleAssignment',
      'GET roleAssignments.list',
      'GET roleAssignments.roleAssignment',
      'GET subscriptionAliases.alias',
      'PUT roleAssignments.roleAssignment',
      'PUT subscriptionAliases.alias',
    ]);
  });

  it('every method of a route below a registry declares the right it needs over that registry', () => {
    const below = ARM_ROUTES.filter((route) => route.template.startsWith(`${REGISTRY_PATH}/`));
    assert.ok(below.length >= 20, `only ${below.length} routes below a registry`);
    for (const route of below) {
      for (const [method, operation] of Object.entries(route.methods)) {
        const needs = operation?.needs;
        assert.equal(needs?.scope, 'registry', `${method} ${route.id} declares no registry need`);
        assert.match(needs.action, /^Microsoft\.ContainerRegistry\/registries\//, `${method} ${route.id}`);
      }
    }
  });

  it('the registry itself: reads and updates need it to exist; creation and deletion need the right over its id in an existing group', () => {
    const registry = ARM_ROUTES.find((route) => route.template === REGISTRY_PATH)!;
    assert.deepEqual(registry.methods.GET?.needs, { scope: 'registry', permission: 'read', action: 'Microsoft.ContainerRegistry/registries/read' });
    assert.deepEqual(registry.methods.PATCH?.needs, { scope: 'registry', permission: 'write', action: 'Microsoft.ContainerRegistry/registries/write' });
    for (const [method, action] of [
      ['PUT', 'Microsoft.ContainerRegistry/registries/write'],
      ['DELETE', 'Microsoft.ContainerRegistry/registries/delete'],
    ] as const) {
      const needs = registry.methods[method]?.needs;
      assert.ok(needs?.scope === 'resource', `${method} registry`);
      assert.equal(needs.permission, 'write');
      assert.equal(needs.action, action);
      assert.equal(
        needs.idFromParams('00000000-0000-0000-0000-000000000001', { resourceGroupName: 'Wharf', registryName: 'Team' }),
        '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/Wharf/providers/Microsoft.ContainerRegistry/registries/team',
      );
    }
  });

  it('a provider registration names the namespace as Wharf spells it, and refuses an unknown one before the right', () => {
    const register = matchRoute(ARM_ROUTES, 'POST', '/subscriptions/00000000-0000-0000-0000-000000000001/providers/microsoft.network/register');
    const needs = register?.operation?.needs;
    assert.ok(needs?.scope === 'subscription' && typeof needs.action === 'function');
    assert.equal(needs.right, 'write');
    assert.equal(needs.action(register!.params), 'Microsoft.Network/register/action');
    assert.throws(() => (needs.action as (params: Record<string, string>) => string)({ providerNamespace: 'Nope.Nothing' }), /InvalidResourceNamespace|Nope/);
  });

  it('matches ARM paths case-insensitively, with params, and tells a wrong method from an unknown path', () => {
    const found = matchRoute(ARM_ROUTES, 'POST', `${SUB.toUpperCase().replace('/SUBSCRIPTIONS', '/subscriptions')}/listCredentials`);
    assert.equal(found?.route.id, 'registries.listCredentials');
    assert.equal(found?.params.registryName, 'TEAM');
    assert.deepEqual(found?.operation?.needs, {
      scope: 'registry',
      permission: 'write',
      action: 'Microsoft.ContainerRegistry/registries/listCredentials/action',
    });
    const wrongMethod = matchRoute(ARM_ROUTES, 'GET', `${SUB}/listCredentials`);
    assert.equal(wrongMethod?.route.id, 'registries.listCredentials');
    assert.equal(wrongMethod?.operation, undefined);
    assert.equal(matchRoute(ARM_ROUTES, 'GET', `${SUB}/nothingHere/x/y/z`), undefined);
  });

  it('Graph and the Distribution API use the same matcher', () => {
    assert.equal(matchRoute(GRAPH_ROUTES, 'GET', '/v1.0/users')?.route.id, 'graph.users');
    const blob = matchRoute(DISTRIBUTION_ROUTES, 'GET', '/v2/a/b/blobs/sha256:00');
    assert.equal(blob?.route.id, 'blob');
    assert.equal(blob?.operation?.needs, 'pull');
    assert.deepEqual(blob?.params, { name: 'a/b', digest: 'sha256:00' });
  });
});

describe('Graph route table', () => {
  const methodsOf = (routes: typeof GRAPH_ROUTES) =>
    routes.flatMap((route) =>
      Object.entries(route.methods).map(([method, operation]) => ({ at: `${method} ${route.id}`, route, method, needs: operation?.needs })),
    );

  it('every Graph method declares what it needs in the directory, and no ARM method does', () => {
    const graph = methodsOf(GRAPH_ROUTES);
    assert.ok(graph.length >= 25, `only ${graph.length} Graph methods`);
    assert.deepEqual(
      graph.filter(({ needs }) => !needs || !isDirectoryNeed(needs)).map(({ at }) => at),
      [],
    );
    const armDirectoryNeeds = ARM_ROUTES.flatMap((route) =>
      Object.entries(route.methods)
        .filter(([, operation]) => operation?.needs && isDirectoryNeed(operation.needs))
        .map(([method]) => `${method} ${route.id}`),
    );
    assert.deepEqual(armDirectoryNeeds, []);
  });

  it('a need on a directory object names a path that addresses one; reads need read, changes the right to change it', () => {
    for (const { at, route, method, needs } of methodsOf(GRAPH_ROUTES)) {
      assert.ok(needs && isDirectoryNeed(needs), at);
      if (needs.scope === 'directoryObject') {
        assert.ok(route.template.includes('{id}') || route.template.includes('{appId}'), `${at} needs an object its path does not name`);
        assert.equal(needs.change, method !== 'GET', `${at}: ${method === 'GET' ? 'a read changes nothing' : 'a change needs the right to change'}`);
      } else if (method === 'GET') {
        assert.deepEqual(needs, { scope: 'directory', right: 'read' }, `${at}: a list needs read on the directory`);
      }
    }
  });

  it('creating needs the right of its kind: applications and service principals, users, directory roles', () => {
    const need = (method: string, path: string) => matchRoute(GRAPH_ROUTES, method, path)?.operation?.needs;
    assert.deepEqual(need('POST', '/v1.0/applications'), { scope: 'directory', right: 'registerApplications' });
    assert.deepEqual(need('POST', '/v1.0/servicePrincipals'), { scope: 'directory', right: 'registerApplications' });
    assert.deepEqual(need('POST', '/v1.0/users'), { scope: 'directory', right: 'users' });
    assert.deepEqual(need('POST', '/v1.0/roleManagement/directory/roleAssignments'), { scope: 'directory', right: 'roles' });
    assert.deepEqual(need('DELETE', '/v1.0/roleManagement/directory/roleAssignments/a_b'), { scope: 'directory', right: 'roles' });
    assert.deepEqual(need('POST', '/v1.0/servicePrincipals/x/addPassword'), { scope: 'directoryObject', object: 'servicePrincipal', change: true });
    assert.deepEqual(need('PATCH', '/v1.0/users/x'), { scope: 'directoryObject', object: 'user', change: true });
    assert.deepEqual(need('DELETE', "/v1.0/applications(appId='x')"), { scope: 'directoryObject', object: 'application', change: true });
  });
});

describe('host resolution', () => {
  const registries = [
    { name: 'wharf', loginServer: null },
    { name: 'team', loginServer: 'team.example.com:8443' },
  ] as RegistryRecord[];
  const store = { registries: { list: async () => registries } } as unknown as MetadataStore;
  const settings = { domain: 'wharf.localhost', defaultRegistry: 'wharf', port: 5000, http: false } as {
    domain: string;
    defaultRegistry: string;
    port: number;
    http: boolean;
    publicPort?: number;
  };

  it('answers without waiting while the list is fresh, one object per registry', async () => {
    const directory = new RegistryDirectory(store, settings);
    assert.equal(directory.resolveNow('team.wharf.localhost'), null, 'nothing loaded yet: must be reloaded first');
    await directory.refresh();
    const first = directory.resolveNow('team.example.com:8443');
    assert.equal(first?.registry.name, 'team');
    assert.equal(first?.loginServer, 'team.example.com:8443');
    assert.equal(directory.resolveNow('TEAM.wharf.localhost:5000'), first, 'the same object for the same registry');
    assert.equal(directory.resolveNow('127.0.0.1:5000')?.registry.name, 'wharf');
    assert.equal(directory.resolveNow('team.westeurope.data.wharf.localhost'), undefined, 'a data endpoint host is no registry');
    assert.equal(directory.resolveNow('other.example.com'), undefined);
    assert.equal(await directory.resolve('team.example.com:8443'), first);
  });

  it('login servers follow the port the server listens on, once known', async () => {
    const own = { ...settings, port: 0 };
    const directory = new RegistryDirectory(store, own);
    await directory.refresh();
    const before = directory.resolveNow('localhost')!.loginServer;
    own.publicPort = 41234;
    assert.notEqual(directory.resolveNow('localhost')!.loginServer, before);
    assert.match(directory.resolveNow('localhost')!.loginServer, /:41234$/);
  });
});
