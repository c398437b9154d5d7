// src/extraction's public surface: the remark plugin the site's config runs over every page (a wrong
// annotation fails the build), and the step comparison i18n:check applies to translations. Its
// programs (`npm run runbooks`, `runbooks:check`, `docs:coverage`) start from cli.mts.
export {default as remarkValidateAnnotations} from './remark-validate-annotations.mts';
export {compareTranslationSteps} from './translation.mts';
