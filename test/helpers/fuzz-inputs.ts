/**
 * Bad inputs for the endpoint fuzz suite, generated deterministically: a seeded PRNG picks
 * from families of malformed path segments, query strings, headers (Authorization, content
 * types, ranges, languages), JSON bodies (malformed, wrong types, huge numbers, nesting 10k+
 * deep), form bodies, manifests and digests. The same seed gives the same inputs, so a failure
 * found once is found again.
 */

/** mulberry32: small, fast, and good enough to spread choices over the families. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Picker {
  constructor(readonly random: () => number) {}

  int(max: number): number {
    return Math.floor(this.random() * max);
  }

  one<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  chance(p: number): boolean {
    return this.random() < p;
  }
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

export const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
export const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const deepMixed = (depth: number) => '[{"a":'.repeat(depth) + 'null' + '}]'.repeat(depth);

/**
 * Path segments as they go on the wire (undici sends bytes 0x21-0xff as they are): broken and
 * overlong percent-encodings, NUL, dot segments, over-long names, unicode.
 */
export const BAD_SEGMENTS: readonly string[] = [
  '%zz',
  '%',
  '%0',
  '%g0',
  '%00',
  'a%00b',
  '%ff',
  '%C0%AF',
  '%E0%80%80',
  '%ED%A0%80',
  '%F4%90%80%80',
  '%E2%82',
  'x%',
  '..',
  '.',
  '%2e%2e',
  '%2E',
  '..%2f..',
  '%2F',
  '%2f%2f',
  'a%2F..%2Fb',
  '%5c..%5c',
  '...',
  '....//',
  'a'.repeat(256),
  'a'.repeat(2049),
  'b'.repeat(10_000),
  'A',
  'UPPER',
  '-a',
  'a-',
  '_',
  '__',
  'a..b',
  'a__b',
  'a--b',
  '%F0%9F%90%B3',
  '%E2%80%AE',
  '%EF%BB%BF',
  '%C3%A9',
  'caf\u00e9',
  '\u00ff\u00fe',
  '%7F',
  '%0d%0a',
  '%09',
  '%20',
  '+',
  'sha256:',
  'sha256:zz',
  'sha256:' + 'a'.repeat(63),
  'sha256:' + 'A'.repeat(64),
  'sha512:' + 'a'.repeat(64),
  'md5:abc',
  'sha256',
  ':',
  'latest:tag',
  'tag@sha256',
  '@',
  '~',
  '$',
  '!',
  "'",
  '"',
  '<script>',
  '{}',
  '()',
  '*',
  '%u0041',
  '\\',
  '%%',
  '%25zz',
  '%2525',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '0',
  '-1',
  '1e309',
  '9'.repeat(40),
  "applications(appId='x')",
  "(appId='%zz')",
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
];

export const BAD_QUERIES: readonly string[] = [
  'n=-1',
  'n=0',
  'n=abc',
  'n=1e309',
  'n=99999999999999999999',
  'n=1.5',
  'n=',
  'n=1&n=2',
  'n=%zz',
  'last=%zz',
  'last=' + 'z'.repeat(5000),
  'last=%00',
  'api-version=%zz',
  'api-version=',
  'api-version=1999-01-01',
  'api-version[]=x',
  'api-version=2023-07-01&api-version=x',
  'a=%',
  '%zz=1',
  '%=%',
  '&&&',
  '=',
  '==',
  '?',
  '#',
  'digest=sha256:zz',
  'digest=%00',
  'digest=',
  'digest=sha256:' + 'a'.repeat(64),
  'digest=sha256:' + 'a'.repeat(64) + '&digest=sha512:x',
  'mount=..&from=%zz',
  'mount=sha256:zz&from=',
  'mount=%zz',
  'from=a/../b',
  'orderby=bogus',
  'orderby=%zz',
  '$filter=((((',
  "$filter=appId eq '%zz'",
  "$filter=displayName eq '" + "'".repeat(50),
  '$top=-5',
  '$top=1e309',
  '$skip=x',
  '$skiptoken=%zz',
  '$select=%00',
  '$orderby=',
  'resource=%zz',
  'resource=',
  'scope=repository:%zz:pull',
  'scope=:::',
  'scope=repository::',
  'scope=registry:catalog',
  'scope=' + 'repository:a:pull '.repeat(500),
  'service=%00',
  'service=' + 's'.repeat(3000),
  'artifactType=%zz',
  'artifactType=' + 'x'.repeat(5000),
  'force=maybe',
  'force=%zz',
  'force=',
  'client_id=%zz',
  'object_id=%zz',
  'msi_res_id=%zz',
  'mi_res_id=%25zz',
  'authorization_endpoint=%zz',
  'authorization_endpoint=javascript:x',
  'sig=%zz&se=%zz&r=%zz',
  'se=-1',
  'se=99999999999999999999',
  'x=' + '%41'.repeat(3000),
  'unicode=%E2%80%AE%F0%9F%90%B3',
  'bad=%ED%A0%80',
  'nul=%00%00',
  '$expand=*',
  'timeout=-1',
  'top=NaN',
  'skip=Infinity',
  'maxresults=-1',
];

