/**
 * Short-lived signed blob URLs for dedicated data endpoints. The login server authorizes a
 * pull, then redirects to `https://<registry>.<region>.data.<domain>/docker/registry/v2/blobs/
 * <alg>/<2 hex>/<hex>/data?se=<expiry>&sig=<signature>&r=<registry>`; the data endpoint serves
 * the bytes on the signature alone (it sees no credentials). The signature is HMAC-SHA256 over
 * registry, region, digest and expiry under a key derived from the master key, so any node of
 * the installation can verify what another one signed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The HKDF label of the signing key (see Sealer.deriveKey); changing it voids every URL. */
export const DATA_URL_KEY_LABEL = 'data-endpoint-urls/v1';

/** What a signature binds. Names compare case-insensitively (hosts are lower case). */
interface DataUrlSubject {
  registry: string;
  region: string;
  /** `<alg>:<hex>` */
  digest: string;
}

interface SignedDataUrl {
  /** Unix seconds after which the URL is refused. */
  expiry: number;
  /** base64url HMAC-SHA256. */
  sig: string;
}

type DataUrlCheck = { ok: true } | { ok: false; why: 'expired' | 'invalid' };

export class DataUrlSigner {
  /**
   * @param key 32 bytes, the same on every node (Sealer.deriveKey(DATA_URL_KEY_LABEL)).
   * @param lifetimeSeconds how long a signed URL is valid.
   * @param now the clock, in ms (tests pass their own).
   */
  constructor(
    private readonly key: Buffer,
    readonly lifetimeSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    if (key.length < 32) throw new Error('the data URL key must be at least 32 bytes');
    if (!(lifetimeSeconds > 0)) throw new Error('the data URL lifetime must be positive');
  }

  sign(subject: DataUrlSubject): SignedDataUrl {
    const expiry = Math.floor(this.now() / 1000) + Math.round(this.lifetimeSeconds);
    return { expiry, sig: this.mac(subject, expiry).toString('base64url') };
  }

  /** `se` and `sig` as they came in the query (absent, malformed or wrong are all 'invalid'). */
  verify(subject: DataUrlSubject, se: string | undefined, sig: string | undefined): DataUrlCheck {
    if (se === undefined || sig === undefined || !/^\d{1,12}$/.test(se) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) {
      return { ok: false, why: 'invalid' };
    }
    const expiry = Number(se);
    // Compared as text: base64url has several spellings of the same last bits, only the canonical one is accepted.
    const expected = Buffer.from(this.mac(subject, expiry).toString('base64url'));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, why: 'invalid' };
    // Checked after the MAC, so an expired URL is reported as such only when it was genuine.
    if (Math.floor(this.now() / 1000) > expiry) return { ok: false, why: 'expired' };
    return { ok: true };
  }

  private mac(subject: DataUrlSubject, expiry: number): Buffer {
    // Newline-separated: none of the fields can contain one, so no two subjects share a message.
    const message = ['v1', subject.registry.toLowerCase(), subject.region.toLowerCase(), subject.digest, String(expiry)].join('\n');
    return createHmac('sha256', this.key).update(message).digest();
  }
}

/** `/docker/registry/v2/blobs/<alg>/<first 2 hex>/<hex>/data`, the layout ACR's data endpoints use. */
export function dataBlobPath(digest: string): string {
  const colon = digest.indexOf(':');
  const alg = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  return `/docker/registry/v2/blobs/${alg}/${hex.slice(0, 2)}/${hex}/data`;
}

/** The digest named by a data blob path's parts, or undefined when they do not agree. */
export function digestOfDataPath(alg: string, prefix: string, hex: string): string | undefined {
  const lengths: Record<string, number> = { sha256: 64, sha512: 128 };
  const length = lengths[alg];
  if (length === undefined || hex.length !== length || !/^[0-9a-f]+$/.test(hex) || prefix !== hex.slice(0, 2)) return undefined;
  return `${alg}:${hex}`;
}

/** The whole redirect target. */
export function dataBlobUrl(options: {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  digest: string;
  registry: string;
  signed: SignedDataUrl;
}): string {
  const query = new URLSearchParams({ se: String(options.signed.expiry), sig: options.signed.sig, r: options.registry });
  return `${options.scheme}://${options.host}:${options.port}${dataBlobPath(options.digest)}?${query.toString()}`;
}
