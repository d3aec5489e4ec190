import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRepositoryName, isValidTag } from '../../src/distribution/names.js';
import { parseDigest } from '../../src/distribution/digest.js';
import { RegistryError } from '../../src/kernel/errors.js';

describe('repository names', () => {
  for (const name of ['a', 'library/ubuntu', 'a.b/c_d/e__f/g-h', 'x--y', 'a0/b1/c2/d3', 'a'.repeat(255)]) {
    it(`accepts ${name.slice(0, 40)}`, () => assert.equal(checkRepositoryName(name), name));
  }
  for (const name of ['', 'A', 'a/', '/a', 'a//b', 'a..b', 'a_._b', '-a', 'a-', 'a___b', 'a:b', 'a b', 'ü', 'a'.repeat(256), '_catalog']) {
    it(`refuses '${name.slice(0, 40)}' with NAME_INVALID`, () =>
      assert.throws(
        () => checkRepositoryName(name),
        (e: RegistryError) => e.code === 'NAME_INVALID' && e.status === 400,
      ));
  }
});

describe('tags', () => {
  for (const tag of ['v1', 'latest', '_x', '1.0.0-rc.1', 'A'.repeat(128)]) it(`accepts ${tag.slice(0, 20)}`, () => assert.ok(isValidTag(tag)));
  for (const tag of ['', '.v', '-v', 'a/b', 'a:b', 'A'.repeat(129), 'ü']) it(`refuses '${tag.slice(0, 20)}'`, () => assert.ok(!isValidTag(tag)));
});

describe('digests', () => {
  it('parses sha256 and sha512', () => {
    assert.equal(parseDigest(`sha256:${'a'.repeat(64)}`)?.algorithm, 'sha256');
    assert.equal(parseDigest(`sha512:${'0'.repeat(128)}`)?.algorithm, 'sha512');
  });
  for (const bad of [
    'sha256',
    `sha256:${'a'.repeat(63)}`,
    `sha256:${'A'.repeat(64)}`,
    `md5:${'a'.repeat(32)}`,
    `sha512:${'a'.repeat(64)}`,
    `sha256:${'g'.repeat(64)}`,
    '',
  ]) {
    it(`refuses '${bad.slice(0, 20)}…'`, () => assert.equal(parseDigest(bad), null));
  }
});