const BAD_JWTS: readonly string[] = [
  'a.b.c',
  'a.b',
  'a..c',
  '...',
  'eyJ',
  'eyJhbGciOiJub25lIn0.e30.',
  `${b64url('{"alg":"none","typ":"JWT"}')}.${b64url('{"sub":"x"}')}.`,
  `${b64url('{"alg":"RS256","kid":"../../x"}')}.${b64url('{"exp":1e309}')}.${b64url('sig')}`,
  `${b64url('{"alg":"HS256"}')}.${b64url('{"iss":"x","aud":["a",1,null],"exp":"soon"}')}.AAAA`,
  `${b64url('not json')}.${b64url('also not')}.x`,
  `${b64url('[]')}.${b64url('[]')}.x`,
  `${b64url('{"alg":"RS256"}')}.${b64url(deepArray(5000))}.x`,
  `${b64url('{"alg":"RS256","kid":' + deepObject(3000) + '}')}.e30.x`,
  'x'.repeat(20_000),
  '%zz.%zz.%zz',
  '\u00ff\u00fe.\u00ff.\u00ff',
];

export function badAuthorization(pick: Picker): string {
  return pick.one([
    'Basic',
    'Basic ',
    'Basic %%%',
    'Basic ====',
    `Basic ${b64('nocolon')}`,
    `Basic ${b64(':')}`,
    `Basic ${b64(':pw')}`,
    `Basic ${b64('user:')}`,
    `Basic ${b64('a'.repeat(5000) + ':' + 'b'.repeat(5000))}`,
    `Basic ${b64('\u0000:\u0000')}`,
    `Basic ${b64('%zz:%zz')}`,
    `Basic ${b64('\u00ff\u00fe:x')}`,
    'Basic ' + 'A'.repeat(30_000),
    'Bearer',
    'Bearer ',
    'bearer x',
    'BEARER a.b.c',
    'Negotiate abc',
    'Digest username="x"',
    'Token abc',
    '   ',
    'Basic a b c',
    'Bearer a b c',
    ...BAD_JWTS.map((jwt) => `Bearer ${jwt}`),
    pick.one(BAD_JWTS),
  ]);
}

