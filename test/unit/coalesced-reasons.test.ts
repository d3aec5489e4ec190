/**
 * A row that counts a flood of similar failures keeps the first failure's reason as a key: a
 * decision's reason, and also an error message's (an unknown host) when no decision explains the
 * failure. Read back from the stored key and values, the whole row renders in the reader's
 * language, inner reason included; its English text is the message and the note, as before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditEntriesOf, type RequestFacts } from '../../src/audit/audit-hook.js';
import type { RequestAudit } from '../../src/audit/request-audit.js';
import { aggregateReason, type Aggregate } from '../../src/audit/failure-coalescer.js';
import { englishReason, parseStoredReason, renderReason, storedReason } from '../../src/access/decision.js';
import { reasonIn } from '../../src/audit/acr-rows.js';
import { localize } from '../../src/i18n/localized.js';
import { registryErrorMessages } from '../../src/kernel/error-messages.js';
import { LANGUAGES } from '../../src/i18n/index.js';
import type { LoginEvent } from '../../src/storage/metadata/access-records.js';

const FACTS: RequestFacts = {
  startedAt: Date.parse('2026-01-01T00:00:00Z'),
  durationMs: 3,
  statusCode: 404,
  ip: '127.0.0.1',
  correlationId: 'c1',
  userAgent: 'docker/27',
  region: 'local',
  registry: '',
  loginServer: 'nowhere.localhost',
};

const unknownHost = localize(registryErrorMessages, 'unknownHost', { host: 'nowhere.localhost' });

function aggregateOf(audit: RequestAudit, count: number): Aggregate {
  const [entry] = auditEntriesOf(audit, FACTS);
  assert.ok(entry);
  return { entry, count, lastTime: '2026-01-01T00:05:00.000Z', identities: new Set(['']), sources: new Set(['127.0.0.1']), written: false, dirty: true };
}

describe('coalesced rows over keyed error messages', () => {
  const audit: RequestAudit = { login: { operationName: 'Login' }, reason: String(unknownHost), message: unknownHost.message! };

  it('keep the error message as key and values inside the coalescing note', () => {
    const aggregate = aggregateOf(audit, 40);
    assert.equal(aggregate.entry.event.reasonKey, 'registry-errors:unknownHost');
    const keyed = aggregateReason(aggregate);
    assert.equal(keyed.key, 'coalescedFailures');
    assert.deepEqual(keyed.values.reason, { namespace: 'registry-errors', key: 'unknownHost', values: { host: 'nowhere.localhost' } });
    assert.equal(
      englishReason(keyed),
      `${String(unknownHost)} [40 similar failures from 2026-01-01T00:00:00.000Z to 2026-01-01T00:05:00.000Z, counted in this row]`,
    );
  });

  it('render in every language from the stored row, the inner reason in that language too', () => {
    const stored = storedReason(aggregateReason(aggregateOf(audit, 40)));
    const read = parseStoredReason(stored.key, stored.values);
    assert.ok(read, 'the stored key and values are read back');
    const event = { reason: englishReason(read), reasonKey: stored.key, reasonValues: stored.values } as Pick<
      LoginEvent,
      'reason' | 'reasonKey' | 'reasonValues'
    >;
    for (const language of LANGUAGES.filter((l) => l !== 'en')) {
      const text = reasonIn(event, language);
      assert.ok(text.startsWith(unknownHost.in(language)), `${language}: ${text}`);
      assert.ok(!text.includes('no registry is served') && !text.includes('similar failures'), `${language}: ${text}`);
    }
    assert.match(renderReason(read, 'pl'), /^pod adresem 'nowhere\.localhost' nie jest obsługiwany żaden rejestr.*\[podobne niepowodzenia: 40,/);
  });

  it('a row with an unknown message key keeps its English text', () => {
    const aggregate = aggregateOf(audit, 3);
    aggregate.entry.event.reasonKey = 'registry-errors:noSuchKey';
    const keyed = aggregateReason(aggregate);
    assert.equal(keyed.values.reason, String(unknownHost));
  });
});
