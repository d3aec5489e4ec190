/**
 * The audit recorder's queue: batching into store appends, the bound on queued events, one
 * retry after a failed write, close() writing what is left, retention, and its metrics. The
 * happy paths write to a real SQLite metadata store; failures use a store that refuses.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { AuditRecorder, type AuditEntry, type AuditTuning } from '../../src/audit/recorder.js';
import type { AuditIndex, LoginEvent, RepositoryEvent } from '../../src/storage/metadata/access-records.js';
import { openMetadataStore } from '../../src/storage/metadata/open.js';
import type { MetadataStore } from '../../src/storage/metadata/store.js';
import { tempDir } from '../helpers/tmp.js';

let sequence = 0;

function login(overrides: Partial<LoginEvent> = {}): AuditEntry {
  return {
    category: 'login',
    event: {
      timeGenerated: new Date().toISOString(),
      registry: 'wharf',
      loginServer: 'wharf.localhost',
      callerIpAddress: '127.0.0.1',
      correlationId: `login-${++sequence}`,
      durationMs: 3,
      identity: 'someone',
      identityType: 'ServicePrincipal',
      jwtId: null,
      operationName: 'Login',
      resultType: 'Succeeded',
      resultDescription: '200',
      reason: '',
      userAgent: 'test',
      tenantId: null,
      region: 'local',
      ...overrides,
    },
  };
}

function pull(overrides: Partial<RepositoryEvent> = {}): AuditEntry {
  return {
    category: 'repository',
    event: {
      timeGenerated: new Date().toISOString(),
      registry: 'wharf',
      loginServer: 'wharf.localhost',
      callerIpAddress: '127.0.0.1',
      correlationId: `pull-${++sequence}`,
      durationMs: 1,
      identity: 'someone',
      identityType: 'ServicePrincipal',
      operationName: 'Pull',
      repository: 'app',
      tag: 'v1',
      digest: null,
      mediaType: null,
      artifactType: null,
      size: null,
      resultType: 'Succeeded',
      resultDescription: '200',
      reason: '',
      userAgent: 'test',
      userTenantId: null,
      region: 'local',
      ...overrides,
    },
  };
}

type Append = AuditIndex['append'];

/** A store whose audit index is under the test's control; records every call. */
function fakeStore(append: Append, purgeBefore: (iso: string) => Promise<number> = async () => 0) {
  const appends: Parameters<Append>[0][] = [];
  const purges: string[] = [];
  const store = {
    audit: {
      append: (events: Parameters<Append>[0]) => {
        appends.push({ logins: [...events.logins], repository: [...events.repository] });
        return append(events);
      },
      purgeBefore: (iso: string) => {
        purges.push(iso);
        return purgeBefore(iso);
      },
    },
  } as unknown as MetadataStore;
  return { store, appends, purges };
}

function collectingLogger() {
  const lines: { object: Record<string, unknown>; message: string }[] = [];
  return { lines, logger: { error: (object: Record<string, unknown>, message: string) => void lines.push({ object, message }) } };
}

async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = (metric?.values as { value: number; labels: Record<string, string> }[] | undefined)?.find((v) =>
    Object.entries(labels).every(([k, l]) => v.labels[k] === l),
  );
  return value?.value ?? 0;
}

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await sleep(5);
  }
}

const FAST: Partial<AuditTuning> = { flushIntervalMs: 20 };

