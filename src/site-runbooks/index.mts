// src/site-runbooks' public surface for other folders: the check that every served runbook is the
// committed one with its runtime inlined, and the front matter the site keeps of a page. The site
// loads the plugin and components by path.
export {parseFrontMatterForSite} from './front-matter.mts';
export {servedCopyProblems} from './published.mts';
