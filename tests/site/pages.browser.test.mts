// The built site in headless Debian Chromium, on the shared build's own server: the page checks
// (./page-checks.mts: both locales, the locale dropdown, search in English and Chinese, Mermaid, the
// quick fix in the first viewport, dark mode, no console errors).
import {describe} from 'vitest';
import {useBuiltSite} from './built-site.mts';
import {pageChecks} from './page-checks.mts';

const session = useBuiltSite({browser: true});

describe('the built site in Chromium', () => pageChecks(session, {layout: true}));