describe('audit recorder with a SQLite store', () => {
  let store: MetadataStore;
  before(async () => {
    store = await openMetadataStore({ driver: 'sqlite', path: join(tempDir('audit-unit'), 'metadata.sqlite') });
  });
  after(async () => store?.close());

  it('queues without writing, then writes both categories in one flush', async () => {
    const recorder = new AuditRecorder(store, { enabled: true, retentionDays: 30 }, { flushIntervalMs: 50 });
    const first = login({ registry: 'batching' });
    const second = pull({ registry: 'batching' });
    recorder.record(first);
    recorder.record(second);
    assert.equal(recorder.pending, 2);
    assert.deepEqual(await store.audit.logins({ registry: 'batching' }), [], 'nothing is written on the request path');
    await until(() => recorder.pending === 0);
    await sleep(20);
    assert.deepEqual(await store.audit.logins({ registry: 'batching' }), [first.event]);
    assert.deepEqual(await store.audit.repositoryEvents({ registry: 'batching' }), [second.event]);
    await recorder.close();
  });

  it('close() writes what is still queued', async () => {
    const recorder = new AuditRecorder(store, { enabled: true, retentionDays: 30 }, { flushIntervalMs: 60_000 });
    for (let i = 0; i < 5; i++) recorder.record(login({ registry: 'closing' }));
    await recorder.close();
    assert.equal((await store.audit.logins({ registry: 'closing' })).length, 5);
    recorder.record(login({ registry: 'closing' }));
    assert.equal(recorder.pending, 0, 'a closed recorder takes no more events');
  });

  it('records nothing when disabled', async () => {
    const recorder = new AuditRecorder(store, { enabled: false, retentionDays: 30 }, FAST);
    recorder.record(login({ registry: 'disabled' }));
    assert.equal(recorder.pending, 0);
    await recorder.close();
    assert.deepEqual(await store.audit.logins({ registry: 'disabled' }), []);
  });

  it('deletes rows older than the retention period at start and then periodically', async () => {
    const old = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const recent = new Date(Date.now() - 1 * 86_400_000).toISOString();
    await store.audit.append({
      logins: [login({ registry: 'retention', timeGenerated: old }).event as LoginEvent],
      repository: [pull({ registry: 'retention', timeGenerated: recent }).event as RepositoryEvent],
    });
    const recorder = new AuditRecorder(store, { enabled: true, retentionDays: 2 }, { retentionIntervalMs: 30 });
    await sleep(100);
    assert.deepEqual(await store.audit.logins({ registry: 'retention' }), []);
    assert.equal((await store.audit.repositoryEvents({ registry: 'retention' })).length, 1);
    // An event that ages past the period meanwhile goes at the next periodic run.
    await store.audit.append({ logins: [login({ registry: 'retention', timeGenerated: old }).event as LoginEvent], repository: [] });
    await sleep(150);
    assert.deepEqual(await store.audit.logins({ registry: 'retention' }), []);
    await recorder.close();
  });
});

