// What `import('@mermaid-js/layout-elk')` resolves to in the site's client bundle
// (./docusaurus-plugin.mts): ELK's own pre-built modules, from the copy next to the site's assets.
const {default: layouts} = await import(/* webpackIgnore: true */ `${__webpack_public_path__}${__SITE_PREBUILT_ELK__}`);
export default layouts;
