/**
 * A throwaway certificate authority for Distribution's token mode:
 * Distribution trusts `rootcertbundle` (the CA certificate) and accepts a JWT whose `x5c`
 * header carries a signer certificate issued by that CA. Generated fresh for every run, kept
 * in the bench temp dir, removed with it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

export interface TokenSignerFiles {
  /** PEM of the CA certificate: Distribution's `auth.token.rootcertbundle`. */
  readonly caCertFile: string;
  /** PEM (PKCS#1) of the signer's private key. */
  readonly signerKeyFile: string;
  /** PEM of the signer certificate, issued by the CA. */
  readonly signerCertFile: string;
}

function rsaKeyPair(): { forgePrivate: forge.pki.rsa.PrivateKey; forgePublic: forge.pki.PublicKey; pem: string } {
  // node's keygen is native and fast; forge only needs the key to build and sign certificates.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgePrivate = forge.pki.privateKeyFromPem(pem);
  return { forgePrivate, forgePublic: forge.pki.setRsaPublicKey(forgePrivate.n, forgePrivate.e), pem };
}

function serial(): string {
  return '00' + forge.util.bytesToHex(forge.random.getBytesSync(16)); // positive, 16 random bytes
}

function certificate(publicKey: forge.pki.PublicKey, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  // An hour of back-dating: Go's x509 verification must not see a certificate from the future.
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + days * 24 * 3600_000);
  return cert;
}

/** Writes ca.crt, signer.key and signer.crt into `dir`. */
export function createTokenSigner(dir: string): TokenSignerFiles {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = rsaKeyPair();
  const caCert = certificate(ca.forgePublic, 2);
  const caSubject = [{ name: 'commonName', value: 'wharf-bench throwaway token CA' }];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true, pathLenConstraint: 0 },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.forgePrivate, forge.md.sha256.create());

  const signer = rsaKeyPair();
  const signerCert = certificate(signer.forgePublic, 2);
  signerCert.setSubject([{ name: 'commonName', value: 'wharf-bench token signer' }]);
  signerCert.setIssuer(caSubject);
  signerCert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, critical: true },
  ]);
  signerCert.sign(ca.forgePrivate, forge.md.sha256.create());

  const files: TokenSignerFiles = {
    caCertFile: join(dir, 'ca.crt'),
    signerKeyFile: join(dir, 'signer.key'),
    signerCertFile: join(dir, 'signer.crt'),
  };
  writeFileSync(files.caCertFile, forge.pki.certificateToPem(caCert), { mode: 0o644 });
  writeFileSync(files.signerKeyFile, signer.pem, { mode: 0o600 });
  writeFileSync(files.signerCertFile, forge.pki.certificateToPem(signerCert), { mode: 0o644 });
  return files;
}