describe('audit recorder batching and failures', () => {
  it('writes at most batchSize events per append, and a full batch without waiting for the timer', async () => {
    const { store, appends } = fakeStore(async () => {});
    const recorder = new AuditRecorder(store, { enabled: true, retentionDays: 30 }, { flushIntervalMs: 60_000, batchSize: 100 });
    for (let i = 0; i < 99; i++) recorder.record(i % 2 ? login() : pull());
    await sleep(30);
    assert.equal(appends.length, 0, 'below a batch, the timer decides');
    for (let i = 0; i < 151; i++) recorder.record(i % 2 ? login() : pull());
    await until(() => recorder.pending === 0 && appends.length === 3);
    assert.deepEqual(
      appends.map((a) => a.logins.length + a.repository.length),
      [100, 100, 50],
    );
    const ids = appends.flatMap((a) => [...a.logins, ...a.repository].map((e) => e.correlationId));
    assert.equal(new Set(ids).size, 250, 'every event written once');
    await recorder.close();
    assert.equal(appends.length, 3);
  });

  it('retries a failed batch once with the next one, then drops and counts it', async () => {
    let failures = 2;
    const { store, appends } = fakeStore(async () => {
      if (failures-- > 0) throw new Error('database is locked');
    });
    const registry = new Registry();
    const { lines, logger } = collectingLogger();
    const recorder = new AuditRecorder(store, { enabled: true, retentionDays: 30 }, { flushIntervalMs: 60_000 });
    recorder.attach({ logger, metrics: registry });

    const a = login();
    recorder.record(a);
    await recorder.flush();
    const b = login();
    recorder.record(b);
    await recorder.flush();
    // The second write carried the retried event first, then the new one; it failed too.
    assert.deepEqual(
      appends[1]!.logins.map((e) => e.correlationId),
      [a.event.correlationId, b.event.correlationId],
    );
    await recorder.flush();
    // `a` had its retry; only `b` is tried again, and this time it is written.
    assert.deepEqual(
      appends[2]!.logins.map((e) => e.correlationId),
      [b.event.correlationId],
    );
    assert.equal(appends.length, 3);
    assert.equal(recorder.pending, 0);
    assert.equal(await metricValue(registry, 'wharf_audit_events_dropped_total', { reason: 'write_failed' }), 1);
    assert.equal(await metricValue(registry, 'wharf_audit_events_written_total', { category: 'login' }), 1);
    assert.equal(lines.length, 2);
    assert.match(lines[0]!.message, /audit: writing events .* failed/);
    assert.equal((lines[0]!.object.err as { message: string }).message, 'database is locked');
    assert.ok(!JSON.stringify(lines).includes(a.event.correlationId), 'the log line does not dump events');
    await recorder.close();
  });

  it('flushes on its own timer after a failure', async () => {
    let failures = 1;
    const { store, appends } = fakeStore(async () => {
      if (failures-- > 0) throw new Error('database is locked');
    });
    const recorder = new AuditRecorder(store, { enabled: true, retentionDays: 30 }, FAST);
    recorder.attach({ logger: collectingLogger().logger });
    recorder.record(pull());
    await until(() => appends.length === 2 && recorder.pending === 0);
    await recorder.close();
  });

  it('keeps at most maxQueued events, dropping the oldest and counting them', async () => {
    const { store, appends } = fakeStore(async () => {});
    const registry = new Registry();
    const recorder = new AuditRecorder(store, { enabled: true, retentionDays: 30 }, { flushIntervalMs: 60_000, maxQueued: 10 });
    recorder.attach({ metrics: registry });
    const entries = Array.from({ length: 15 }, () => pull());
    for (const entry of entries) recorder.record(entry);
    assert.equal(recorder.pending, 10);
    assert.equal(await metricValue(registry, 'wharf_audit_events_dropped_total', { reason: 'queue_full' }), 5);
    assert.equal(await metricValue(registry, 'wharf_audit_events_queued', {}), 10);
    await recorder.close();
    assert.deepEqual(
      appends.flatMap((a) => a.repository.map((e) => e.correlationId)),
      entries.slice(5).map((e) => e.event.correlationId),
    );
  });

  it('never throws into the request path, even when the store throws synchronously', async () => {
    const { store } = fakeStore(() => {
      throw new Error('store closed');
    });
    const { lines, logger } = collectingLogger();
    const recorder = new AuditRecorder(store, { enabled: true, retentionDays: 30 }, FAST);
    recorder.attach({ logger });
    assert.doesNotThrow(() => recorder.record(login()));
    await recorder.close();
    assert.ok(lines.some((l) => /failed/.test(l.message)));
  });

  it('logs a failed retention run and keeps going', async () => {
    const { store, purges } = fakeStore(
      async () => {},
      async () => {
        throw new Error('disk I/O error');
      },
    );
    const { lines, logger } = collectingLogger();
    const recorder = new AuditRecorder(store, { enabled: true, retentionDays: 1.5 }, { retentionIntervalMs: 20 });
    recorder.attach({ logger });
    const started = Date.now();
    await until(() => purges.length >= 3);
    await recorder.close();
    const cutoff = Date.parse(purges[0]!);
    assert.ok(Math.abs(started - 1.5 * 86_400_000 - cutoff) < 1000, `cutoff ${purges[0]} is 1.5 days back`);
    assert.ok(lines.some((l) => /deleting expired events failed/.test(l.message)));
  });

  it('registers its metrics once per registry, whatever the number of recorders', async () => {
    const registry = new Registry();
    const { store } = fakeStore(async () => {});
    const first = new AuditRecorder(store, { enabled: true, retentionDays: 30 });
    const second = new AuditRecorder(store, { enabled: true, retentionDays: 30 });
    first.attach({ metrics: registry });
    assert.doesNotThrow(() => second.attach({ metrics: registry }));
    const text = await registry.metrics();
    for (const name of ['wharf_audit_events_dropped_total', 'wharf_audit_events_written_total', 'wharf_audit_events_queued']) {
      assert.match(text, new RegExp(`# TYPE ${name} `));
    }
    await first.close();
    await second.close();
  });
});
