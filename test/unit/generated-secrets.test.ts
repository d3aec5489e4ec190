/**
 * Generated secrets (client secrets, admin and token passwords) are pasted after `-p` on the
 * command lines of az, docker and podman: one that began with '-' would be read as an option.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateSecret } from '../../src/kernel/secrets.js';

test('no generated secret starts with "-", and each is URL-safe base64 of the bytes asked for', () => {
  // Unfiltered, one in 64 starts with '-': 5,000 draws all pass by chance with probability e^-78.
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const secret = generateSecret(30);
    assert.ok(!secret.startsWith('-'), secret);
    assert.match(secret, /^[A-Za-z0-9_-]{40}$/);
    seen.add(secret);
  }
  assert.equal(seen.size, 5000);
  assert.equal(Buffer.from(generateSecret(12), 'base64url').length, 12);
});
