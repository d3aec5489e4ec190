import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { DATA_URL_KEY_LABEL, DataUrlSigner, dataBlobPath, dataBlobUrl, digestOfDataPath } from '../../src/network/data-endpoint-urls.js';
import { Sealer } from '../../src/kernel/secrets.js';

const DIGEST = `sha256:${'ab12'.repeat(16)}`;
const SUBJECT = { registry: 'contoso', region: 'westeurope', digest: DIGEST };
const T0 = 1_700_000_000_000;

/** A base64url character that decodes to the same 4 high bits (the last character of 32 bytes keeps only those). */
function otherSpelling(last: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const index = alphabet.indexOf(last);
  return alphabet[index ^ 1]!;
}

function signerAt(clock: { now: number }, key: Buffer = Buffer.alloc(32, 7), lifetimeSeconds = 600): DataUrlSigner {
  return new DataUrlSigner(key, lifetimeSeconds, () => clock.now);
}

describe('signed data endpoint URLs', () => {
  it('a URL verifies for the subject it was signed for, until it expires', () => {
    const clock = { now: T0 };
    const signer = signerAt(clock);
    const signed = signer.sign(SUBJECT);
    assert.equal(signed.expiry, T0 / 1000 + 600);
    assert.match(signed.sig, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(signer.verify(SUBJECT, String(signed.expiry), signed.sig), { ok: true });
    clock.now = T0 + 600_000;
    assert.deepEqual(signer.verify(SUBJECT, String(signed.expiry), signed.sig), { ok: true }, 'valid through its expiry second');
    clock.now = T0 + 601_000;
    assert.deepEqual(signer.verify(SUBJECT, String(signed.expiry), signed.sig), { ok: false, why: 'expired' });
  });

  it('names compare case-insensitively, digests do not', () => {
    const signer = signerAt({ now: T0 });
    const signed = signer.sign(SUBJECT);
    assert.equal(signer.verify({ ...SUBJECT, registry: 'Contoso', region: 'WestEurope' }, String(signed.expiry), signed.sig).ok, true);
    assert.equal(signer.verify({ ...SUBJECT, digest: DIGEST.toUpperCase() }, String(signed.expiry), signed.sig).ok, false);
  });

  const tampered: [string, (s: { se: string; sig: string }) => [typeof SUBJECT, string | undefined, string | undefined]][] = [
    ['another registry', (s) => [{ ...SUBJECT, registry: 'fabrikam' }, s.se, s.sig]],
    ['another region', (s) => [{ ...SUBJECT, region: 'eastus' }, s.se, s.sig]],
    ['another digest', (s) => [{ ...SUBJECT, digest: `sha256:${'cd34'.repeat(16)}` }, s.se, s.sig]],
    ['a later expiry', (s) => [SUBJECT, String(Number(s.se) + 3600), s.sig]],
    ['an earlier expiry', (s) => [SUBJECT, String(Number(s.se) - 1), s.sig]],
    ['one changed signature character', (s) => [SUBJECT, s.se, (s.sig[0] === 'A' ? 'B' : 'A') + s.sig.slice(1)]],
    ['another spelling of the last signature character', (s) => [SUBJECT, s.se, s.sig.slice(0, 42) + otherSpelling(s.sig[42]!)]],
    ['a truncated signature', (s) => [SUBJECT, s.se, s.sig.slice(0, 42)]],
    ['padding on the signature', (s) => [SUBJECT, s.se, `${s.sig}=`]],
    ['no signature', (s) => [SUBJECT, s.se, undefined]],
    ['no expiry', (s) => [SUBJECT, undefined, s.sig]],
    ['a non-numeric expiry', (s) => [SUBJECT, `${s.se}.0`, s.sig]],
    ['an empty signature', (s) => [SUBJECT, s.se, '']],
  ];
  for (const [what, change] of tampered) {
    it(`${what} is invalid`, () => {
      const signer = signerAt({ now: T0 });
      const signed = signer.sign(SUBJECT);
      const [subject, se, sig] = change({ se: String(signed.expiry), sig: signed.sig });
      assert.deepEqual(signer.verify(subject, se, sig), { ok: false, why: 'invalid' });
    });
  }

  it('an expired URL with a forged signature is invalid, not expired', () => {
    const clock = { now: T0 };
    const signer = signerAt(clock);
    const signed = signer.sign(SUBJECT);
    clock.now = T0 + 3_600_000;
    assert.deepEqual(signer.verify(SUBJECT, String(signed.expiry), `${'A'.repeat(42)}A`), { ok: false, why: 'invalid' });
  });

  it('nodes sharing the master key agree; another master key does not', () => {
    const master = randomBytes(32);
    const clock = { now: T0 };
    const nodeA = signerAt(clock, new Sealer(master).deriveKey(DATA_URL_KEY_LABEL));
    const nodeB = signerAt(clock, new Sealer(Buffer.from(master)).deriveKey(DATA_URL_KEY_LABEL));
    const other = signerAt(clock, new Sealer(randomBytes(32)).deriveKey(DATA_URL_KEY_LABEL));
    const signed = nodeA.sign(SUBJECT);
    assert.equal(nodeB.verify(SUBJECT, String(signed.expiry), signed.sig).ok, true);
    assert.equal(other.verify(SUBJECT, String(signed.expiry), signed.sig).ok, false);
  });

  it('derived keys differ by label and from the master key', () => {
    const master = randomBytes(32);
    const sealer = new Sealer(master);
    const a = sealer.deriveKey(DATA_URL_KEY_LABEL);
    assert.equal(a.length, 32);
    assert.notDeepEqual(a, master);
    assert.notDeepEqual(a, sealer.deriveKey('something-else'));
    assert.deepEqual(a, sealer.deriveKey(DATA_URL_KEY_LABEL));
  });
});

describe('data endpoint blob paths', () => {
  it('lays a digest out as <alg>/<2 hex>/<hex>/data', () => {
    assert.equal(dataBlobPath(DIGEST), `/docker/registry/v2/blobs/sha256/ab/${'ab12'.repeat(16)}/data`);
    const sha512 = `sha512:${'0f'.repeat(64)}`;
    assert.equal(dataBlobPath(sha512), `/docker/registry/v2/blobs/sha512/0f/${'0f'.repeat(64)}/data`);
  });

  it('parses the parts back only when they agree', () => {
    const hex = 'ab12'.repeat(16);
    assert.equal(digestOfDataPath('sha256', 'ab', hex), DIGEST);
    assert.equal(digestOfDataPath('sha256', 'cd', hex), undefined, 'prefix disagrees');
    assert.equal(digestOfDataPath('sha512', 'ab', hex), undefined, 'length of another algorithm');
    assert.equal(digestOfDataPath('md5', 'ab', hex), undefined);
    assert.equal(digestOfDataPath('sha256', 'AB', hex.toUpperCase()), undefined, 'upper-case hex');
    assert.equal(digestOfDataPath('sha256', 'ab', `${hex.slice(0, 63)}g`), undefined);
  });

  it('builds the whole redirect target', () => {
    const url = new URL(
      dataBlobUrl({
        scheme: 'https',
        host: 'contoso.westeurope.data.example.com',
        port: 8443,
        digest: DIGEST,
        registry: 'contoso',
        signed: { expiry: 1700000600, sig: 'abc_-' },
      }),
    );
    assert.equal(url.host, 'contoso.westeurope.data.example.com:8443');
    assert.equal(url.pathname, dataBlobPath(DIGEST));
    assert.deepEqual(Object.fromEntries(url.searchParams), { se: '1700000600', sig: 'abc_-', r: 'contoso' });
  });
});
