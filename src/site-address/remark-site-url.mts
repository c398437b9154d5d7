// A remark plugin for the site's build (docusaurus.config.ts → docs → remarkPlugins): a page that
// names the placeholder address (a runbook step that prints a link, say) shows the address this
// build is for, in code, text and link targets alike. The runbooks the site serves get the same
// substitution (src/site-runbooks), so a page and the runbook it offers print the same links.
import type {Root} from 'mdast';
import {visit} from 'unist-util-visit';
import {siteAddress, withSiteUrl} from './site-url.mts';

export default function remarkSiteUrl() {
  const {siteUrl, placeholder} = siteAddress();
  return (tree: Root): void => {
    if (placeholder) return;
    visit(tree, (node) => {
      if ('value' in node && typeof node.value === 'string') node.value = withSiteUrl(node.value, siteUrl);
      if (node.type === 'link' || node.type === 'definition') node.url = withSiteUrl(node.url, siteUrl);
    });
  };
}
