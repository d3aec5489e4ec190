/**
 * The TLS handshake with the registry, judged by the CLI itself rather than by OpenSSL's
 * one-line verdict: the handshake runs without rejecting, then the chain (against the CA the
 * client trusts) and the name are checked, so an error can name the issuer that was presented
 * — another CA, a proxy that intercepts TLS, a certificate for another name, an expired one.
 */
import { checkServerIdentity, connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { Socket } from 'node:net';

type TlsFailure = 'untrusted' | 'name-mismatch' | 'expired' | 'timeout' | 'closed' | 'other';

interface PresentedCertificate {
  /** Issuer common name (or organisation) as presented. */
  issuer: string;
  subject: string;
  /** DNS names and addresses the certificate is for. */
  names: string[];
  validTo: string;
}

type TlsResult =
  { ok: true; certificate: PresentedCertificate } | { ok: false; kind: TlsFailure; message: string; code?: string; certificate?: PresentedCertificate };

function nameOf(part: PeerCertificate['issuer'] | undefined): string {
  if (!part) return 'unknown';
  const cn = Array.isArray(part.CN) ? part.CN[0] : part.CN;
  const o = Array.isArray(part.O) ? part.O[0] : part.O;
  return cn || o || 'unknown';
}

function describeCertificate(cert: PeerCertificate): PresentedCertificate {
  const names = (cert.subjectaltname ?? '')
    .split(',')
    .map((s) => s.trim().replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
  return { issuer: nameOf(cert.issuer), subject: nameOf(cert.subject), names, validTo: cert.valid_to };
}

const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);

/** Handshake over `socket` (direct or a proxy tunnel) for `servername`; closes the socket. */
export function probeTls(socket: Socket, servername: string, ca: string | undefined, timeoutMs: number): Promise<TlsResult> {
  return new Promise((resolve) => {
    let tls: TLSSocket;
    const done = (result: TlsResult) => {
      clearTimeout(timer);
      tls.removeAllListeners();
      tls.on('error', () => {});
      tls.destroy();
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ ok: false, kind: 'timeout', message: `no TLS answer within ${timeoutMs} ms`, code: 'ETIMEDOUT' }), timeoutMs);
    tls = tlsConnect({ socket, servername: /^[\d.]+$|:/.test(servername) ? undefined : servername, ...(ca ? { ca } : {}), rejectUnauthorized: false });
    tls.once('secureConnect', () => {
      const peer = tls.getPeerCertificate();
      const certificate = peer && Object.keys(peer).length > 0 ? describeCertificate(peer) : undefined;
      const authError = tls.authorizationError as unknown as string | Error | null;
      const code = authError ? (typeof authError === 'string' ? authError : ((authError as NodeJS.ErrnoException).code ?? authError.message)) : undefined;
      if (code) {
        const kind: TlsFailure =
          code === 'CERT_HAS_EXPIRED' ? 'expired' : UNTRUSTED.has(code) ? 'untrusted' : code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? 'name-mismatch' : 'other';
        return done({ ok: false, kind, code, message: `certificate not accepted: ${code}`, certificate });
      }
      const mismatch = peer ? checkServerIdentity(servername, peer) : undefined;
      if (mismatch) return done({ ok: false, kind: 'name-mismatch', code: (mismatch as NodeJS.ErrnoException).code, message: mismatch.message, certificate });
      done({ ok: true, certificate: certificate! });
    });
    tls.once('error', (error: NodeJS.ErrnoException) => {
      const closed = error.code === 'ECONNRESET' || /socket disconnected|socket hang up/i.test(error.message);
      done({ ok: false, kind: closed ? 'closed' : 'other', code: error.code, message: error.message });
    });
    tls.once('close', () => done({ ok: false, kind: 'closed', message: 'the server closed the connection during the TLS handshake' }));
  });
}
