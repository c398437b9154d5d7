// The text of a runbook's one-liner (RunbookCommand.tsx renders it; tests read it back from the
// built pages). Three lines joined by `&&`, each continuing the one before, so the copy button
// gives one command that stops at the first failure: curl's own line when the download fails
// (no proxy, a name only the proxy resolves, HTTP errors), sha256sum's when the bytes differ.
// `.ts`, not `.mts`: the browser bundle imports it.
import type {PublishedRunbookData} from './site-data.ts';

/** Download, verify and (unless `args` is undefined) run `node FILE ARGS`. */
export function oneLiner(runbook: Pick<PublishedRunbookData, 'name' | 'url' | 'sha256'>, args: string | undefined): string {
  const file = `${runbook.name}.mjs`;
  const lines = [`curl -fsSLo ${file} ${runbook.url}`, `echo "${runbook.sha256}  ${file}" | sha256sum -c --quiet`];
  if (args !== undefined) lines.push(`node ${file}${args ? ` ${args}` : ''}`);
  return lines.join(' &&\n  ');
}
