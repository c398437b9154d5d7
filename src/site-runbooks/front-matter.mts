// The front matter the site keeps of a page. Its `runbooks:` map (titles, parameters with their
// defaults, step order) is input to `npm run runbooks` alone: no component reads it, yet Docusaurus
// would ship it in every such page's JavaScript, and with it the placeholder site address a
// parameter's default may name (a `SITE_URL` build must name no placeholder anywhere).
import type {ParseFrontMatter} from '@docusaurus/types';

export const parseFrontMatterForSite: ParseFrontMatter = async (params) => {
  const parsed = await params.defaultParseFrontMatter(params);
  const {runbooks: _forExtractionOnly, ...frontMatter} = parsed.frontMatter;
  return {...parsed, frontMatter};
};
