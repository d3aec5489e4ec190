/**
 * Which credential a token was obtained with. Refresh tokens (ACR's and the identity plane's)
 * and the access tokens that can be exchanged for them carry it as the `wharf_cred` claim, so
 * a token dies with its credential: a regenerated admin password, a reset client secret or a
 * new token password ends every refresh token obtained with the old one. Passwords are named
 * by a fingerprint of their stored hash (the hash carries a fresh salt, so a new password,
 * even an equal one, has a new fingerprint); client secrets by their key id.
 */
import { createHash } from 'node:crypto';

type CredentialRef =
  | { kind: 'adminPassword'; name: string; fingerprint: string }
  | { kind: 'tokenPassword'; name: string; fingerprint: string }
  | { kind: 'clientSecret'; keyId: string }
  | { kind: 'userPassword'; fingerprint: string };

/** A short, one-way fingerprint of a stored scrypt hash (never of the secret itself). */
export function hashFingerprint(storedHash: string): string {
  return createHash('sha256').update('wharf-credential\u0000').update(storedHash).digest('base64url').slice(0, 22);
}

export function formatCredentialRef(ref: CredentialRef): string {
  switch (ref.kind) {
    case 'adminPassword':
      return `admin:${ref.name}:${ref.fingerprint}`;
    case 'tokenPassword':
      return `token:${ref.name}:${ref.fingerprint}`;
    case 'clientSecret':
      return `secret:${ref.keyId}`;
    case 'userPassword':
      return `user:${ref.fingerprint}`;
  }
}

export function parseCredentialRef(text: unknown): CredentialRef | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = text.split(':');
  if (parts[0] === 'admin' && parts.length === 3) return { kind: 'adminPassword', name: parts[1]!, fingerprint: parts[2]! };
  if (parts[0] === 'token' && parts.length === 3) return { kind: 'tokenPassword', name: parts[1]!, fingerprint: parts[2]! };
  if (parts[0] === 'secret' && parts.length === 2) return { kind: 'clientSecret', keyId: parts[1]! };
  if (parts[0] === 'user' && parts.length === 2) return { kind: 'userPassword', fingerprint: parts[1]! };
  return undefined;
}
