/**
 * A TCP connection with a deadline, told apart the way a user needs: refused (nothing listens,
 * or a firewall rejects), timeout (packets dropped), unreachable, other.
 */
import { connect, type Socket } from 'node:net';

type ConnectFailure = 'refused' | 'timeout' | 'unreachable' | 'closed' | 'other';

export class ProbeError extends Error {
  constructor(
    readonly kind: ConnectFailure,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

function failureOf(error: NodeJS.ErrnoException): ConnectFailure {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return 'unreachable';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'closed';
    default:
      return 'other';
  }
}

/** Opens a TCP connection to address:port; rejects with a ProbeError. The caller owns the socket. */
export function openTcp(address: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ProbeError('timeout', `no connection to ${address}:${port} within ${timeoutMs} ms`, 'ETIMEDOUT'));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new ProbeError(failureOf(error), error.message, error.code));
    });
  });
}

/** Connects and closes: whether address:port accepts connections. */
export async function probeTcp(address: string, port: number, timeoutMs: number): Promise<void> {
  const socket = await openTcp(address, port, timeoutMs);
  socket.destroy();
}
