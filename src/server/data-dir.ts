/**
 * The data directory holds private images, password hashes and sealed keys: it is the owner's
 * only (0700). A directory created by an older Wharf (0755) is tightened at start, with a log
 * line; files inside need no change once the directory cannot be entered by others.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';

/** The part of a pino logger this uses. */
interface DataDirLogger {
  warn(object: Record<string, unknown>, message: string): void;
}

const DATA_DIR_MODE = 0o700;

export function secureDataDirectory(path: string, logger: DataDirLogger): void {
  mkdirSync(path, { recursive: true, mode: DATA_DIR_MODE });
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  chmodSync(path, DATA_DIR_MODE);
  logger.warn(
    { dataDir: path, was: mode.toString(8).padStart(4, '0'), now: DATA_DIR_MODE.toString(8).padStart(4, '0') },
    'the data directory was open to other local users; its mode is now 0700 (owner only)',
  );
}
