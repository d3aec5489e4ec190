/**
 * The audit hooks on a Fastify app: which requests become login or repository events, the
 * columns taken from the request and its response, and the reason of a refusal read from the
 * error body in each plane's format. Routes here stand in for the token endpoints and the
 * distribution handlers; they fill `request.audit` as those do.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { registerAuditHook } from '../../src/audit/audit-hook.js';
import { AuditRecorder } from '../../src/audit/recorder.js';
import { auditOf } from '../../src/audit/request-audit.js';
import { reasonFromErrorBody } from '../../src/audit/failure-reason.js';
import { createMetrics } from '../../src/monitoring/metrics.js';
import type { AuditHookDeps } from '../../src/audit/audit-hook.js';
import type { LoginEvent, RepositoryEvent } from '../../src/storage/metadata/access-records.js';
import type { MetadataStore } from '../../src/storage/metadata/store.js';

const PRINCIPAL = { kind: 'ServicePrincipal' as const, id: 'object-1', name: 'app-id-1', tenantId: 'tenant-1' };

interface Harness {
  app: FastifyInstance;
  recorder: AuditRecorder;
  logins: LoginEvent[];
  repository: RepositoryEvent[];
  /** Writes what is queued and returns what was written since the last call. */
  written(): Promise<{ logins: LoginEvent[]; repository: RepositoryEvent[] }>;
}

async function harness(options: { enabled?: boolean } = {}): Promise<Harness> {
  const logins: LoginEvent[] = [];
  const repository: RepositoryEvent[] = [];
  const store = {
    audit: {
      append: async (events: { logins: LoginEvent[]; repository: RepositoryEvent[] }) => {
        logins.push(...events.logins);
        repository.push(...events.repository);
      },
      purgeBefore: async () => 0,
    },
  } as unknown as MetadataStore;
  const recorder = new AuditRecorder(store, { enabled: options.enabled ?? true, retentionDays: 30 }, { flushIntervalMs: 60_000 });
  const services = {
    audit: recorder,
    metrics: createMetrics(),
    region: 'local',
    directory: {
      resolve: async (host: string | undefined) => (host?.startsWith('other.') ? { registry: { name: 'other' }, loginServer: 'other.localhost' } : undefined),
    },
  } as unknown as AuditHookDeps;
  const app = Fastify({ logger: false, genReqId: () => randomUUID() });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-ms-correlation-request-id', request.id);
  });
  registerAuditHook(app, services);
  const place = (request: FastifyRequest) => Object.assign(auditOf(request), { registry: 'wharf', loginServer: 'wharf.localhost' });

  app.get('/oauth2/token', async (request, reply) => {
    const audit = place(request);
    audit.login = { operationName: 'Login' };
    if ((request.query as { fail?: string }).fail) {
      // As the token server does: a refused login names who tried, as an anonymous principal.
      audit.principal = { kind: 'anonymous', id: 'intruder', name: 'intruder', tenantId: null };
      return reply
        .code(401)
        .header('content-type', 'application/json')
        .send(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required: invalid credentials for intruder' }] }));
    }
    audit.principal = PRINCIPAL;
    audit.jwtId = 'jwt-1';
    audit.reason = 'credentials of service principal app-id-1 accepted';
    return { access_token: 'not-a-real-token' };
  });
  app.post('/oauth2/exchange', async (request, reply) => {
    place(request).login = { operationName: 'Exchange' };
    return reply
      .code(400)
      .header('content-type', 'application/json; charset=utf-8')
      .send({ error: 'invalid_request', error_description: 'grant_type is required' });
  });
  app.put('/arm', async (request, reply) => {
    place(request).login = { operationName: 'Login' };
    return reply
      .code(403)
      .header('content-type', 'application/json')
      .send(JSON.stringify({ error: { code: 'AuthorizationFailed', message: 'no role assignment allows this' } }));
  });
  app.get('/v2/app/manifests/:ref', async (request, reply) => {
    const audit = place(request);
    audit.principal = PRINCIPAL;
    audit.reason = 'AcrPull at the registry';
    audit.repository = {
      operationName: 'Pull',
      repository: 'app',
      tag: 'v1',
      digest: 'sha256:abc',
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: 123,
    };
    return reply.header('content-type', 'application/vnd.oci.image.manifest.v1+json').send('{}');
  });
  app.delete('/v2/app/manifests/:ref', async (request, reply) => {
    const audit = place(request);
    audit.principal = PRINCIPAL;
    audit.reason = 'the token has no delete permission';
    audit.repository = { operationName: 'Delete', repository: 'app', digest: 'sha256:abc' };
    return reply
      .code(403)
      .header('content-type', 'application/json')
      .send(JSON.stringify({ errors: [{ code: 'DENIED', message: 'a different message' }] }));
  });
  app.get('/unplaced', async (request, reply) => {
    // Refused before the handler knew its registry: the hook resolves it from the Host.
    auditOf(request).login = { operationName: 'Login' };
    return reply.code(404).send('not json');
  });
  app.get('/touched', async (request) => {
    auditOf(request).reason = 'neither a login nor a repository operation';
    return 'ok';
  });
  app.get('/plain', async () => 'ok');
  await app.ready();

  let seenLogins = 0;
  let seenRepository = 0;
  return {
    app,
    recorder,
    logins,
    repository,
    async written() {
      await recorder.flush();
      const out = { logins: logins.slice(seenLogins), repository: repository.slice(seenRepository) };
      seenLogins = logins.length;
      seenRepository = repository.length;
      return out;
    },
  };
}

