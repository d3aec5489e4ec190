/**
 * Name resolution as the registry clients do it: `dns.lookup` (getaddrinfo), so /etc/hosts and
 * nsswitch are honoured exactly as docker, skopeo and az see them. A lookup cannot be cancelled;
 * the timeout only stops waiting for it.
 */
import { lookup } from 'node:dns/promises';

type DnsResult = { ok: true; addresses: string[] } | { ok: false; code: string; message: string };

export async function resolveHost(host: string, timeoutMs: number): Promise<DnsResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DnsResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, code: 'ETIMEOUT', message: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const answer = lookup(host, { all: true, verbatim: true }).then(
    (entries): DnsResult => ({ ok: true, addresses: entries.map((e) => e.address) }),
    (error: NodeJS.ErrnoException): DnsResult => ({ ok: false, code: error.code ?? 'EDNS', message: error.message }),
  );
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
