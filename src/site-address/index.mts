// src/site-address' public surface: the one site address (`SITE_URL`), the remark plugin that
// writes it into pages, and the placeholder the runbooks' advice links carry.
export {default as remarkSiteUrl} from './remark-site-url.mts';
export {deployRefusal, PLACEHOLDER_SITE_URL, siteAddress, withSiteUrl} from './site-url.mts';
