// Where the generated runbooks live, relative to the repository root, and how a committed runbook
// and the one runtime it imports make the one self-contained file the site serves: the extractor
// writes them, the site publishes them (src/site-runbooks), tests read them.

export const RUNBOOKS_DIR = 'runbooks';

/** The runbook: its readable part, then one import of the runtime and the call with its plan. */
export function scriptFile(name: string): string {
  return `${RUNBOOKS_DIR}/${name}.mjs`;
}

/** The plan as JSON, for tools and tests (the script carries its own copy). */
export function planFile(name: string): string {
  return `${RUNBOOKS_DIR}/${name}.plan.json`;
}

/** Where the one runtime every runbook imports is, relative to the runbook. */
export const RUNTIME_BESIDE_SCRIPT = 'lib/runtime.mjs';

/** The runtime: src/runner (with src/netcheck) bundled. */
export const RUNTIME_FILE = `${RUNBOOKS_DIR}/${RUNTIME_BESIDE_SCRIPT}`;

/**
 * The line of a committed runbook that imports the runtime (the served file has the runtime there).
 * A dynamic import, so that a runbook copied without its runtime says so in one line.
 */
export const RUNTIME_IMPORT =
  `const {startRunbook} = await import('./${RUNTIME_BESIDE_SCRIPT}').catch((error) => { process.stderr.write(\`this runbook needs ${RUNTIME_BESIDE_SCRIPT} beside it (\${error.code ?? error.message}): copy the whole runbooks/ folder, or download the runbook from the site, which has the runtime inside\\n\`); process.exit(2); });\n`;

/** The last line of the runtime file: what the runbooks (and runbook-netcheck) import from it. */
export const RUNTIME_EXPORT = 'export {runNetcheck, startRunbook};\n';

/**
 * The self-contained runbook: `script` (a committed runbooks/<name>.mjs) with its import line
 * replaced by `runtime` (runbooks/lib/runtime.mjs) without its export line. A pure function of the
 * two texts, so the served bytes are reproducible.
 */
export function inlineRuntime(script: string, runtime: string): string {
  const at = script.indexOf(RUNTIME_IMPORT);
  if (at === -1 || script.indexOf(RUNTIME_IMPORT, at + 1) !== -1) throw new Error('a runbook imports the runtime exactly once, on its own line');
  if (!runtime.endsWith(RUNTIME_EXPORT)) throw new Error(`${RUNTIME_FILE} does not end with its export line`);
  return `${script.slice(0, at)}${runtime.slice(0, -RUNTIME_EXPORT.length)}${script.slice(at + RUNTIME_IMPORT.length)}`;
}
