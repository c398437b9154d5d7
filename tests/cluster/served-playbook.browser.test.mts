// The built site serves the playbook beside the runbooks, and the Fix a cluster page in both
// languages, linked from both guides (from the one site build the browser tests share).
import * as fs from 'node:fs';
import * as path from 'node:path';
import {describe, expect, it} from 'vitest';
import {REPO} from '../kit/runbooks.mts';
import {useBuiltSite} from '../site/built-site.mts';

async function get(url: string): Promise<{status: number; body: string}> {
  const res = await fetch(url);
  return {status: res.status, body: await res.text()};
}

describe('the site serves the cluster playbook and its page', () => {
  const session = useBuiltSite({browser: false});

  it('serves static/cluster/fix-noproxy.yml byte for byte, and fix-noproxy.mjs beside the runbooks', async () => {
    const playbook = await get(`${session.server.url}cluster/fix-noproxy.yml`);
    expect(playbook.status).toBe(200);
    expect(playbook.body).toBe(fs.readFileSync(path.join(REPO, 'static/cluster/fix-noproxy.yml'), 'utf8'));
    expect((await get(`${session.server.url}runbooks/fix-noproxy.mjs`)).status).toBe(200);
  });

  it.each([['', 'Fix NO_PROXY on a whole cluster'], ['zh-Hans/', '在整个集群上修复 NO_PROXY']])('has the page in %s and both guides link it', async (locale, title) => {
    const page = await get(`${session.server.url}${locale}guides/fix-a-cluster`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(title);
    expect(page.body).toContain('kubectl exec');
    for (const guide of ['local-service-proxy', 'restricted-networks']) {
      const html = (await get(`${session.server.url}${locale}guides/${guide}`)).body;
      // minified HTML: the attribute may be unquoted
      expect(new RegExp(`href="?/${locale}guides/fix-a-cluster[">]`).test(html), `${locale}${guide} links the page`).toBe(true);
    }
  });
});
