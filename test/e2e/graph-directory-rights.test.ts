/**
 * Directory changes need a directory right, never a subscription role: the Owner of another
 * subscription may read the directory and manage the applications it registered itself, but
 * cannot add a password to, remove a password from or delete anybody else's service principal
 * (the takeover a hostile tester made: Owner of B → addPassword on A's Owner → A's admin
 * passwords), nor create users or hand out directory roles. An Application Administrator may
 * manage applications, except those holding a directory role.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { API_VERSION, identityToken, WharfAdmin } from '../helpers/wharf-admin.js';
import { runWharfCli } from '../helpers/wharf-cli.js';
import { tempDir } from '../helpers/tmp.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

const OWNER_ROLE = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const APPLICATION_ADMINISTRATOR = '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3';

let w: WharfServer;
let admin: WharfAdmin;
let bob: { appId: string; objectId: string; secret: string };
let carol: { appId: string; objectId: string; secret: string };
let bootstrapObjectId: string;
let bobToken: string;

/** A Graph or ARM call as bob. */
function asBob(method: string, path: string, body?: unknown) {
  const sep = path.includes('?') ? '&' : '?';
  return w.request(path.startsWith('/v1.0/') ? path : `${path}${sep}api-version=${API_VERSION}`, {
    method,
    headers: { authorization: `Bearer ${bobToken}`, 'content-type': 'application/json', 'accept-language': 'fr' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

before(async () => {
  w = await startWharf({ secure: true });
  admin = new WharfAdmin(w);
  // Subscription B, of which bob is made Owner; A stays the bootstrap owner's.
  const alias = await admin.ok('PUT', '/providers/Microsoft.Subscription/aliases/teamb', { properties: { displayName: 'Team B', workload: 'Production' } });
  const subscriptionB = alias.properties.subscriptionId as string;
  bob = await admin.createServicePrincipal('bob');
  carol = await admin.createServicePrincipal('carol');
  await admin.assignRole(bob.objectId, OWNER_ROLE, `/subscriptions/${subscriptionB}`);
  const owners = await admin.ok<{ value: { id: string; appId: string }[] }>('GET', `/v1.0/servicePrincipals?$filter=appId eq '${admin.owner.clientId}'`);
  bootstrapObjectId = owners.value[0]!.id;
  bobToken = await identityToken(w, { tenantId: admin.owner.tenantId, clientId: bob.appId, clientSecret: bob.secret });
});
after(async () => {
  await w?.stop();
});

describe("an Owner of another subscription cannot touch other principals' credentials", () => {
  test('reading the directory is allowed', async () => {
    const list = await asBob('GET', '/v1.0/servicePrincipals');
    assert.equal(list.status, 200, list.text());
  });

  test("addPassword, removePassword and delete on the first owner and on another principal are refused with Graph's 403", async () => {
    for (const target of [bootstrapObjectId, carol.objectId]) {
      const add = await asBob('POST', `/v1.0/applications/${target}/addPassword`, { passwordCredential: { displayName: 'takeover' } });
      assert.equal(add.status, 403, add.text());
      assert.equal(add.json().error.code, 'Authorization_RequestDenied');
      const viaSp = await asBob('POST', `/v1.0/servicePrincipals/${target}/addPassword`, { passwordCredential: {} });
      assert.equal(viaSp.status, 403);
      const remove = await asBob('POST', `/v1.0/applications/${target}/removePassword`, { keyId: '00000000-0000-0000-0000-000000000000' });
      assert.equal(remove.status, 403);
      assert.equal((await asBob('DELETE', `/v1.0/applications/${target}`)).status, 403);
      assert.equal((await asBob('DELETE', `/v1.0/servicePrincipals/${target}`)).status, 403);
    }
    // The refusal says why, in the caller's language.
    const add = await asBob('POST', `/v1.0/applications/${carol.objectId}/addPassword`, { passwordCredential: {} });
    assert.match(add.json().error.message, /Seuls un propriétaire de l’application/);
    // The takeover's goal stays out of reach: A's admin passwords.
    assert.equal((await asBob('POST', `${admin.registryId}/listCredentials`)).status, 403);
    // Carol's secret still works: nothing was changed.
    assert.ok(await identityToken(w, { tenantId: admin.owner.tenantId, clientId: carol.appId, clientSecret: carol.secret }));
  });

  test('creating users and assigning directory roles are refused', async () => {
    const user = await asBob('POST', '/v1.0/users', { userPrincipalName: 'mallory@wharf.localhost', passwordProfile: { password: 'long enough password' } });
    assert.equal(user.status, 403);
    const role = await asBob('POST', '/v1.0/roleManagement/directory/roleAssignments', {
      principalId: bob.objectId,
      roleDefinitionId: APPLICATION_ADMINISTRATOR,
      directoryScopeId: '/',
    });
    assert.equal(role.status, 403);
  });

  test('an application bob registers is his own: he may add passwords to it and delete it', async () => {
    const created = await asBob('POST', '/v1.0/applications', { displayName: 'bob-app' });
    assert.equal(created.status, 201, created.text());
    const app = created.json<{ id: string; appId: string }>();
    const owners = await asBob('GET', `/v1.0/applications/${app.id}/owners`);
    assert.deepEqual(
      owners.json().value.map((o: { id: string }) => o.id),
      [bob.objectId],
    );
    const secret = await asBob('POST', `/v1.0/applications/${app.id}/addPassword`, { passwordCredential: { displayName: 'mine' } });
    assert.equal(secret.status, 200, secret.text());
    assert.equal((await asBob('DELETE', `/v1.0/applications/${app.id}`)).status, 204);
  });
});

describe('directory roles', () => {
  test('the bootstrap owner is Global Administrator; an Application Administrator manages applications but not administrators', async () => {
    const assignments = await admin.ok<{ value: { roleDefinitionId: string; principalId: string }[] }>('GET', '/v1.0/roleManagement/directory/roleAssignments');
    assert.ok(assignments.value.some((a) => a.principalId === bootstrapObjectId && a.roleDefinitionId === '62e90394-69f5-4237-9190-012177145e10'));
    const granted = await admin.call('POST', '/v1.0/roleManagement/directory/roleAssignments', {
      principalId: bob.objectId,
      roleDefinitionId: APPLICATION_ADMINISTRATOR,
      directoryScopeId: '/',
    });
    assert.equal(granted.status, 201, granted.text());
    const onCarol = await asBob('POST', `/v1.0/applications/${carol.objectId}/addPassword`, { passwordCredential: { displayName: 'rotated by app admin' } });
    assert.equal(onCarol.status, 200, onCarol.text());
    const onAdministrator = await asBob('POST', `/v1.0/applications/${bootstrapObjectId}/addPassword`, { passwordCredential: {} });
    assert.equal(onAdministrator.status, 403);
    assert.match(onAdministrator.json().error.message, /rôle d’annuaire : seul un Administrateur général/);
    // Removing the role takes the right away again.
    const removed = await admin.call('DELETE', `/v1.0/roleManagement/directory/roleAssignments/${APPLICATION_ADMINISTRATOR}_${bob.objectId}`);
    assert.equal(removed.status, 204, removed.text());
    assert.equal((await asBob('POST', `/v1.0/applications/${carol.objectId}/addPassword`, { passwordCredential: {} })).status, 403);
  });

  test('the last Global Administrator cannot remove the role from itself', async () => {
    const res = await admin.call('DELETE', `/v1.0/roleManagement/directory/roleAssignments/62e90394-69f5-4237-9190-012177145e10_${bootstrapObjectId}`);
    assert.equal(res.status, 400);
    assert.match(res.json().error.message, /last Global Administrator/);
  });
});

describe('wharf directory-role', () => {
  test('assign, list and remove a directory role from the command line', async () => {
    const home = tempDir('directory-role-cli');
    const run = async (args: string[]) => {
      const result = await runWharfCli(home, args);
      assert.equal(result.code, 0, `wharf ${args.join(' ')}: ${result.stderr}`);
      return result.stdout;
    };
    await run(['login', '--data', w.dataDir, '--server', w.baseUrl]);
    assert.match(await run(['directory-role', 'list', '--definitions', '-o', 'tsv']), /User Administrator/);
    assert.match(await run(['directory-role', 'assign', '--assignee', carol.appId, '--role', 'user administrator']), /Assigned User Administrator/);
    const listed = JSON.parse(await run(['directory-role', 'list', '-o', 'json'])) as { principalId: string; roleDefinitionId: string }[];
    assert.ok(listed.some((a) => a.principalId === carol.objectId && a.roleDefinitionId === 'fe930be7-5e62-47db-91af-98c3a49a38b1'));
    await run(['directory-role', 'remove', '--assignee', carol.appId, '--role', 'User Administrator']);
    const unknown = await runWharfCli(home, ['directory-role', 'assign', '--assignee', carol.appId, '--role', 'Owner']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /'Owner' is not a directory role; choose one of: Global Administrator/);
  });
});
