/**
 * The audit trail as the management API shows it: ACR's column names, and the query
 * parameters of /loginEvents and /repositoryEvents read into a store filter.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuditQueryError, auditFilterFromQuery, loginRow, repositoryRow } from '../../src/audit/acr-rows.js';
import type { AuditFilter, LoginEvent, RepositoryEvent } from '../../src/storage/metadata/access-records.js';

const LOGIN: LoginEvent = {
  timeGenerated: '2024-05-01T12:00:00.000Z',
  registry: 'wharf',
  loginServer: 'wharf.localhost',
  callerIpAddress: '127.0.0.1',
  correlationId: 'c-1',
  durationMs: 12,
  identity: 'app',
  identityType: 'ServicePrincipal',
  jwtId: 'j-1',
  operationName: 'Login',
  resultType: 'Failed',
  resultDescription: '401',
  reason: 'invalid client secret',
  userAgent: 'docker',
  tenantId: 't-1',
  region: 'local',
};

describe('ACR rows', () => {
  it('names login columns as ContainerRegistryLoginEvents does, DurationMs as a string', () => {
    assert.deepEqual(loginRow(LOGIN), {
      TimeGenerated: '2024-05-01T12:00:00.000Z',
      Category: 'ContainerRegistryLoginEvents',
      Type: 'ContainerRegistryLoginEvents',
      CallerIpAddress: '127.0.0.1',
      CorrelationId: 'c-1',
      DurationMs: '12',
      Identity: 'app',
      IdentityType: 'ServicePrincipal',
      JwtId: 'j-1',
      LoginServer: 'wharf.localhost',
      OperationName: 'Login',
      Region: 'local',
      ResultDescription: '401',
      ResultType: 'Failed',
      Reason: 'invalid client secret',
      UserAgent: 'docker',
      TenantId: 't-1',
      Count: 1,
    });
    assert.equal(loginRow({ ...LOGIN, count: 2980 }).Count, 2980, 'a coalesced row says how many requests it stands for');
  });

  it('names repository columns as ContainerRegistryRepositoryEvents does', () => {
    const { jwtId: _jwt, tenantId: _tenant, ...common } = LOGIN;
    const event: RepositoryEvent = {
      ...common,
      operationName: 'Push',
      resultType: 'Succeeded',
      resultDescription: '201',
      reason: 'AcrPush',
      repository: 'hello/world',
      tag: 'v1',
      digest: 'sha256:aa',
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: null,
      size: 512,
      userTenantId: 't-1',
    };
    const row = repositoryRow(event);
    assert.equal(row.Category, 'ContainerRegistryRepositoryEvents');
    assert.deepEqual(
      [
        row.OperationName,
        row.Repository,
        row.Tag,
        row.Digest,
        row.MediaType,
        row.ArtifactType,
        row.Size,
        row.UserTenantId,
        row.DurationMs,
        row.ResultDescription,
      ],
      ['Push', 'hello/world', 'v1', 'sha256:aa', 'application/vnd.oci.image.manifest.v1+json', null, 512, 't-1', '12', '201'],
    );
  });
});

describe('audit query parameters', () => {
  const ok: [string, Record<string, unknown>, AuditFilter][] = [
    ['nothing: the newest 100', {}, { registry: 'r', limit: 100 }],
    ['failuresOnly=true', { failuresOnly: 'true' }, { registry: 'r', limit: 100, failuresOnly: true }],
    ['failuresOnly=False', { failuresOnly: 'False' }, { registry: 'r', limit: 100, failuresOnly: false }],
    [
      'every text filter',
      { identity: 'app', callerIpAddress: '::1', operationName: 'Pull', correlationId: 'c', repository: 'a/b' },
      { registry: 'r', limit: 100, identity: 'app', callerIpAddress: '::1', operationName: 'Pull', correlationId: 'c', repository: 'a/b' },
    ],
    ['empty text filters are no filters', { identity: '', operationName: '' }, { registry: 'r', limit: 100 }],
    [
      'times normalised to ISO UTC',
      { from: '2024-05-01T14:00:00+02:00', to: '2024-05-02' },
      { registry: 'r', limit: 100, from: '2024-05-01T12:00:00.000Z', to: '2024-05-02T00:00:00.000Z' },
    ],
    ['top', { top: '5' }, { registry: 'r', limit: 5 }],
    ['$top', { $top: '10000' }, { registry: 'r', limit: 10000 }],
    ['unknown parameters are ignored', { 'api-version': '2023-07-01', other: 'x' }, { registry: 'r', limit: 100 }],
  ];
  for (const [name, query, expected] of ok) it(name, () => assert.deepEqual(auditFilterFromQuery('r', query), expected));

  const bad: [string, Record<string, unknown>, string, RegExp][] = [
    ['failuresOnly=yes', { failuresOnly: 'yes' }, 'failuresOnly', /true or false/],
    ['a date that is not one', { from: 'yesterday' }, 'from', /ISO 8601/],
    ['from after to', { from: '2024-05-02T00:00:00Z', to: '2024-05-01T00:00:00Z' }, 'from', /after/],
    ['top=0', { top: '0' }, 'top', /1 to 10000/],
    ['top too large', { top: '10001' }, 'top', /1 to 10000/],
    ['top not a number', { top: '5x' }, 'top', /whole number/],
    ['a repeated parameter', { identity: ['a', 'b'] }, 'identity', /once/],
  ];
  for (const [name, query, parameter, message] of bad) {
    it(`refuses ${name}`, () =>
      assert.throws(
        () => auditFilterFromQuery('r', query),
        (error: unknown) => error instanceof AuditQueryError && error.parameter === parameter && message.test(error.message),
      ));
  }
});
