/**
 * Follows a long-running operation of the management API (`x-wharf-async=true` → 202 with an
 * operation-status resource) to its end, showing its progress: a progress bar on a terminal,
 * plain lines otherwise (logs, CI). Progress goes to stderr so stdout holds only the result.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import { ApiError, type ManagementClient } from './management-client.js';
import { cliError } from './cli-error.js';
import { outputTranslator } from './output-messages.js';
import type { Language } from '../i18n/index.js';

interface OperationStatus {
  id: string;
  name: string;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  percentComplete: number;
  properties: {
    operation: string;
    step: string;
    bytesDone: number;
    bytesTotal: number;
    itemsDone: number;
    itemsTotal: number;
    result?: Record<string, unknown>;
  };
  error?: { code: string; message: string };
}

const POLL_MS = 300;
const TIMEOUT_MS = 6 * 60 * 60 * 1000;

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function bytesText(status: OperationStatus): string {
  const { bytesDone, bytesTotal } = status.properties;
  return bytesTotal > 0 ? `${formatBytes(bytesDone)}/${formatBytes(bytesTotal)}` : formatBytes(bytesDone);
}

/** Draws progress: a bar on a TTY, a line per change of step or of tens of percent otherwise. */
interface ProgressView {
  show(status: OperationStatus): void;
  stop(): void;
}

function barView(label: string, stream: NodeJS.WriteStream): ProgressView {
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {bytes} | {step}`, stream, hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  // The server's first status (shown at once) names the first step, in the reader's language.
  bar.start(100, 0, { bytes: '', step: '' });
  return {
    show: (status) => bar.update(status.percentComplete, { bytes: bytesText(status), step: status.properties.step }),
    stop: () => bar.stop(),
  };
}

function lineView(label: string, stream: NodeJS.WritableStream, language: Language): ProgressView {
  const t = outputTranslator(language);
  let lastStep = '';
  let lastTens = -1;
  return {
    show: (status) => {
      const tens = Math.floor(status.percentComplete / 10);
      const step = status.properties.step;
      if (step === lastStep && tens === lastTens) return;
      // A step that only counts up ("blobs: 12") is shown again only with the next tens.
      if (tens === lastTens && step.replace(/\d+/g, '') === lastStep.replace(/\d+/g, '')) return;
      lastStep = step;
      lastTens = tens;
      stream.write(`${t('progressLine', { label, percent: status.percentComplete, bytes: bytesText(status), step })}\n`);
    },
    stop: () => undefined,
  };
}

/**
 * Starts the operation (POST `path` with `body`, asynchronously) and polls its status until
 * it ends. Resolves with the final status; a failed operation rejects with its ARM error.
 */
export async function runWithProgress(
  client: ManagementClient,
  path: string,
  body: unknown,
  label: string,
  language: Language,
  stream: NodeJS.WriteStream = process.stderr,
): Promise<OperationStatus> {
  let status = await client.post<OperationStatus>(path, body, { query: { 'x-wharf-async': 'true' } });
  if (!status || typeof status.id !== 'string') throw cliError('noOperationStarted', { path });
  const view = stream.isTTY ? barView(label, stream) : lineView(label, stream, language);
  const deadline = Date.now() + TIMEOUT_MS;
  try {
    view.show(status);
    while (status.status === 'InProgress') {
      if (Date.now() > deadline) throw cliError('operationStillRunning', { name: status.name, hours: TIMEOUT_MS / 3_600_000, id: status.id });
      await sleep(POLL_MS);
      status = await client.get<OperationStatus>(status.id);
      view.show(status);
    }
  } finally {
    view.stop();
  }
  if (status.status === 'Failed')
    throw new ApiError(400, status.error?.code ?? 'OperationFailed', status.error?.message ?? outputTranslator(language)('operationFailed'));
  return status;
}
