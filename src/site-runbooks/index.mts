// src/site-runbooks' public surface for other folders: the check that every served runbook is the
// committed one with its runtime inlined. The site loads the plugin and components by path.
export {servedCopyProblems} from './published.mts';
