// local-proxy: the guide's checks for a machine with a Clash/v2ray-style proxy, run against the
// mock vLLM with all_proxy pointing at the stack's real SOCKS5 server and http_proxy at the local
// proxy (the forward Squid). No TUN interface exists here; the socksio extra is not installed.
import {expect, it} from 'vitest';
import {jsonReport, runRunbook, tempHome} from '../kit/runbooks.mts';
import {describeWithSocks, socksInfo, squidInfo, stackInfo} from '../kit/stack.mts';

describeWithSocks('local-proxy against the mock vLLM, a local HTTP proxy and a SOCKS5 server', () => {
  it('finds no TUN interface, reports the SOCKS extras, and reaches the service without the SOCKS variables', async () => {
    const local = squidInfo().forward.url;
    const home = tempHome({all_proxy: socksInfo().url, ALL_PROXY: socksInfo().url, http_proxy: local, HTTP_PROXY: local, no_proxy: 'localhost,127.0.0.1,::1,0.0.0.0', NO_PROXY: 'localhost,127.0.0.1,::1,0.0.0.0'});
    try {
      const ran = await runRunbook('local-proxy', ['--url', stackInfo().mockVllm.url, '--json'], home.env);
      const steps = Object.fromEntries(jsonReport(ran).steps.map((s) => [s.id, s]));
      expect(ran.code, ran.stderr).toBe(0);
      expect(steps['tun-check'].output).toContain('no TUN interface');
      expect(steps['socks-extras'].output).toMatch(/^socksio \(httpx, openai SDK\): (installed|missing)$/m);
      expect(steps['socks-extras'].output).toMatch(/^PySocks \(requests\): (installed|missing)$/m);
      expect(JSON.parse(steps['without-socks'].output).data[0].id).toBe(stackInfo().mockVllm.model);
    } finally {
      home.remove();
    }
  }, 60_000);
});
