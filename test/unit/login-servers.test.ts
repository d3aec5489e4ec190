import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig, loginServerOf } from '../../src/kernel/config.js';
import { addressClash } from '../../src/domain/host-routing.js';

const settings = { domain: 'localhost', defaultRegistry: 'wharf', port: 8443, http: false };

describe('login servers', () => {
  it('the default registry is localhost:<port>; others <name>.<domain>:<port>; explicit ones as given, lower-case', () => {
    assert.equal(loginServerOf({ name: 'wharf' }, settings), 'localhost:8443');
    assert.equal(loginServerOf({ name: 'team' }, settings), 'team.localhost:8443');
    assert.equal(loginServerOf({ name: 'ci', loginServer: 'CI.Example.test:9000' }, settings), 'ci.example.test:9000');
    // With a domain of one's own the default registry is named like the others.
    assert.equal(loginServerOf({ name: 'wharf' }, { ...settings, domain: 'registry.example.com' }), 'wharf.registry.example.com:8443');
  });

  it('the port is left out where clients assume it: publicPort 443 over HTTPS, 80 over HTTP', () => {
    assert.equal(loginServerOf({ name: 'wharf' }, { ...settings, publicPort: 443 }), 'localhost');
    assert.equal(loginServerOf({ name: 'team' }, { ...settings, publicPort: 443 }), 'team.localhost');
    assert.equal(loginServerOf({ name: 'wharf' }, { ...settings, http: true, port: 80 }), 'localhost');
    assert.equal(loginServerOf({ name: 'wharf' }, { ...settings, http: true, port: 443 }), 'localhost:443');
  });

  it('publicPort comes from the file, WHARF_PUBLIC_PORT and the flag', () => {
    assert.equal(loadConfig({ env: {} }).publicPort, undefined);
    assert.equal(loadConfig({ env: { WHARF_PUBLIC_PORT: '443' } }).publicPort, 443);
    assert.equal(loadConfig({ env: { WHARF_PUBLIC_PORT: '443' }, flags: { publicPort: '8443' } }).publicPort, 8443);
    assert.throws(() => loadConfig({ env: { WHARF_PUBLIC_PORT: '0' } }), /publicPort/);
  });

  it('two registries claiming one address clash; distinct addresses do not', () => {
    const clash = (registries: { name: string; loginServer?: string }[]) => addressClash(registries, settings);
    assert.equal(clash([{ name: 'wharf' }, { name: 'team' }, { name: 'ci', loginServer: 'ci.example.test:8443' }]), undefined);
    // The default registry's localhost and IP addresses, on any port.
    for (const taken of ['localhost:8443', 'localhost', 'LOCALHOST:9000', '127.0.0.1:8443', '10.1.2.3', '[::1]:8443']) {
      const found = clash([{ name: 'wharf' }, { name: 'ci', loginServer: taken }]);
      assert.deepEqual([found?.first.registry, found?.second.registry], ['wharf', 'ci'], taken);
    }
    // Another registry's <name>.<domain>, with or without a port; two explicit ones.
    assert.ok(clash([{ name: 'wharf' }, { name: 'team' }, { name: 'ci', loginServer: 'team.localhost:8443' }]));
    assert.ok(
      clash([
        { name: 'a', loginServer: 'r.example.test' },
        { name: 'b', loginServer: 'r.example.test:5000' },
      ]),
    );
    assert.equal(
      clash([
        { name: 'a', loginServer: 'r.example.test:5000' },
        { name: 'b', loginServer: 'r.example.test:6000' },
      ]),
      undefined,
    );
    // A registry's own names never clash with each other; the default may take any explicit address.
    assert.equal(
      clash([
        { name: 'wharf', loginServer: '127.0.0.1:8443' },
        { name: 'team', loginServer: 'team.localhost:8443' },
      ]),
      undefined,
    );
  });
});
