/**
 * Wharf's layers (docs/architecture.md, "Layers"), checked in CI by `npm run lint`:
 *   kernel (src/kernel, src/i18n)  <  storage  <  domain (src/domain, src/access)
 *   <  planes  <  composition root (src/server);   client (src/cli) beside them, over the wire.
 * Tests and the benchmark may import any of them; the cycle rule covers them too.
 * A module may import its own layer and the layers below it, never above; no import cycles.
 */
const KERNEL = '^src/(kernel|i18n)/';
const STORAGE = '^src/storage/';
const DOMAIN = '^src/(domain|access)/';
const PLANES = '^src/(distribution|acr|auth|identity|management|network|audit|monitoring|gc|image-import)/';
const ROOT = '^src/server/';
const CLIENT = '^src/cli/';
/** Client modules that start the server in this process (`wharf serve`, `wharf ca`); the CLI loads them lazily. */
const CLIENT_SERVER_ENTRIES = '^src/cli/(serve|ca)\\.ts$';
/** Pure data the CLI shares with the server: role and scope-map definitions. */
const SHARED_DEFINITIONS = '^src/access/(roles|scope-maps|scopes)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: the modules on it cannot be understood, tested or loaded one without the other.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'kernel-imports-no-layer-above',
      severity: 'error',
      comment: 'The kernel (errors, body reading, URL paths, languages, configuration) sits under everything.',
      from: { path: KERNEL },
      to: { path: '^src/', pathNot: KERNEL },
    },
    {
      name: 'storage-imports-only-kernel',
      severity: 'error',
      from: { path: STORAGE },
      to: { path: '^src/', pathNot: [KERNEL, STORAGE] },
    },
    {
      name: 'domain-imports-no-plane',
      severity: 'error',
      comment: 'Domain services hold the rules the planes share; a plane calls them, never the other way round.',
      from: { path: DOMAIN },
      to: { path: '^src/', pathNot: [KERNEL, STORAGE, DOMAIN] },
    },
    {
      name: 'planes-do-not-import-the-composition-root',
      severity: 'error',
      comment: 'Planes receive what they need from src/server; they do not reach back into it.',
      from: { path: PLANES },
      to: { path: [ROOT, CLIENT] },
    },
    {
      name: 'planes-import-one-way',
      severity: 'error',
      comment:
        'Planes that used to import each other: the /acr/v1 API builds on the distribution plane, the management plane ' +
        'runs garbage collection and image import, authentication consults the network gate, the audit records the gate.',
      from: { path: '^src/(distribution|gc|image-import|network)/' },
      to: { path: '^src/(acr|management|auth)/' },
    },
    {
      name: 'audit-does-not-import-the-network-gate',
      severity: 'error',
      from: { path: '^src/audit/' },
      to: { path: '^src/network/' },
    },
    {
      name: 'server-side-does-not-import-the-client',
      severity: 'error',
      from: { path: '^src/', pathNot: CLIENT },
      to: { path: CLIENT },
    },
    {
      name: 'client-talks-to-the-server-over-the-wire',
      severity: 'error',
      comment:
        'The CLI and its checks may share kernel, i18n, role definitions and types with the server, nothing that runs it; ' +
        'only `wharf serve` and `wharf ca` load the composition root.',
      from: { path: CLIENT, pathNot: CLIENT_SERVER_ENTRIES },
      to: { path: '^src/', pathNot: [KERNEL, CLIENT, SHARED_DEFINITIONS], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'cli-loads-serve-and-ca-lazily',
      severity: 'error',
      comment: 'Every other command starts without loading the server (`wharf --help` stays fast).',
      from: { path: CLIENT, pathNot: CLIENT_SERVER_ENTRIES },
      to: { path: CLIENT_SERVER_ENTRIES, dependencyTypesNot: ['dynamic-import', 'type-only'] },
    },
    {
      name: 'shared-definitions-stay-pure',
      severity: 'error',
      comment: 'The definitions the CLI shares import types only, so the CLI never loads storage through them.',
      from: { path: SHARED_DEFINITIONS },
      to: { path: '^src/', pathNot: [KERNEL, SHARED_DEFINITIONS], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
