/**
 * Secrets at rest. Passwords and client secrets are kept as scrypt hashes and checked in
 * constant time; the few values ACR shows again (admin passwords, signing keys) are sealed
 * with AES-256-GCM under the server's master key.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 };

/** Two scrypt computations at once, at most: see SecretHasher. */
const SCRYPT_SLOTS = 2;

/**
 * Hashes and checks secrets with scrypt. scrypt runs on libuv's thread pool (4 threads), which
 * file I/O shares: a burst of password checks must not take all of it, or every blob read and
 * write waits behind them. Two run at once; the rest wait their turn (the login throttle bounds
 * how many can wait per address). The pool is the process's, so the process has one hasher
 * (start.ts wires it) and everything that hashes or checks a secret is given it.
 */
export class SecretHasher {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  /** `scrypt$N$r$p$<salt b64>$<hash b64>` */
  async hash(secret: string): Promise<string> {
    const salt = randomBytes(16);
    const hash = await this.scrypt(secret, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 64 * 1024 * 1024 });
    return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$');
  }

  async verify(secret: string, stored: string): Promise<boolean> {
    const parts = stored.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
    const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
    const salt = Buffer.from(parts[4]!, 'base64');
    const expected = Buffer.from(parts[5]!, 'base64');
    const actual = await this.scrypt(secret, salt, expected.length, { N, r, p, maxmem: 64 * 1024 * 1024 });
    return timingSafeEqual(actual, expected);
  }

  private async scrypt(secret: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
    await this.slot();
    try {
      return await new Promise((resolve, reject) => scrypt(secret, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))));
    } finally {
      this.release();
    }
  }

  private async slot(): Promise<void> {
    if (this.running < SCRYPT_SLOTS) {
      this.running++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}

/**
 * A random secret of `bytes` bytes, URL-safe base64 (Entra's and ACR's secrets look alike),
 * never starting with '-': `az login -p -x…` and `docker login -p -x…` read such a secret as an
 * option and fail ("argument --password/-p: expected one argument"), one secret in 64.
 */
export function generateSecret(bytes = 30): string {
  for (;;) {
    const secret = randomBytes(bytes).toString('base64url');
    if (!secret.startsWith('-')) return secret;
  }
}

/** Seals and opens small values with the master key. */
export class Sealer {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the master key must be 32 bytes');
  }

  /**
   * The master key from `keyText` (base64, from configuration: several nodes must share it) or
   * from `<file>`, created on first use with mode 0600.
   */
  static load(file: string, keyText?: string): Sealer {
    if (keyText) return new Sealer(Buffer.from(keyText, 'base64'));
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    }
    chmodSync(file, 0o600);
    return new Sealer(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
  }

  /**
   * A 32-byte key for one purpose (`label`), derived from the master key with HKDF-SHA256: every
   * node sharing the master key derives the same key, and no purpose ever sees the master key.
   */
  deriveKey(label: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), `wharf:${label}`, 32));
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/**
 * SecretHasher.verify with a memory of recent successes, keyed by a hash of (stored hash, secret):
 * clients sending Basic credentials on every request would otherwise pay for scrypt each time.
 * A changed or removed secret changes the stored hash, so it misses.
 */
export class CachedSecretVerifier {
  private readonly hits = new Map<string, number>();

  constructor(
    private readonly hasher: SecretHasher,
    private readonly ttlMs = 60_000,
    private readonly max = 10_000,
  ) {}

  async verify(secret: string, stored: string): Promise<boolean> {
    const key = createHash('sha256').update(stored).update('\u0000').update(secret).digest('base64');
    const at = this.hits.get(key);
    if (at !== undefined && Date.now() - at < this.ttlMs) return true;
    const ok = await this.hasher.verify(secret, stored);
    if (ok) {
      if (this.hits.size >= this.max) this.hits.clear();
      this.hits.set(key, Date.now());
    }
    return ok;
  }
}
