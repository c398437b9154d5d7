// The proxy guide's TUN-mode claims, in a network namespace of the test's own (unshare -n, as
// root) with real TUN devices: the page's tun-check lists a Clash-style interface (Meta) but not a
// WireGuard one (wg0); with the default route on the TUN device, other hosts go through it while
// 127.0.0.1 stays on lo.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {RunbookPlan} from '../../src/plan/plan.mts';
import {canUseNetworkNamespace} from '../../src/stack/squid.mts';
import {runClient} from '../kit/processes.mts';
import {REPO} from '../kit/runbooks.mts';

const tunCheck = (JSON.parse(fs.readFileSync(path.join(REPO, 'runbooks', 'local-proxy.plan.json'), 'utf8')) as RunbookPlan)
  .steps.find((s) => s.id === 'tun-check')!.code;
const usable = canUseNetworkNamespace() && fs.existsSync('/dev/net/tun');

/** `script` in a fresh network namespace whose only links are lo and TUN devices named `names`. */
function inNamespace(names: string[], script: string) {
  const setup = ['ip link set lo up', ...names.map((name) => `ip tuntap add dev ${name} mode tun`)].join(' && ');
  return runClient('unshare', ['-n', 'bash', '-c', `${setup} || exit 90\n${script}`], {PATH: process.env.PATH});
}

describe.skipIf(!usable)(`TUN mode in a network namespace${usable ? '' : ' (skipped: needs root for unshare -n and /dev/net/tun)'}`, () => {
  it('tun-check ignores a WireGuard interface and finds a Clash-style TUN device', async () => {
    const wireguardOnly = await inNamespace(['wg0'], tunCheck);
    expect(wireguardOnly.code, wireguardOnly.stderr).toBe(0);
    expect(wireguardOnly.stdout).toContain('no TUN interface');
    const clash = await inNamespace(['wg0', 'Meta'], tunCheck);
    expect(clash.stdout).toMatch(/^Meta\s/m);
    expect(clash.stdout).not.toMatch(/^wg0\s/m);
  });

  it('with the default route on the TUN device, a LAN host goes through it and 127.0.0.1 stays on lo', async () => {
    const routes = await inNamespace(['Meta'], 'ip link set Meta up && ip addr add 198.18.0.1/16 dev Meta && ip route add default dev Meta\nip route get 192.168.1.20\nip route get 127.0.0.1');
    expect(routes.code, routes.stderr).toBe(0);
    expect(routes.stdout).toMatch(/^192\.168\.1\.20 dev Meta /m);
    expect(routes.stdout).toMatch(/^local 127\.0\.0\.1 dev lo /m);
  });
});
