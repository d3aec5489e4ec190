/**
 * The key ring follows `key` change events: a key another ring (another node) added to the same
 * store is in the JWKS and signs from the event on, not only after the ring's reload period.
 * Other events leave the loaded keys alone.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { InProcessChangeEvents } from '../../src/domain/change-events.js';
import { KeyRing } from '../../src/identity/key-ring.js';
import { Sealer } from '../../src/kernel/secrets.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import type { MetadataStore } from '../../src/storage/metadata/store.js';
import { tempDir } from '../helpers/tmp.js';

describe('key ring and key events', () => {
  let store: MetadataStore;
  let sealer: Sealer;

  before(async () => {
    store = await openMetadataStore({ driver: 'sqlite', path: join(tempDir('key-ring-events'), 'metadata.sqlite') });
    sealer = new Sealer(randomBytes(32));
  });
  after(async () => {
    await store?.close();
  });

  it('reloads on a key event, and only on one', async () => {
    const here = await new KeyRing(store, sealer).init();
    const events = new InProcessChangeEvents();
    events.subscribe((event) => here.onChange(event));
    const kidOf = async (ring: KeyRing) => decodeProtectedHeader(await ring.sign({}, { issuer: 'i', audience: 'a', lifetime: 60 })).kid;
    const first = await kidOf(here);

    const elsewhere = await new KeyRing(store, sealer).init();
    const rotated = await elsewhere.rotate();
    assert.notEqual(rotated, first);

    events.publish({ kind: 'grant' });
    events.publish({ kind: 'identity', objectId: 'someone' });
    assert.equal(await kidOf(here), first, 'other events keep the loaded keys');
    assert.deepEqual(
      (await here.jwks()).keys.map((k) => (k as { kid?: string }).kid),
      [first],
    );

    events.publish({ kind: 'key' });
    assert.equal(await kidOf(here), rotated, 'the new key signs from the event on');
    assert.deepEqual((await here.jwks()).keys.map((k) => (k as { kid?: string }).kid).sort(), [first, rotated].sort(), 'the retired key still verifies');
  });
});