describe('audit hooks', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(async () => {
    await h.app.close();
    await h.recorder.close();
  });

  it('records a successful login with every column', async () => {
    const started = Date.now();
    const res = await h.app.inject({ method: 'GET', url: '/oauth2/token', headers: { 'user-agent': 'docker/27.0 go/1.22' } });
    assert.equal(res.statusCode, 200);
    const { logins, repository } = await h.written();
    assert.equal(repository.length, 0);
    assert.equal(logins.length, 1);
    const event = logins[0]!;
    const time = Date.parse(event.timeGenerated);
    assert.ok(time >= started - 5 && time <= Date.now(), `TimeGenerated ${event.timeGenerated} is the request's start`);
    assert.equal(typeof event.durationMs, 'number');
    assert.deepEqual(
      { ...event, timeGenerated: '', durationMs: 0 },
      {
        timeGenerated: '',
        durationMs: 0,
        registry: 'wharf',
        loginServer: 'wharf.localhost',
        callerIpAddress: '127.0.0.1',
        correlationId: res.headers['x-ms-correlation-request-id'],
        identity: 'app-id-1',
        identityType: 'ServicePrincipal',
        jwtId: 'jwt-1',
        operationName: 'Login',
        resultType: 'Succeeded',
        resultDescription: '200',
        reason: 'credentials of service principal app-id-1 accepted',
        userAgent: 'docker/27.0 go/1.22',
        tenantId: 'tenant-1',
        region: 'local',
      },
    );
  });

  it('records a refused login with the identity that tried and the OCI error message as reason', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/oauth2/token?fail=1' });
    assert.equal(res.statusCode, 401);
    const [event] = (await h.written()).logins;
    assert.equal(event!.resultType, 'Failed');
    assert.equal(event!.resultDescription, '401');
    assert.equal(event!.identity, 'intruder');
    assert.equal(event!.identityType, 'anonymous');
    assert.equal(event!.jwtId, null);
    assert.equal(event!.reason, 'authentication required: invalid credentials for intruder');
    assert.equal(event!.correlationId, res.headers['x-ms-correlation-request-id']);
  });

  it('takes the reason of an OAuth error from error_description', async () => {
    assert.equal((await h.app.inject({ method: 'POST', url: '/oauth2/exchange' })).statusCode, 400);
    const [event] = (await h.written()).logins;
    assert.equal(event!.operationName, 'Exchange');
    assert.equal(event!.reason, 'grant_type is required');
  });

  it('takes the reason of an ARM error from error.message', async () => {
    assert.equal((await h.app.inject({ method: 'PUT', url: '/arm' })).statusCode, 403);
    assert.equal((await h.written()).logins[0]!.reason, 'no role assignment allows this');
  });

  it('records a repository event with the artifact columns', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/v2/app/manifests/v1' });
    assert.equal(res.statusCode, 200);
    const { logins, repository } = await h.written();
    assert.equal(logins.length, 0);
    const event = repository[0]!;
    assert.equal(event.correlationId, res.headers['x-ms-correlation-request-id']);
    assert.deepEqual(
      [event.operationName, event.repository, event.tag, event.digest, event.mediaType, event.artifactType, event.size, event.userTenantId],
      ['Pull', 'app', 'v1', 'sha256:abc', 'application/vnd.oci.image.manifest.v1+json', null, 123, 'tenant-1'],
    );
    assert.deepEqual([event.resultType, event.resultDescription, event.identity, event.reason], ['Succeeded', '200', 'app-id-1', 'AcrPull at the registry']);
  });

  it("keeps the handler's own reason over the error body's", async () => {
    assert.equal((await h.app.inject({ method: 'DELETE', url: '/v2/app/manifests/sha256:abc' })).statusCode, 403);
    const [event] = (await h.written()).repository;
    assert.deepEqual([event!.operationName, event!.tag, event!.resultType, event!.reason], ['Delete', null, 'Failed', 'the token has no delete permission']);
  });

  it('places an event by its Host when the handler did not, and falls back to the status text', async () => {
    await h.app.inject({ method: 'GET', url: '/unplaced', headers: { host: 'other.localhost:8443' } });
    await h.app.inject({ method: 'GET', url: '/unplaced', headers: { host: 'Nowhere.Example:8443' } });
    // Resolution is asynchronous; the events are queued once it answers.
    for (let i = 0; i < 100 && h.recorder.pending < 2; i++) await sleep(5);
    const { logins } = await h.written();
    assert.deepEqual(
      logins.map((e) => [e.registry, e.loginServer, e.reason]),
      [
        ['other', 'other.localhost', 'Not Found'],
        ['', 'nowhere.example', 'Not Found'],
      ],
    );
  });

  it('records nothing for requests that are neither logins nor repository operations', async () => {
    await h.app.inject({ method: 'GET', url: '/plain' });
    await h.app.inject({ method: 'GET', url: '/touched' });
    await h.app.inject({ method: 'GET', url: '/no-such-route' });
    assert.deepEqual(await h.written(), { logins: [], repository: [] });
  });
});

