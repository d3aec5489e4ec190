/**
 * The server's logger: pino, with secrets redacted. JSON lines for log collectors, or, on a
 * terminal (or with logFormat pretty), pino-pretty's readable lines: time, level, message and
 * the fields indented below. Pretty printing runs in-process (no worker thread), synchronously,
 * so a line is out before the process exits.
 */
import pino, { type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import type { WharfConfig } from '../kernel/config.js';

type LogFormat = 'pretty' | 'json';

/** The configured format, else pretty when stdout is a terminal, JSON otherwise. */
export function logFormatOf(config: Pick<WharfConfig, 'logFormat'>, stdoutIsTty = process.stdout.isTTY === true): LogFormat {
  return config.logFormat ?? (stdoutIsTty ? 'pretty' : 'json');
}

export function createLogger(config: Pick<WharfConfig, 'logLevel' | 'logFormat'>): Logger {
  const options = {
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.password', '*.secret'], remove: true },
  };
  if (logFormatOf(config) === 'json') return pino(options);
  const pretty = pinoPretty({
    colorize: process.stdout.isTTY === true,
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
    ignore: 'pid,hostname',
    sync: true,
    destination: 1,
  });
  return pino(options, pretty);
}
