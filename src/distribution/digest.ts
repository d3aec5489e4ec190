/** Digest parsing and hashing: sha256 and sha512, the algorithms the OCI image spec registers. */
import { createHash, type Hash } from 'node:crypto';
import { errors } from '../kernel/errors.js';

export type DigestAlgorithm = 'sha256' | 'sha512';
export interface Digest {
  algorithm: DigestAlgorithm;
  hex: string;
  /** `<algorithm>:<hex>` */
  value: string;
}

const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

export function parseDigest(value: string): Digest | null {
  const colon = value.indexOf(':');
  if (colon < 0) return null;
  const algorithm = value.slice(0, colon);
  const hex = value.slice(colon + 1);
  if (algorithm !== 'sha256' && algorithm !== 'sha512') return null;
  if (hex.length !== HEX_LENGTH[algorithm] || !/^[a-f0-9]+$/.test(hex)) return null;
  return { algorithm, hex, value };
}

export function requireDigest(value: string): Digest {
  const digest = parseDigest(value);
  if (!digest) throw errors.digestMalformed(value);
  return digest;
}

export function isDigestReference(reference: string): boolean {
  return reference.includes(':');
}

export function newHash(algorithm: DigestAlgorithm): Hash {
  return createHash(algorithm);
}

export function digestOf(algorithm: DigestAlgorithm, content: Uint8Array): string {
  return `${algorithm}:${createHash(algorithm).update(content).digest('hex')}`;
}
