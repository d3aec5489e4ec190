/**
 * Garbage collection and scrub run one at a time per registry: the tracker's claim is what the
 * management plane answers 409 OperationInProgress from.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OperationTracker } from '../../src/domain/operation-tracker.js';

test('a claim is exclusive per kind and registry (any case) until released', () => {
  const tracker = new OperationTracker();
  const release = tracker.claim('garbageCollect', 'contoso');
  assert.ok(release);
  assert.equal(tracker.claim('garbageCollect', 'Contoso'), undefined, 'the same registry, another spelling');
  assert.ok(tracker.claim('garbageCollect', 'fabrikam'), 'another registry runs alongside');
  assert.ok(tracker.claim('scrub', 'contoso'), 'another kind runs alongside');
  release();
  assert.ok(tracker.claim('garbageCollect', 'contoso'), 'free again once released');
});

test('two trackers (two processes) do not share claims', () => {
  assert.ok(new OperationTracker().claim('scrub', 'contoso'));
  assert.ok(new OperationTracker().claim('scrub', 'contoso'));
});
