/**
 * Blob integrity through the wire: a blob file whose bytes were corrupted (same size), cut
 * short or deleted behind Wharf's back. Re-pushing the right bytes heals it; HEAD and a
 * cross-repository mount agree with GET when the file is missing (404, and a mount falls back
 * to an upload session); `wharf scrub` finds corrupt blobs, quarantines them so they answer
 * 404 instead of wrong bytes, and a re-push makes them whole again.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describe as show, errorCodes, sha256 } from '../helpers/http.js';
import { getBlob, pushBlob, uniqueRepo, v2, withQuery } from '../helpers/registry-api.js';
import { tempDir } from '../helpers/tmp.js';
import { runWharfCli, type CliResult } from '../helpers/wharf-cli.js';
import { startWharf, type WharfServer } from '../helpers/wharf-server.js';

interface ScrubSummary {
  blobsChecked: number;
  corrupt: { digest: string; problem: string }[];
  quarantined: number;
}

describe('blob integrity', () => {
  let server: WharfServer;
  let home: string;

  before(async () => {
    server = await startWharf();
    home = tempDir('wharf-home-scrub');
    const login = await runWharfCli(home, ['login', '--data', server.dataDir, '--server', server.baseUrl]);
    assert.equal(login.code, 0, login.stderr);
  });
  after(async () => server?.stop());

  function blobFile(digest: string): string {
    const hex = digest.slice('sha256:'.length);
    return join(server.dataDir, 'blobs', 'sha256', hex.slice(0, 2), hex);
  }

  /** Flips every byte of the stored file, keeping its size. */
  function corrupt(digest: string): void {
    const bytes = readFileSync(blobFile(digest));
    for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! ^ 0xff;
    writeFileSync(blobFile(digest), bytes);
  }

  async function pushed(repo: string, data: Buffer): Promise<string> {
    const res = await pushBlob(server, repo, data);
    assert.equal(res.status, 201, show(res));
    return sha256(data);
  }

  async function assertWhole(repo: string, digest: string, data: Buffer): Promise<void> {
    const got = await getBlob(server, repo, digest);
    assert.equal(got.status, 200, show(got));
    assert.equal(sha256(got.body), digest, 'GET serves the right bytes');
    assert.equal(got.body.length, data.length);
  }

  /** `wharf scrub`, which exits 1 when it found damage. */
  async function scrub(expectedCode: number): Promise<ScrubSummary> {
    const args = ['scrub', '-o', 'json'];
    const result: CliResult = await runWharfCli(home, args, { timeoutMs: 60_000 });
    assert.equal(result.code, expectedCode, `wharf ${args.join(' ')} → ${result.code}\n${result.stdout}\n${result.stderr}`);
    return JSON.parse(result.stdout) as ScrubSummary;
  }

  it('re-pushing the right bytes heals a blob whose file was corrupted (same size)', async () => {
    const repo = uniqueRepo('integrity/heal');
    const data = randomBytes(50_000);
    const digest = await pushed(repo, data);
    corrupt(digest);
    assert.notEqual(sha256(readFileSync(blobFile(digest))), digest);
    // Monolithic and chunked pushes both commit through the same path.
    const monolithic = await server.request(withQuery(v2(repo, 'blobs/uploads/'), 'digest', digest), {
      method: 'POST',
      body: data,
      headers: { 'content-type': 'application/octet-stream' },
    });
    assert.equal(monolithic.status, 201, show(monolithic));
    assert.equal(sha256(readFileSync(blobFile(digest))), digest, 'the file holds the pushed bytes again');
    await assertWhole(repo, digest, data);
  });

  it('re-pushing heals a truncated blob', async () => {
    const repo = uniqueRepo('integrity/truncated');
    const data = randomBytes(40_000);
    const digest = await pushed(repo, data);
    truncateSync(blobFile(digest), 1000);
    await pushed(repo, data);
    await assertWhole(repo, digest, data);
  });

  it('a blob whose file is missing: HEAD and GET answer 404 BLOB_UNKNOWN, a mount falls back to an upload, a push heals', async () => {
    const source = uniqueRepo('integrity/source');
    const target = uniqueRepo('integrity/target');
    const data = randomBytes(30_000);
    const digest = await pushed(source, data);
    rmSync(blobFile(digest));

    const head = await server.request(v2(source, `blobs/${digest}`), { method: 'HEAD' });
    assert.equal(head.status, 404, show(head));
    const get = await getBlob(server, source, digest);
    assert.equal(get.status, 404, show(get));
    assert.deepEqual(errorCodes(get), ['BLOB_UNKNOWN']);

    const mount = await server.request(`${v2(target, 'blobs/uploads/')}?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(source)}`, {
      method: 'POST',
      headers: { 'content-length': '0' },
    });
    assert.equal(mount.status, 202, `a mount of a blob without content must start an upload: ${show(mount)}`);
    assert.ok(mount.headers.location?.includes('/blobs/uploads/'), show(mount));
    assert.equal((await server.request(v2(target, `blobs/${digest}`), { method: 'HEAD' })).status, 404, 'nothing was linked');

    await pushed(target, data);
    await assertWhole(target, digest, data);
    await assertWhole(source, digest, data);
  });

  it('wharf scrub reports and quarantines corrupt and missing blobs; they answer 404 and a re-push heals them', async () => {
    const repo = uniqueRepo('integrity/scrub');
    const good = randomBytes(20_000);
    const bad = randomBytes(25_000);
    const short = randomBytes(15_000);
    const gone = randomBytes(5_000);
    const goodDigest = await pushed(repo, good);
    const badDigest = await pushed(repo, bad);
    const shortDigest = await pushed(repo, short);
    const goneDigest = await pushed(repo, gone);
    corrupt(badDigest);
    truncateSync(blobFile(shortDigest), 100);
    rmSync(blobFile(goneDigest));

    const summary = await scrub(1);
    assert.ok(summary.blobsChecked >= 4, JSON.stringify(summary));
    const found = new Map(summary.corrupt.map((c) => [c.digest, c.problem]));
    assert.equal(found.get(badDigest), 'digest mismatch', JSON.stringify(summary));
    assert.equal(found.get(shortDigest), 'size mismatch', JSON.stringify(summary));
    assert.equal(found.get(goneDigest), 'missing', JSON.stringify(summary));
    assert.ok(!found.has(goodDigest), JSON.stringify(summary));
    assert.equal(summary.quarantined, 2, 'the two files with wrong bytes are moved aside');
    assert.ok(!existsSync(blobFile(badDigest)));
    // A person reads the findings in their language: the problem in words, French typography.
    const french = await runWharfCli(home, ['--lang', 'fr', 'scrub', '--dry-run'], { timeoutMs: 60_000 });
    assert.equal(french.code, 1, french.stdout + french.stderr);
    assert.match(french.stdout, new RegExp(`^  absent : ${goneDigest}$`, 'm'));
    assert.doesNotMatch(french.stdout, /missing|mismatch/);

    // Never served with a wrong digest again: 404 until the content is pushed again.
    for (const digest of [badDigest, shortDigest]) {
      assert.equal((await server.request(v2(repo, `blobs/${digest}`), { method: 'HEAD' })).status, 404);
      assert.deepEqual(errorCodes(await getBlob(server, repo, digest)), ['BLOB_UNKNOWN']);
    }
    await assertWhole(repo, goodDigest, good);

    await pushed(repo, bad);
    await pushed(repo, short);
    await pushed(repo, gone);
    await assertWhole(repo, badDigest, bad);
    await assertWhole(repo, shortDigest, short);
    await assertWhole(repo, goneDigest, gone);
    const clean = await scrub(0);
    assert.deepEqual(clean.corrupt, [], 'a second scrub finds nothing');
  });
});