/** One header that is wrong for most endpoints: [name, value]. */
export function badHeader(pick: Picker): [string, string] {
  const family = pick.int(9);
  switch (family) {
    case 0:
      return ['authorization', badAuthorization(pick)];
    case 1:
      return [
        'content-type',
        pick.one([
          'application/json; charset=utf-99',
          ';;;',
          'text/plain',
          'multipart/form-data; boundary=',
          'application/x-www-form-urlencoded',
          '/',
          'application/',
          '*/*',
          'application/json; charset',
          'application/json;;charset=utf-8;',
          'x'.repeat(5000),
          'application/vnd.oci.image.manifest.v1+json; q=abc',
          'application/vnd.docker.distribution.manifest.v1+prettyjws',
          'image/png',
          'application/octet-stream',
          'application/json; charset="',
          '\u00ff/\u00fe',
        ]),
      ];
    case 2:
      return [
        'range',
        pick.one([
          'bytes=5-2',
          'bytes=-',
          'bytes=abc',
          'bytes=0-99999999999999999999',
          'bytes=0-1,2-3',
          'items=0-1',
          'bytes=-0',
          'bytes=1e3-2e3',
          'bytes=18446744073709551616-',
          'bytes',
          '=',
          'bytes=0--1',
          'bytes= 0-1',
          'bytes=9007199254740993-9007199254740994',
        ]),
      ];
    case 3:
      return [
        'content-range',
        pick.one([
          '0-',
          '5-2',
          'abc',
          '0-99999999999999999999',
          'bytes 0-1/2',
          '-1-0',
          '0-0-0',
          '1e3-2e3',
          '',
          '18446744073709551615-18446744073709551616',
          '0-9007199254740993',
          ' 0-1',
          '0x0-0x1',
          'NaN-NaN',
        ]),
      ];
    case 4:
      return ['accept', pick.one(['application/vnd.oci.image.manifest.v1+json;q=abc', ';;', '*/*;q=-1', 'x'.repeat(9000), '%zz', 'application/json, ,,,'])];
    case 5:
      return ['accept-language', pick.one(['xx;q=abc', 'zz-ZZZZ;q=2', '*;q=-1', ',,,', 'fr-CA;q=0.5, pt;q=1e309', 'a'.repeat(5000), '\u00ff', 'sv;q=NaN'])];
    case 6:
      return [
        'host',
        pick.one([
          'wharf.localhost:99999',
          '[::1]:1',
          '%zz',
          'a'.repeat(300),
          '..',
          'wharf.localhost.',
          'WHARF.LOCALHOST',
          '-bad-.localhost',
          'x.data.localhost',
          'wharf.eastus.data.localhost',
          '127.0.0.1:0',
          '@evil',
          ':',
        ]),
      ];
    case 7:
      return [
        pick.one(['metadata', 'x-ms-client-request-id', 'client-request-id', 'docker-content-digest', 'if-none-match', 'x-forwarded-for', 'user-agent']),
        pick.one(['false', '%zz', 'x'.repeat(9000), 'sha256:zz', '999.999.999.999', '::::', '\u00ff\u00fe', 'true, true', '']),
      ];
    default:
      return ['content-encoding', pick.one(['gzip', 'br', 'deflate', 'x-bogus', 'gzip, gzip'])];
  }
}

/** A JSON value as text, of a type or size the field does not expect. */
export function wrongJsonValue(pick: Picker): string {
  return pick.one([
    '1',
    '-1',
    '0',
    '1e309',
    '-1e309',
    '123456789012345678901234567890',
    '0.5',
    '-0',
    'true',
    'false',
    'null',
    '""',
    '"x"',
    '" "',
    JSON.stringify('x'.repeat(100_000)),
    '[]',
    '[1,2]',
    '[null]',
    '[[]]',
    '{}',
    '{"a":1}',
    '"\\ud800"',
    '"%zz"',
    '"\\u0000"',
    '"\\u202e"',
    deepArray(20),
    deepArray(20_000),
    deepObject(20_000),
    deepMixed(10_000),
    '"../../etc/passwd"',
    '"2023-13-45T99:99:99Z"',
    '{"__proto__":{"polluted":1}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '["a",1,{},[]]',
    '"sha256:zz"',
    '"not-a-guid"',
    `[${Array.from({ length: 5000 }, () => '"x"').join(',')}]`,
    `{${Array.from({ length: 2000 }, (_, i) => `"k${i}":"v"`).join(',')}}`,
  ]);
}

/** Sets `path` (a.b.c) to the raw JSON text `value` in a JSON object written as text. */
export function jsonWith(path: string, value: string): string {
  const parts = path.split('.');
  return parts.map((p) => `{${JSON.stringify(p)}:`).join('') + value + '}'.repeat(parts.length);
}

export function malformedJson(pick: Picker): string | Buffer {
  return pick.one<string | Buffer>([
    '{',
    '}',
    '{"a":}',
    '{"a" 1}',
    '{a:1}',
    "{'a':1}",
    '[',
    '"',
    'NaN',
    'Infinity',
    'undefined',
    '{"a":1,}',
    '{"a":01}',
    '\u0000',
    ' ',
    '\ufeff{}',
    '{"a":"\\x"}',
    '{"a":"\\u12"}',
    '{"a":1}{"b":2}',
    '1 2',
    '// comment\n{}',
    '/*x*/{}',
    '{"a":1e99999}',
    'null',
    'true',
    '1',
    '"text"',
    '[]',
    '[1]',
    'x'.repeat(10_000),
    deepArray(10_000),
    deepObject(10_000),
    deepArray(100_000),
    deepObject(100_000),
    deepMixed(30_000),
    '['.repeat(50_000),
    '{"a":'.repeat(50_000),
    `{"properties":${deepArray(30_000)}}`,
    `{"properties":{"tags":${deepObject(30_000)}}}`,
    '{"a":1,"a":2,"a":3}',
    Buffer.from([0xff, 0xfe, 0xfd, 0x7b, 0x7d]),
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
    Buffer.from('{"a":"\u0000\u0001"}'),
  ]);
}