describe('audit hooks when auditing is disabled', () => {
  it('records nothing', async () => {
    const h = await harness({ enabled: false });
    try {
      await h.app.inject({ method: 'GET', url: '/oauth2/token' });
      await h.app.inject({ method: 'GET', url: '/v2/app/manifests/v1' });
      assert.deepEqual(await h.written(), { logins: [], repository: [] });
    } finally {
      await h.app.close();
      await h.recorder.close();
    }
  });
});

describe('reason from an error body', () => {
  const json = 'application/json; charset=utf-8';
  const cases: [string, unknown, unknown, string | undefined][] = [
    [
      'OCI errors[0].message',
      JSON.stringify({ errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }, { message: 'second' }] }),
      json,
      'requested access to the resource is denied',
    ],
    ['a Buffer body', Buffer.from(JSON.stringify({ errors: [{ message: 'from a buffer' }] })), json, 'from a buffer'],
    [
      'OAuth error_description',
      JSON.stringify({ error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' }),
      json,
      'AADSTS7000215: Invalid client secret provided.',
    ],
    ['ARM error.message', JSON.stringify({ error: { code: 'ResourceNotFound', message: 'registry x not found' } }), json, 'registry x not found'],
    ['a bare message', JSON.stringify({ message: 'plain' }), 'application/problem+json', 'plain'],
    ['an OCI error without message', JSON.stringify({ errors: [{ code: 'DENIED' }] }), json, undefined],
    ['not JSON', '<html>', 'text/html', undefined],
    ['JSON content type with a broken body', '{"errors":', json, undefined],
    ['a JSON array', '[1,2]', json, undefined],
    ['no content type', JSON.stringify({ message: 'x' }), undefined, undefined],
    ['a stream', { pipe() {} }, json, undefined],
    ['an empty body', '', json, undefined],
  ];
  for (const [name, payload, contentType, expected] of cases) {
    it(name, () => assert.equal(reasonFromErrorBody(payload, contentType), expected));
  }
  it('clips a very long message', () => {
    const reason = reasonFromErrorBody(JSON.stringify({ errors: [{ message: 'x'.repeat(5000) }] }), json)!;
    assert.equal(reason.length, 1024);
    assert.ok(reason.endsWith('…'));
  });
  it('ignores bodies too large to be error bodies', () => {
    assert.equal(reasonFromErrorBody(JSON.stringify({ message: 'y'.repeat(70_000) }), json), undefined);
  });
});
