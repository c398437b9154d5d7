// The offline bundle (`npm run bundle`, src/site-bundle) unpacked and served by
// `python3 -m http.server`, in headless Chromium: the page checks that depend on the server
// (./page-checks.mts: navigation, the locale dropdown, search in both languages, Mermaid's assets); the
// layout of the same pages is checked once, on the site's own server.
import {describe} from 'vitest';
import {serveBundle} from './bundle-server.mts';
import {useBuiltSite} from './built-site.mts';
import {pageChecks} from './page-checks.mts';

const session = useBuiltSite({browser: true, serve: (outDir) => serveBundle(outDir)});

describe('the offline bundle behind python3 -m http.server, in Chromium', () => pageChecks(session, {layout: false}));
