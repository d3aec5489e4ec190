/**
 * The server's JWT signing keys: RSA 2048, RS256 only. Kept in the metadata store (private
 * halves sealed with the master key) so every node signs and verifies with the same keys.
 * Rotation adds a key that signs from then on; retired keys keep verifying for a grace period
 * longer than any token lives, and are published in the JWKS until then.
 */
import { generateKeyPairSync, randomUUID, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { SigningKeyRecord } from '../storage/metadata/access-records.js';
import type { MetadataStore } from '../storage/metadata/store.js';
import type { Sealer } from '../kernel/secrets.js';
import type { ChangeEvent } from '../domain/change-events.js';
import { localize, type Text } from '../i18n/localized.js';
import { identityMessages } from './identity-messages.js';

const JWT_ALGORITHM = 'RS256';
/** Retired keys verify for this long: more than the longest token lifetime. */
const VERIFY_GRACE_MS = 24 * 3600 * 1000;
/** Other nodes may rotate; reload at most this often (or when an unknown kid shows up). */
const RELOAD_MS = 60_000;
/**
 * An unknown kid reloads the ring at most this often: a key another node just made shows up
 * within seconds, and a flood of tokens with made-up kids costs no more than one reload.
 */
const UNKNOWN_KID_RELOAD_MS = 5_000;

interface LoadedKey {
  record: SigningKeyRecord;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

interface SignOptions {
  issuer: string;
  audience: string | string[];
  subject?: string;
  /** Seconds. */
  lifetime: number;
  jwtId?: string;
}

interface VerifyOptions {
  issuer: string | string[];
  audience: string | string[];
  /** Seconds of clock skew allowed on nbf and exp (default 30). */
  clockTolerance?: number;
}

/** Why a token was refused, in words fit for an error body and the audit log. */
export class TokenRejected extends Error {
  constructor(
    readonly reason: 'expired' | 'not-yet-valid' | 'bad-signature' | 'wrong-audience' | 'wrong-issuer' | 'malformed',
    message: Text,
  ) {
    super(String(message));
    this.text = message;
  }

  /** The reason in every language; `message` is its English text. */
  readonly text: Text;
}

export class KeyRing {
  private keys: LoadedKey[] = [];
  private loadedAt = 0;
  private reloading: Promise<void> | null = null;

  constructor(
    private readonly store: MetadataStore,
    private readonly sealer: Sealer,
  ) {}

  /** Loads the keys, creating the first one on a new store. */
  async init(): Promise<this> {
    await this.reload();
    if (!this.active()) await this.rotate();
    return this;
  }

  private async reload(): Promise<void> {
    const records = await this.store.signingKeys.list();
    const cutoff = Date.now() - VERIFY_GRACE_MS;
    this.keys = records
      .filter((r) => r.retiredAt === null || Date.parse(r.retiredAt) > cutoff)
      .map((record) => ({
        record,
        publicKey: createPublicKey({ key: record.publicJwk as import('node:crypto').JsonWebKey, format: 'jwk' }),
        privateKey: createPrivateKey(this.sealer.open(record.sealedPrivateKey)),
      }));
    this.loadedAt = Date.now();
  }

  private async fresh(force = false): Promise<void> {
    if (Date.now() - this.loadedAt < (force ? UNKNOWN_KID_RELOAD_MS : RELOAD_MS)) return;
    this.reloading ??= this.reload().finally(() => {
      this.reloading = null;
    });
    await this.reloading;
  }

  /**
   * A `key` change event (a rotation through the management plane, or, once events cross nodes,
   * on another node): the next signature or verification reloads the keys instead of waiting
   * for the reload period.
   */
  onChange(event: ChangeEvent): void {
    if (event.kind === 'key') this.loadedAt = 0;
  }

  private active(): LoadedKey | undefined {
    return this.keys.find((k) => k.record.retiredAt === null);
  }

  /** Adds a new signing key and retires the others (they still verify during the grace period). */
  async rotate(): Promise<string> {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = randomUUID();
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: JWT_ALGORITHM };
    const createdAt = new Date().toISOString();
    await this.store.signingKeys.add({
      kid,
      algorithm: JWT_ALGORITHM,
      publicJwk: jwk as JsonWebKey,
      sealedPrivateKey: this.sealer.seal(privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()),
      createdAt,
      retiredAt: null,
    });
    for (const key of this.keys) if (key.record.retiredAt === null) await this.store.signingKeys.retire(key.record.kid, createdAt);
    await this.reload();
    return kid;
  }

  async sign(claims: JWTPayload, options: SignOptions): Promise<string> {
    await this.fresh();
    const key = this.active();
    if (!key) throw new Error('no active signing key');
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: JWT_ALGORITHM, typ: 'JWT', kid: key.record.kid })
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + options.lifetime)
      .setJti(options.jwtId ?? randomUUID());
    if (options.subject) jwt.setSubject(options.subject);
    return jwt.sign(key.privateKey);
  }

  /** Verifies signature (RS256 only), issuer, audience, nbf and exp; throws TokenRejected. */
  async verify(token: string, options: VerifyOptions): Promise<JWTPayload> {
    await this.fresh();
    const lookup = async (header: { kid?: string; alg?: string }) => {
      let key = this.keys.find((k) => k.record.kid === header.kid);
      if (!key) {
        await this.fresh(true);
        key = this.keys.find((k) => k.record.kid === header.kid);
      }
      if (!key) throw new TokenRejected('bad-signature', localize(identityMessages, 'tokenUnknownKey', { kid: header.kid ?? '' }));
      return key.publicKey;
    };
    try {
      const { payload } = await jwtVerify(token, lookup, {
        algorithms: [JWT_ALGORITHM],
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: options.clockTolerance ?? 30,
      });
      return payload;
    } catch (error) {
      throw toRejection(error);
    }
  }

  /** The public keys, as a JWKS document. */
  async jwks(): Promise<{ keys: JsonWebKey[] }> {
    await this.fresh();
    return { keys: this.keys.map((k) => k.record.publicJwk) };
  }
}

function toRejection(error: unknown): TokenRejected {
  if (error instanceof TokenRejected) return error;
  if (error instanceof joseErrors.JWTExpired) return new TokenRejected('expired', localize(identityMessages, 'tokenExpired'));
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return new TokenRejected('wrong-audience', localize(identityMessages, 'tokenOtherAudience'));
    if (error.claim === 'iss') return new TokenRejected('wrong-issuer', localize(identityMessages, 'tokenOtherIssuer'));
    if (error.claim === 'nbf') return new TokenRejected('not-yet-valid', localize(identityMessages, 'tokenNotYetValid'));
    return new TokenRejected('malformed', localize(identityMessages, 'tokenClaimInvalid', { claim: error.claim }));
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return new TokenRejected('bad-signature', localize(identityMessages, 'tokenBadSignature'));
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new TokenRejected('bad-signature', localize(identityMessages, 'tokenNotRs256'));
  return new TokenRejected('malformed', localize(identityMessages, 'tokenNotJwt'));
}
