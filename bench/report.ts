/**
 * Targets and the printed table. Targets live here, next to how they are
 * shown, so a reader sees in one place what PASS means.
 */
import { MiB, ROUNDS, sizes } from './config.js';
import type { MachineLimits } from './machine.js';
import type { FigureKey, Figures } from './workloads.js';

/** RSS is "flat" if an 8× larger blob (512 vs 64 MiB) raises the peak by less than this; buffering would add ~448 MiB. */
const RSS_FLAT_SLACK = 32 * MiB;
const UPLOAD_VS_DISTRIBUTION = 1.5;
const LOOKUP_VS_DISTRIBUTION = 5;
const UPLOAD_VS_LIMIT = 0.5;
/** Issue 4: manifest GET with 200 IP + 100 VNet rules at most this much slower than with none. */
const NETWORK_RULES_MAX_SLOWDOWN = 0.05;

type Status = 'PASS' | 'MISS' | 'info' | 'skipped' | 'ERROR';

interface Row {
  figure: string;
  wharf: string;
  distribution: string;
  ratio: string;
  target: string;
  status: Status;
}

const num = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;

function comparedRow(figure: string, key: FigureKey, wharf: Figures, dist: Figures, minRatio: number, floor?: { value: number; label: string }): Row {
  const w = wharf[key];
  const d = dist[key];
  const ratioTarget = `≥${minRatio}× dist`;
  const target = floor ? `${ratioTarget} & ≥${num(floor.value)} (${floor.label})` : ratioTarget;
  if (w === undefined || d === undefined) return { figure, wharf: '-', distribution: '-', ratio: '-', target, status: 'skipped' };
  const ratio = w / d;
  const ok = ratio >= minRatio && (floor === undefined || w >= floor.value);
  return { figure, wharf: num(w), distribution: num(d), ratio: `${ratio.toFixed(2)}×`, target, status: ok ? 'PASS' : 'MISS' };
}

/** A ratio shown for information only: no target (e.g. Wharf's token server vs the bench's bare signer). */
function infoRow(figure: string, key: FigureKey, wharf: Figures, dist: Figures, target: string): Row {
  const w = wharf[key];
  const d = dist[key];
  if (w === undefined || d === undefined) return { figure, wharf: '-', distribution: '-', ratio: '-', target, status: 'skipped' };
  return { figure, wharf: num(w), distribution: num(d), ratio: `${(w / d).toFixed(2)}×`, target, status: 'info' };
}

/** A Wharf figure with nothing to compare it with ("n/a" says why in `target`). */
function wharfOnlyRow(figure: string, key: FigureKey, wharf: Figures, target: string): Row {
  const w = wharf[key];
  return { figure, wharf: w === undefined ? '-' : num(w), distribution: 'n/a', ratio: '', target, status: w === undefined ? 'skipped' : 'info' };
}

/**
 * The token-mode rows (Wharf secure vs Distribution in token mode). `failure`: the token-mode
 * run did not complete, so its rows say ERROR instead of pretending to be skipped.
 */
function tokenRows(wharf: Figures, dist: Figures, failure: string | undefined): Row[] {
  const rows = [
    comparedRow('manifest GET -c64, Bearer token, req/s', 'manifestBearerRps', wharf, dist, LOOKUP_VS_DISTRIBUTION),
    infoRow('token issuance POST /oauth2/token -c16, req/s', 'tokenIssueRps', wharf, dist, 'none (dist column: bench token server)'),
    wharfOnlyRow('token issuance GET /oauth2/token, admin Basic, -c16, req/s', 'tokenBasicRps', wharf, 'none (dist has no token server)'),
  ];
  return failure === undefined ? rows : rows.map((r) => ({ ...r, status: 'ERROR' }));
}

/**
 * The network-rules rows (network-rules.ts): Wharf secure without and with 200 IP + 100 VNet
 * rules, each vs Distribution in token mode, and the slowdown. `failure`: the phase did not
 * complete (or `skipped:` why it did not run).
 */
function networkRulesRows(wharf: Figures, dist: Figures, failure: string | undefined): Row[] {
  const none = wharf.manifestNoRulesRps;
  const rules = wharf.manifestRulesRps;
  const target = `≤${(NETWORK_RULES_MAX_SLOWDOWN * 100).toFixed(0)}% slower`;
  const slowdown: Row =
    none === undefined || rules === undefined
      ? { figure: 'slowdown with 200 IP + 100 VNet rules', wharf: '-', distribution: '', ratio: '', target, status: 'skipped' }
      : {
          figure: 'slowdown with 200 IP + 100 VNet rules',
          wharf: `${((1 - rules / none) * 100).toFixed(1)}%`,
          distribution: '',
          ratio: '',
          target,
          status: 1 - rules / none <= NETWORK_RULES_MAX_SLOWDOWN ? 'PASS' : 'MISS',
        };
  const rows = [
    comparedRow('manifest GET, Bearer, no network rules, -c64, req/s', 'manifestNoRulesRps', wharf, dist, LOOKUP_VS_DISTRIBUTION),
    comparedRow('manifest GET, Bearer, 200 IP + 100 VNet rules, -c64, req/s', 'manifestRulesRps', wharf, dist, LOOKUP_VS_DISTRIBUTION),
    slowdown,
  ];
  if (failure === undefined) return rows;
  const status: Status = failure.startsWith('skipped:') ? 'skipped' : 'ERROR';
  return rows.map((r) => ({ ...r, status }));
}

