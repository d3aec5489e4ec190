/**
 * `wharf repository list|show|show-tags|show-manifests|untag|delete` against a real, secure
 * Wharf: images pushed with skopeo (as the admin user), then the CLI signs in as az acr does
 * (ARM token → /oauth2/exchange → /oauth2/token) and reads and changes the registry through its
 * data plane; results checked in json, table and tsv, and changes checked with skopeo again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClientSandbox, ok as clientOk, type ClientResult } from '../helpers/clients.js';
import { buildImageLayout } from '../helpers/oci-layout.js';
import { eventually } from '../helpers/eventually.js';
import { tempDir } from '../helpers/tmp.js';
import { runWharfCli, type CliResult } from '../helpers/wharf-cli.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

function describeRun(args: string[], result: CliResult): string {
  return `wharf ${args.join(' ')} → exit ${result.code}\n--- stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}`;
}

describe('wharf repository', () => {
  let server: WharfServer;
  let home: string;
  let clients: ClientSandbox;
  let admin: string;
  const v1 = buildImageLayout({ tag: 'v1' });
  const v2 = buildImageLayout({ tag: 'v2', layers: 2 });

  const cli = (args: string[]) => runWharfCli(home, args);
  async function ok(args: string[]): Promise<string> {
    const result = await cli(args);
    assert.equal(result.code, 0, describeRun(args, result));
    return result.stdout;
  }
  async function okJson<T = any>(args: string[]): Promise<T> {
    const stdout = await ok([...args, '-o', 'json']);
    return JSON.parse(stdout) as T;
  }
  async function fails(args: string[], stderr: RegExp): Promise<CliResult> {
    const result = await cli(args);
    assert.equal(result.code, 1, describeRun(args, result));
    assert.match(result.stderr, stderr, describeRun(args, result));
    return result;
  }
  const tls = () => ['--cert-dir', server.caDir!];
  const push = (ref: string, repoTag: string) =>
    clients.skopeo(['copy', '--dest-cert-dir', server.caDir!, '--dest-creds', admin, ref, `docker://${server.host}/${repoTag}`]);
  const inspect = (repoTag: string): Promise<ClientResult> =>
    clients.skopeo(['inspect', ...tls(), '--creds', admin, '--raw', `docker://${server.host}/${repoTag}`]);

  before(async () => {
    server = await startWharf({ secure: true });
    home = tempDir('wharf-home-repo');
    clients = new ClientSandbox();
    await ok(['login', '--data', server.dataDir, '--server', server.baseUrl]);
    await ok(['update', '-r', 'wharf', '--admin-enabled', 'true']);
    const creds = await okJson<{ username: string; passwords: { value: string }[] }>(['credential', 'show', '-r', 'wharf']);
    admin = `${creds.username}:${creds.passwords[0]!.value}`;
    // Admin user settings reach host routing within a few seconds.
    await eventually(async () => clientOk(await push(v1.ref, 'team/app:v1')));
    clientOk(await push(v1.ref, 'team/app:also-v1'));
    clientOk(await push(v2.ref, 'team/app:v2'));
    clientOk(await push(v1.ref, 'team/other:1'));
  });
  after(async () => server?.stop());

  it('documents every repository command with az-like examples', async () => {
    const group = await ok(['repository', '--help']);
    for (const sub of ['list', 'show', 'show-tags', 'show-manifests', 'untag', 'delete']) assert.match(group, new RegExp(`^  ${sub} \\[options\\]`, 'm'));
    assert.match(group, /^Examples:\n {2}wharf repository list -n myregistry$/m);
    const showTags = await ok(['repository', 'show-tags', '--help']);
    assert.match(showTags, /--orderby <order>\s+order by last update time \(choices:\s+"time_desc",\s+"time_asc"\)/);
    assert.match(showTags, /^Examples:\n {2}wharf repository show-tags -n myregistry --repository team\/app$/m);
    await fails(['repository', 'show-tags', '-n', 'wharf', '--repository', 'team/app', '--orderby', 'newest'], /Allowed choices are time_desc, time_asc/);
  });

  it('lists repositories as JSON, a table and tsv, and --top limits them', async () => {
    assert.deepEqual(await okJson(['repository', 'list', '-n', 'wharf']), ['team/app', 'team/other']);
    assert.equal(await ok(['repository', 'list', '-n', 'wharf']), 'Result\n----------\nteam/app\nteam/other\n');
    assert.equal(await ok(['repository', 'list', '-n', 'wharf', '-o', 'tsv']), 'team/app\nteam/other\n');
    assert.deepEqual(await okJson(['repository', 'list', '-n', 'wharf', '--top', '1']), ['team/app']);
  });

  it('shows tags, ordered by time, with --top and --detail', async () => {
    const names = await okJson<string[]>(['repository', 'show-tags', '-n', 'wharf', '--repository', 'team/app']);
    assert.deepEqual([...names].sort(), ['also-v1', 'v1', 'v2']);
    assert.deepEqual(await okJson(['repository', 'show-tags', '-n', 'wharf', '--repository', 'team/app', '--orderby', 'time_desc', '--top', '1']), ['v2']);
    assert.deepEqual(await okJson(['repository', 'show-tags', '-n', 'wharf', '--repository', 'team/app', '--orderby', 'time_asc', '--top', '1']), ['v1']);

    const detail = await okJson<{ name: string; digest: string; createdTime: string }[]>([
      'repository',
      'show-tags',
      '-n',
      'wharf',
      '--repository',
      'team/app',
      '--detail',
    ]);
    const digests = Object.fromEntries(detail.map((t) => [t.name, t.digest]));
    assert.deepEqual(digests, { v1: v1.manifestDigest, 'also-v1': v1.manifestDigest, v2: v2.manifestDigest });
    assert.ok(detail.every((t) => !Number.isNaN(Date.parse(t.createdTime))));

    const table = await ok(['repository', 'show-tags', '-n', 'wharf', '--repository', 'team/app', '--detail', '--orderby', 'time_desc', '-o', 'table']);
    const lines = table.trimEnd().split('\n');
    assert.match(lines[0]!, /^Name\s+Digest\s+CreatedTime\s+LastUpdateTime$/);
    assert.match(lines[2]!, new RegExp(`^v2\\s+${v2.manifestDigest}\\s`));
    assert.equal(lines.length, 5);

    const tsv = await ok(['repository', 'show-tags', '-n', 'wharf', '--repository', 'team/app', '--detail', '--orderby', 'time_desc', '-o', 'tsv']);
    const first = tsv.split('\n')[0]!.split('\t');
    assert.deepEqual(first.slice(0, 2), ['v2', v2.manifestDigest]);
    assert.equal(first.length, 4);
  });

  it('shows manifests with their tags, and every attribute with --detail', async () => {
    const manifests = await okJson<{ digest: string; tags: string[]; timestamp: string }[]>([
      'repository',
      'show-manifests',
      '-n',
      'wharf',
      '--repository',
      'team/app',
      '--orderby',
      'time_asc',
    ]);
    assert.deepEqual(
      manifests.map((m) => [m.digest, [...m.tags].sort()]),
      [
        [v1.manifestDigest, ['also-v1', 'v1']],
        [v2.manifestDigest, ['v2']],
      ],
    );
    const detail = await okJson<{ digest: string; mediaType: string; architecture: string; os: string; imageSize: number }[]>([
      'repository',
      'show-manifests',
      '-n',
      'wharf',
      '--repository',
      'team/app',
      '--detail',
      '--top',
      '1',
      '--orderby',
      'time_desc',
    ]);
    assert.equal(detail.length, 1);
    assert.equal(detail[0]!.digest, v2.manifestDigest);
    assert.equal(detail[0]!.mediaType, 'application/vnd.oci.image.manifest.v1+json');
    assert.equal(detail[0]!.os, 'linux');
    const table = await ok(['repository', 'show-manifests', '-n', 'wharf', '--repository', 'team/app', '--detail', '-o', 'table']);
    assert.match(table, /^Digest\s+Tags\s+MediaType\s+Architecture\s+Os\s+ImageSize\s+LastUpdateTime$/m);
    assert.match(table, new RegExp(`^${v2.manifestDigest}\\s+v2\\s+application/vnd\\.oci\\.image\\.manifest\\.v1\\+json\\s+amd64\\s+linux\\s`, 'm'));
    const tsv = await ok(['repository', 'show-manifests', '-n', 'wharf', '--repository', 'team/app', '--orderby', 'time_desc', '-o', 'tsv']);
    assert.match(tsv.split('\n')[0]!, new RegExp(`^${v2.manifestDigest}\\tv2\\t\\d{4}-`));
  });

  it('shows a repository, a tag and a manifest', async () => {
    const repo = await okJson(['repository', 'show', '-n', 'wharf', '--repository', 'team/app']);
    assert.equal(repo.imageName, 'team/app');
    assert.equal(repo.tagCount, 3);
    assert.equal(repo.manifestCount, 2);
    const tag = await okJson(['repository', 'show', '-n', 'wharf', '--image', 'team/app:v2']);
    assert.equal(tag.name, 'v2');
    assert.equal(tag.digest, v2.manifestDigest);
    const manifest = await okJson(['repository', 'show', '-n', 'wharf', '--image', `team/app@${v1.manifestDigest}`]);
    assert.deepEqual([...manifest.tags].sort(), ['also-v1', 'v1']);
    const table = await ok(['repository', 'show', '-n', 'wharf', '--image', 'team/app:v2', '-o', 'table']);
    assert.match(table, new RegExp(`^digest\\s+${v2.manifestDigest}$`, 'm'));
  });

  it("answers with the registry's own error for a repository that does not exist, and checks its options", async () => {
    await fails(['repository', 'show-tags', '-n', 'wharf', '--repository', 'team/nothing'], /^wharf: NAME_UNKNOWN: /m);
    await fails(['repository', 'show-tags', '-n', 'wharf'], /give the repository: --repository/);
    await fails(['repository', 'list', '-n', 'wharf', '--top', '0'], /--top expects a positive whole number/);
    await fails(['repository', 'show', '-n', 'wharf', '--image', 'team/app@nodigest'], /is not an image/);
    await fails(['repository', 'list', '-n', 'nosuchregistry'], /cannot read registry 'nosuchregistry'/);
  });

  it('untags: the tag goes, the manifest and its other tags stay', async () => {
    assert.equal(await ok(['repository', 'untag', '-n', 'wharf', '--image', 'team/app:also-v1']), 'Untagged team/app:also-v1\n');
    assert.deepEqual((await okJson<string[]>(['repository', 'show-tags', '-n', 'wharf', '--repository', 'team/app'])).sort(), ['v1', 'v2']);
    clientOk(await inspect(`team/app@${v1.manifestDigest}`));
    await fails(
      ['repository', 'untag', '-n', 'wharf', '--image', 'team/app:also-v1'],
      /^wharf: MANIFEST_UNKNOWN: tag 'also-v1' is not in repository 'team\/app'/m,
    );

    // The audit trail shows both, one tab-separated line each, newest first (tsv for scripts).
    const lines = await eventually(async () => {
      const tsv = await ok(['logs', '-r', 'wharf', '--category', 'repository', '--operation', 'Untag', '-o', 'tsv']);
      const rows = tsv
        .trimEnd()
        .split('\n')
        .map((line) => line.split('\t'));
      assert.equal(rows.length, 2, tsv);
      return rows;
    });
    for (const row of lines) {
      assert.equal(row.length, 8, row.join('|'));
      assert.equal(row[7], '1', 'each row stands for one request (COUNT)');
      assert.match(row[0]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(row[1], 'repository');
      assert.equal(row[2], 'Untag team/app:also-v1');
    }
    assert.match(lines[0]![5]!, /^Failed 404/);
    assert.match(lines[1]![5]!, /^Succeeded 202/);
  });

  it('deletes an image by tag only with --yes, then a whole repository', async () => {
    // No terminal to ask on: without --yes nothing is deleted.
    await fails(
      ['repository', 'delete', '-n', 'wharf', '--image', 'team/app:v1'],
      new RegExp(`the manifest '${v1.manifestDigest}' and all the following images: 'team/app:v1'.*add --yes`),
    );
    clientOk(await inspect('team/app:v1'));

    const deleted = await ok(['repository', 'delete', '-n', 'wharf', '--image', 'team/app:v1', '--yes']);
    assert.equal(deleted, `Deleted team/app@${v1.manifestDigest} (tags: team/app:v1)\n`);
    const gone = await inspect('team/app:v1');
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /manifest unknown/i);
    assert.deepEqual(await okJson(['repository', 'show-tags', '-n', 'wharf', '--repository', 'team/app']), ['v2']);

    await fails(['repository', 'delete', '-n', 'wharf', '--repository', 'team/other'], /add --yes/);
    assert.match(
      await ok(['repository', 'delete', '-n', 'wharf', '--repository', 'team/other', '--yes']),
      /^Deleted repository team\/other of wharf \(1 manifests, 1 tags\)$/m,
    );
    assert.deepEqual(await okJson(['repository', 'list', '-n', 'wharf']), ['team/app']);
    await fails(['repository', 'delete', '-n', 'wharf', '--image', `team/app@${v1.manifestDigest}`, '--yes'], /^wharf: MANIFEST_UNKNOWN: /m);
  });

  it('an identity without the delete right is refused by the registry', async () => {
    const reader = await okJson<{ appId: string; password: string; tenant: string }>([
      'sp',
      'create',
      '--name',
      'repo-reader',
      '--role',
      'AcrPull',
      '-r',
      'wharf',
    ]);
    await ok(['role', 'assignment', 'create', '--assignee', reader.appId, '--role', 'Reader', '-r', 'wharf']);
    const owner = JSON.parse(await ok(['show', '-n', 'wharf', '-o', 'json'])) as { id: string };
    const readerHome = tempDir('wharf-home-reader');
    const subscription = owner.id.split('/')[2]!;
    const args = [
      'login',
      '--server',
      server.baseUrl,
      '--ca-file',
      server.caFile!,
      '--tenant',
      reader.tenant,
      '--client-id',
      reader.appId,
      '--client-secret-stdin',
      '--subscription',
      subscription,
    ];
    const login = await runWharfCli(readerHome, args, { input: reader.password });
    assert.equal(login.code, 0, describeRun(args, login));
    // Roles reach the token server's grant cache within a few seconds.
    const tags = await eventually(async () => {
      const r = await runWharfCli(readerHome, ['repository', 'show-tags', '-n', 'wharf', '--repository', 'team/app', '-o', 'json']);
      assert.equal(r.code, 0, describeRun(['repository', 'show-tags'], r));
      return JSON.parse(r.stdout) as string[];
    });
    assert.deepEqual(tags, ['v2']);
    const refused = await runWharfCli(readerHome, ['repository', 'untag', '-n', 'wharf', '--image', 'team/app:v2']);
    assert.equal(refused.code, 1, describeRun(['repository', 'untag'], refused));
    assert.match(refused.stderr, /^wharf: (UNAUTHORIZED|DENIED): /m);
    assert.deepEqual(await okJson(['repository', 'show-tags', '-n', 'wharf', '--repository', 'team/app']), ['v2']);
  });
});
