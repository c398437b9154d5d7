// Where the generated runbooks live, relative to the repository root: the extractor writes them,
// the site publishes them (src/site-runbooks), tests read them.

export const RUNBOOKS_DIR = 'runbooks';

/** The self-contained script: what users run and the site serves at <baseUrl>runbooks/<name>.mjs. */
export function scriptFile(name: string): string {
  return `${RUNBOOKS_DIR}/${name}.mjs`;
}

/** The plan as JSON, for tools and tests (the script carries its own copy). */
export function planFile(name: string): string {
  return `${RUNBOOKS_DIR}/${name}.plan.json`;
}
