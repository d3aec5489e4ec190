import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseByteRange, parseChunkRange, uploadRange } from '../../src/distribution/http-helpers.js';
import { decodePath, matchRoute } from '../../src/distribution/routes.js';
import { stripPort } from '../../src/domain/host-routing.js';
import { RegistryError } from '../../src/kernel/errors.js';

describe('blob GET ranges', () => {
  const cases: [string, number, { start: number; end: number } | null][] = [
    ['bytes=0-9', 100, { start: 0, end: 9 }],
    ['bytes=90-', 100, { start: 90, end: 99 }],
    ['bytes=-10', 100, { start: 90, end: 99 }],
    ['bytes=-500', 100, { start: 0, end: 99 }],
    ['bytes=50-500', 100, { start: 50, end: 99 }],
    ['bytes=0-0,5-9', 100, { start: 0, end: 0 }],
  ];
  for (const [header, size, expected] of cases) it(`${header} of ${size}`, () => assert.deepEqual(parseByteRange(header, size), expected));
  it('no header means the whole blob', () => assert.equal(parseByteRange(undefined, 5), null));
  for (const header of ['bytes=100-', 'bytes=5-1', 'bytes=-0', 'items=0-1', 'bytes=-', 'bytes=a-b']) {
    it(`${header} is 416 with Content-Range */size`, () =>
      assert.throws(
        () => parseByteRange(header, 100),
        (e: RegistryError) => e.status === 416 && e.headers['Content-Range'] === 'bytes */100',
      ));
  }
});

describe('upload chunk ranges', () => {
  it('parses Distribution and RFC forms', () => {
    assert.deepEqual(parseChunkRange('0-99', 0), { start: 0, end: 99 });
    assert.deepEqual(parseChunkRange('bytes 100-199/*', 100), { start: 100, end: 199 });
    assert.equal(parseChunkRange(undefined, 0), null);
  });
  it('refuses malformed and backwards ranges with 416 and the current Range', () => {
    for (const header of ['x', '5-1', '-5']) {
      assert.throws(
        () => parseChunkRange(header, 10),
        (e: RegistryError) => e.status === 416 && e.headers.Range === '0-9',
      );
    }
  });
  it('writes Range like Distribution', () => {
    assert.equal(uploadRange(0), '0-0');
    assert.equal(uploadRange(160), '0-159');
  });
});

describe('route table', () => {
  const route = (method: string, url: string) => {
    const { path } = decodePath(url);
    const m = matchRoute(method, path);
    return [m.route.id, m.params];
  };
  it('matches every endpoint of the spec', () => {
    assert.deepEqual(route('GET', '/v2/'), ['base', {}]);
    assert.deepEqual(route('GET', '/v2/_catalog?n=10'), ['catalog', {}]);
    assert.deepEqual(route('GET', '/v2/a/b/c/tags/list'), ['tags', { name: 'a/b/c' }]);
    assert.deepEqual(route('PUT', '/v2/a/b/manifests/v1'), ['manifest', { name: 'a/b', reference: 'v1' }]);
    assert.deepEqual(route('POST', '/v2/a/blobs/uploads/'), ['upload-start', { name: 'a' }]);
    assert.deepEqual(route('POST', '/v2/a/blobs/uploads'), ['upload-start', { name: 'a' }]);
    assert.deepEqual(route('PATCH', '/v2/a/blobs/uploads/123'), ['upload', { name: 'a', uuid: '123' }]);
    assert.deepEqual(route('HEAD', '/v2/a/blobs/sha256:00'), ['blob', { name: 'a', digest: 'sha256:00' }]);
    assert.deepEqual(route('GET', '/v2/a/referrers/sha256:00'), ['referrers', { name: 'a', digest: 'sha256:00' }]);
  });
  it('decodes percent-encoded names and digests', () => {
    assert.deepEqual(route('GET', '/v2/sdk%2Fdemo/blobs/sha256%3Aab'), ['blob', { name: 'sdk/demo', digest: 'sha256:ab' }]);
    assert.deepEqual(route('GET', '/v2/a%2Fb/tags/list'), ['tags', { name: 'a/b' }]);
  });
  it('answers 405 for a known path with another method, 404 for unknown paths, 400 for bad encoding', () => {
    assert.throws(
      () => route('POST', '/v2/a/tags/list'),
      (e: RegistryError) => e.status === 405 && e.headers.Allow === 'GET',
    );
    assert.throws(
      () => route('GET', '/v2/a/nothing'),
      (e: RegistryError) => e.status === 404,
    );
    assert.throws(
      () => decodePath('/v2/%zz/tags/list'),
      (e: RegistryError) => e.status === 400,
    );
  });
});

describe('host names', () => {
  it('strips ports from names, IPv4 and bracketed IPv6', () => {
    assert.equal(stripPort('localhost:8443'), 'localhost');
    assert.equal(stripPort('reg.example.com'), 'reg.example.com');
    assert.equal(stripPort('127.0.0.1:5000'), '127.0.0.1');
    assert.equal(stripPort('[::1]:8443'), '::1');
    assert.equal(stripPort('::1'), '::1');
  });
});
