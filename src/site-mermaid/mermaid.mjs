// What `import('mermaid')` resolves to in the site's client bundle (./docusaurus-plugin.mts): the
// browser loads Mermaid's own pre-built modules from the copy next to the site's assets.
const {default: mermaid} = await import(/* webpackIgnore: true */ `${__webpack_public_path__}${__SITE_PREBUILT_MERMAID__}`);
export default mermaid;
