/**
 * Temporary directories for end-to-end tests. Every test file runs in its own node process
 * (node --test), so a process 'exit' hook is enough to remove what the file created, even when
 * a test fails half-way. WHARF_E2E_KEEP=1 keeps them, to read server data or client logs after
 * a failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];
let hooked = false;

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `wharf-e2e-${prefix}-`));
  created.push(dir);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      if (process.env.WHARF_E2E_KEEP === '1') {
        process.stderr.write(`WHARF_E2E_KEEP=1: kept ${created.join(' ')}\n`);
        return;
      }
      for (const d of created) rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}
