/**
 * The benchmark's token signer for Distribution's token mode: RS256 JWTs whose `x5c` header
 * carries the signer certificate (chaining to the throwaway CA in token-ca.ts), with the
 * claims Distribution checks — iss, aud (= its `service`), exp, nbf, iat, jti — and the
 * docker `access` claim. Refresh tokens are JWTs from the same key with a `grants` ceiling
 * instead of `access`, so Distribution never accepts one as an access token.
 */
import { createPrivateKey, createPublicKey, randomUUID, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { jwtVerify, SignJWT } from 'jose';
import type { TokenSignerFiles } from './token-ca.js';

/** One docker access entry: `{type:'repository', name:'bench/image', actions:['pull']}`. */
interface AccessEntry {
  type: string;
  name: string;
  actions: string[];
}

/** Distribution's `auth.token.issuer`; the token server and the minter must agree on it. */
export const BENCH_TOKEN_ISSUER = 'wharf-bench-token-issuer';

const REFRESH = 'refresh_token';

export class TokenSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    /** Standard base64 of the signer certificate's DER, as Distribution reads `x5c`. */
    private readonly x5c: string,
  ) {}

  static load(files: Pick<TokenSignerFiles, 'signerKeyFile' | 'signerCertFile'>): TokenSigner {
    const cert = new X509Certificate(readFileSync(files.signerCertFile));
    const privateKey = createPrivateKey(readFileSync(files.signerKeyFile));
    return new TokenSigner(privateKey, createPublicKey(privateKey), cert.raw.toString('base64'));
  }

  private async sign(claims: Record<string, unknown>, audience: string, subject: string, lifetimeSeconds: number): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return (
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', x5c: [this.x5c] })
        .setIssuer(BENCH_TOKEN_ISSUER)
        .setAudience(audience)
        .setSubject(subject)
        .setIssuedAt(now)
        // Back-dated a little: Distribution rejects a token whose nbf is ahead of its clock.
        .setNotBefore(now - 5)
        .setExpirationTime(now + lifetimeSeconds)
        .setJti(randomUUID())
        .sign(this.privateKey)
    );
  }

  /** An access token for `audience` (Distribution's service) allowing `access`. */
  mintAccess(audience: string, subject: string, access: AccessEntry[], lifetimeSeconds: number): Promise<string> {
    return this.sign({ access }, audience, subject, lifetimeSeconds);
  }

  /** A refresh token: who, and the most its access tokens may ever allow. */
  mintRefresh(audience: string, subject: string, grants: AccessEntry[], lifetimeSeconds: number): Promise<string> {
    return this.sign({ token_type: REFRESH, grants }, audience, subject, lifetimeSeconds);
  }

  /** Verifies a refresh token minted for `audience`; throws with the reason otherwise. */
  async verifyRefresh(token: string, audience: string): Promise<{ subject: string; grants: AccessEntry[] }> {
    const { payload } = await jwtVerify(token, this.publicKey, { issuer: BENCH_TOKEN_ISSUER, audience, algorithms: ['RS256'] });
    if (payload.token_type !== REFRESH || !Array.isArray(payload.grants)) throw new Error('not a refresh token');
    return { subject: payload.sub ?? '', grants: payload.grants as AccessEntry[] };
  }
}

/** `repository:<name>:<a>,<b>` (several space-separated, possibly repeated) → entries. */
export function parseScopes(values: string[]): AccessEntry[] {
  const entries: AccessEntry[] = [];
  for (const part of values.flatMap((v) => v.split(' ')).filter((p) => p !== '')) {
    const first = part.indexOf(':');
    const last = part.lastIndexOf(':');
    if (first <= 0 || last === first) continue;
    const actions = part
      .slice(last + 1)
      .split(',')
      .filter((a) => a !== '');
    if (actions.length > 0) entries.push({ type: part.slice(0, first), name: part.slice(first + 1, last), actions });
  }
  return entries;
}

/** What was asked for, cut down to what the grants allow (entries left empty are dropped). */
export function intersect(requested: AccessEntry[], grants: AccessEntry[]): AccessEntry[] {
  const result: AccessEntry[] = [];
  for (const want of requested) {
    const held = grants.filter((g) => g.type === want.type && g.name === want.name).flatMap((g) => g.actions);
    const actions = want.actions.filter((a) => held.includes(a) || held.includes('*'));
    if (actions.length > 0) result.push({ type: want.type, name: want.name, actions: [...new Set(actions)] });
  }
  return result;
}
