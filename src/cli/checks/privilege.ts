/**
 * How a fix that needs root is printed: with `sudo ` only when the user is not root and sudo is
 * installed; as root, or without sudo, the command alone (a printed `sudo` that does not exist
 * fails when run).
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

function onPath(name: string, env: NodeJS.ProcessEnv): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

/** `sudo ` or nothing, to put before a command that needs root. */
export function sudoPrefix(env: NodeJS.ProcessEnv): string {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return !root && onPath('sudo', env) ? 'sudo ' : '';
}