export function buildRows(wharf: Figures, dist: Figures, machine: MachineLimits, tokenFailure?: string, networkFailure?: string): Row[] {
  const floor = { value: machine.uploadLimit * UPLOAD_VS_LIMIT, label: '½ machine limit' };
  const upload = (figure: string, key: FigureKey) => comparedRow(figure, key, wharf, dist, UPLOAD_VS_DISTRIBUTION, floor);
  const download = (figure: string, key: FigureKey) => comparedRow(figure, key, wharf, dist, 1);
  const lookup = (figure: string, key: FigureKey) => comparedRow(figure, key, wharf, dist, LOOKUP_VS_DISTRIBUTION);

  const rssRow = (figure: string, key: FigureKey, target = '', judge?: (v: number) => boolean): Row => {
    const v = wharf[key];
    if (v === undefined) return { figure, wharf: '-', distribution: '', ratio: '', target, status: 'skipped' };
    return { figure, wharf: mib(v), distribution: '', ratio: '', target, status: judge ? (judge(v) ? 'PASS' : 'MISS') : 'info' };
  };
  const peakMedium = wharf.rssPeakMedium;
  const machineRow = (figure: string, value: number): Row => ({ figure, wharf: num(value), distribution: '', ratio: '', target: '', status: 'info' });

  return [
    upload(`upload 1 MiB ×${ROUNDS * sizes.smallCount}, MiB/s`, 'uploadSmall'),
    upload('upload 64 MiB, MiB/s', 'uploadMedium'),
    upload('upload 512 MiB, MiB/s', 'uploadLarge'),
    upload('upload 16×16 MiB parallel, MiB/s', 'uploadParallel'),
    download('download 1 MiB, MiB/s', 'downloadSmall'),
    download('download 64 MiB, MiB/s', 'downloadMedium'),
    download('download 512 MiB, MiB/s', 'downloadLarge'),
    lookup('manifest GET -c64, req/s', 'manifestRps'),
    lookup('tags list (100) -c64, req/s', 'tagsRps'),
    download('1 MiB blob GET -c16, req/s', 'blobRps'),
    ...tokenRows(wharf, dist, tokenFailure),
    ...networkRulesRows(wharf, dist, networkFailure),
    rssRow('RSS baseline', 'rssBaseline'),
    rssRow('RSS peak, 64 MiB upload', 'rssPeakMedium'),
    rssRow(
      'RSS peak, 512 MiB upload',
      'rssPeakLarge',
      `flat: ≤ 64 MiB peak + ${mib(RSS_FLAT_SLACK)}`,
      (v) => peakMedium !== undefined && v <= peakMedium + RSS_FLAT_SLACK,
    ),
    machineRow('machine: sha256, MiB/s', machine.sha256),
    machineRow('machine: write+fsync, MiB/s', machine.diskWrite),
    machineRow('machine: upload limit (min), MiB/s', machine.uploadLimit),
  ];
}

type Cells = Record<keyof Row, string>;

export function formatTable(rows: Row[]): string {
  const header: Cells = { figure: 'figure', wharf: 'wharf', distribution: 'distribution', ratio: 'ratio', target: 'target', status: 'status' };
  const cols = ['figure', 'wharf', 'distribution', 'ratio', 'target', 'status'] as const;
  const all = [header, ...rows];
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(...all.map((r) => r[c].length))])) as Record<(typeof cols)[number], number>;
  const line = (r: Cells) =>
    cols
      .map((c) => (c === 'figure' || c === 'target' || c === 'status' ? r[c].padEnd(width[c]) : r[c].padStart(width[c])))
      .join(' | ')
      .trimEnd();
  const headerLine = line(header);
  return [headerLine, '-'.repeat(headerLine.length), ...rows.map(line)].join('\n');
}

/** What the token rows measure, printed under the table so the figures are read for what they are. */
export const TOKEN_NOTES = [
  'token issuance: both columns verify an RS256 refresh token and sign an RS256 access token for the requested scope;',
  "  Wharf also resolves the caller's role assignments in its database and writes an audit row per issuance.",
  'admin Basic: the first request pays for scrypt; after that Wharf remembers the verified credential, so the figure',
  '  is the steady state of a client that repeats its credential (docker login, then a token per pull).',
];
