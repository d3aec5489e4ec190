/**
 * Wharf's local certificate authority. On first start it creates a CA in `<data>/tls/` and a
 * server certificate for every name Wharf answers to; the server certificate is re-issued
 * when the names change or it nears expiry. Keys never leave the data directory.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import forge from 'node-forge';

interface TlsMaterial {
  caFile: string;
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
  ca: string;
}

const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

function newKeyPair(): { publicKey: forge.pki.PublicKey; privateKey: forge.pki.rsa.PrivateKey; privatePem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(privatePem);
  const publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  return { publicKey, privateKey: forgeKey, privatePem };
}

function serial(): string {
  // 16 random bytes, encoded as a minimal positive DER INTEGER: the first byte is 0x01–0x7f, so
  // it needs no 0x00 sign byte (a superfluous one is "illegal padding" to OpenSSL).
  const bytes = Buffer.from(forge.random.getBytesSync(16), 'binary');
  bytes[0] = bytes[0]! & 0x7f || 0x01;
  return bytes.toString('hex');
}

function writeAtomically(path: string, content: string, mode: number): void {
  const temp = `${path}.tmp-${process.pid}`;
  writeFileSync(temp, content, { mode });
  renameSync(temp, path);
}

function createCa(dir: string): void {
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600_000);
  const subject = [
    { name: 'commonName', value: `Wharf local CA ${new Date().toISOString().slice(0, 10)}` },
    { name: 'organizationName', value: 'Wharf' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true, pathLenConstraint: 0 },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  writeAtomically(join(dir, 'ca.key'), keys.privatePem, 0o600);
  writeAtomically(join(dir, 'ca.crt'), forge.pki.certificateToPem(cert), 0o644);
}

function issueServerCert(dir: string, names: string[]): void {
  const caCert = forge.pki.certificateFromPem(readFileSync(join(dir, 'ca.crt'), 'utf8'));
  const caKey = forge.pki.privateKeyFromPem(readFileSync(join(dir, 'ca.key'), 'utf8'));
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 397 * 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: names[0] ?? 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: names.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })),
    },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  writeAtomically(join(dir, 'server.key'), keys.privatePem, 0o600);
  writeAtomically(join(dir, 'server.crt'), forge.pki.certificateToPem(cert), 0o644);
}

function serverCertCovers(certFile: string, names: string[]): boolean {
  if (!existsSync(certFile)) return false;
  const cert = new X509Certificate(readFileSync(certFile));
  if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_MS) return false;
  const san = cert.subjectAltName ?? '';
  const present = new Set(san.split(', ').map((entry) => entry.replace(/^(DNS|IP Address):/, '').toLowerCase()));
  return names.every((name) => present.has(name.toLowerCase()));
}

/**
 * Ensures a CA and a server certificate for `names` exist. `<dataDir>/tls/` holds only the
 * public CA certificate, so it can be handed to clients as a certificate directory as it is
 * (skopeo and podman take any *.key there for a client key); everything else is in `private/`.
 */
function ensureTls(dataDir: string, names: string[]): TlsMaterial {
  const publicDir = join(dataDir, 'tls');
  const dir = join(publicDir, 'private');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(join(publicDir, 'ca.crt')) || !existsSync(join(dir, 'ca.key'))) {
    createCa(dir);
    renameSync(join(dir, 'ca.crt'), join(publicDir, 'ca.crt'));
  }
  copyFileSync(join(publicDir, 'ca.crt'), join(dir, 'ca.crt'));
  const unique = [...new Set(names.map((n) => n.toLowerCase()))];
  const certFile = join(dir, 'server.crt');
  if (!serverCertCovers(certFile, unique)) issueServerCert(dir, unique);
  return {
    caFile: join(publicDir, 'ca.crt'),
    certFile,
    keyFile: join(dir, 'server.key'),
    ca: readFileSync(join(publicDir, 'ca.crt'), 'utf8'),
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(join(dir, 'server.key'), 'utf8'),
  };
}

export function caFileOf(dataDir: string): string {
  return join(dataDir, 'tls', 'ca.crt');
}

/** What a TLS server offers setSecureContext on (https.Server, tls.Server). */
export interface SecureContextTarget {
  setSecureContext(options: { key: string; cert: string }): void;
}

/**
 * The server certificate at run time: names can grow while Wharf runs (a private endpoint's
 * address, a replication's `*.<region>.data.<domain>`); `update()` re-issues it then and swaps
 * it into every attached server, so open connections keep theirs and new ones get the new one.
 */
export class ServerCertificate {
  private namesKey: string;
  private readonly servers = new Set<SecureContextTarget>();

  private constructor(
    private readonly dataDir: string,
    names: string[],
    public material: TlsMaterial,
  ) {
    this.namesKey = ServerCertificate.keyOf(names);
  }

  static load(dataDir: string, names: string[]): ServerCertificate {
    return new ServerCertificate(dataDir, names, ensureTls(dataDir, names));
  }

  private static keyOf(names: string[]): string {
    return [...new Set(names.map((n) => n.toLowerCase()))].sort().join(' ');
  }

  attach(server: SecureContextTarget): void {
    this.servers.add(server);
  }

  detach(server: SecureContextTarget): void {
    this.servers.delete(server);
  }

  /** Makes the certificate cover `names`; true when a new one was issued and swapped in. */
  update(names: string[]): boolean {
    const key = ServerCertificate.keyOf(names);
    if (key === this.namesKey) return false;
    const before = this.material.cert;
    this.material = ensureTls(this.dataDir, names);
    this.namesKey = key;
    if (this.material.cert === before) return false;
    for (const server of this.servers) server.setSecureContext({ key: this.material.key, cert: this.material.cert });
    return true;
  }
}
