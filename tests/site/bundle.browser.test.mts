// The offline bundle (`npm run bundle`, src/site-bundle) unpacked and served by
// `python3 -m http.server`, in headless Chromium: the same page checks as the site's own server gets
// (./page-checks.mts), search in both languages included.
import {describe} from 'vitest';
import {serveBundle} from './bundle-server.mts';
import {useBuiltSite} from './built-site.mts';
import {pageChecks} from './page-checks.mts';

const session = useBuiltSite({browser: true, serve: (outDir) => serveBundle(outDir)});

describe('the offline bundle behind python3 -m http.server, in Chromium', () => pageChecks(session));