/** A JSON object body with one wrong field among `fields` (dotted paths), or a malformed body. */
export function badJsonBody(pick: Picker, fields: readonly string[]): string | Buffer {
  if (fields.length === 0 || pick.chance(0.35)) return malformedJson(pick);
  return jsonWith(pick.one(fields), wrongJsonValue(pick));
}

/** Form fields of the OAuth token endpoints, with bad values or a malformed body. */
export function badForm(pick: Picker, fields: readonly string[], base: Record<string, string>): string {
  if (pick.chance(0.2)) {
    return pick.one([
      '%zz',
      '=&=&=',
      '%',
      'a=%zz&b=%',
      'grant_type',
      '&&&&',
      'x'.repeat(70_000),
      '%00=%00',
      `${'a='.repeat(20_000)}`,
      'grant_type=client_credentials&grant_type=password',
      '\u00ff\u00fe=\u00ff',
      deepArray(10_000),
      '{"grant_type":"password"}',
    ]);
  }
  const form = new URLSearchParams(base);
  const field = pick.one(fields);
  const value = pick.one([
    '',
    ' ',
    '%zz',
    'x'.repeat(10_000),
    'a.b.c',
    'eyJhbGciOiJub25lIn0.e30.',
    ...BAD_JWTS.slice(0, 8),
    '\u0000',
    '\u202e',
    'caf\u00e9',
    'repository:a:pull',
    'repository:%zz:pull',
    'repository:::',
    'registry:catalog:*',
    'https://management.azure.com/.default',
    '.default',
    'openid offline_access',
    'urn:ietf:params:oauth:grant-type:jwt-bearer',
    'password',
    'client_credentials',
    'refresh_token',
    'authorization_code',
    'device_code',
    'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    '00000000-0000-0000-0000-000000000000',
    '-1',
    '1e309',
  ]);
  if (pick.chance(0.3)) form.append(field, value);
  else form.set(field, value);
  return form.toString();
}

/** An image manifest with one thing wrong. */
export function badManifest(pick: Picker, config: { digest: string; size: number }, layer: { digest: string; size: number }): string | Buffer {
  const good = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
  };
  if (pick.chance(0.3)) return malformedJson(pick);
  const field = pick.one([
    'schemaVersion',
    'mediaType',
    'config',
    'config.digest',
    'config.size',
    'config.mediaType',
    'layers',
    'subject',
    'subject.digest',
    'manifests',
    'annotations',
    'artifactType',
    'layers.0.digest',
    'layers.0.size',
    'layers.0.urls',
    'fsLayers',
    'signatures',
  ]);
  const value = pick.one([
    wrongJsonValue(pick),
    '"sha256:zz"',
    '"sha256:' + 'A'.repeat(64) + '"',
    '"md5:' + 'a'.repeat(32) + '"',
    '9007199254740993',
    '-1',
    '1e308',
    '{"digest":"sha256:' + '0'.repeat(64) + '","size":-5}',
    '[{"digest":"%zz","size":1,"mediaType":"x"}]',
    '"\\u0000"',
  ]);
  const copy = JSON.parse(JSON.stringify(good)) as Record<string, unknown>;
  const text = JSON.stringify(copy);
  // Splice the raw value in: the value may be deeper or larger than JSON.stringify would write.
  const [head, second] = field.split('.');
  if (second === undefined) return text.slice(0, -1) + `,${JSON.stringify(head)}:${value}}`;
  if (head === 'layers') {
    const key = field.split('.')[2]!;
    return text.replace('"layers":[{', `"layers":[{${JSON.stringify(key)}:${value},`);
  }
  return text.slice(0, -1) + `,${JSON.stringify(head)}:{${JSON.stringify(second)}:${value}}}`;
}
