// `<RunbookCommand name="fix-noproxy" args="--check" />`: the line that runs a runbook straight from
// this site on the machine with the problem, in a code block with Docusaurus's copy button. It works
// behind a proxy and without an npm registry: curl downloads through http_proxy/https_proxy, the
// sha256 this build computed from the served bytes must match or nothing runs, and Node alone runs
// the file. `download` stops after the check (to carry the file elsewhere, or read it first).
// An unknown name fails the build, so a page cannot point at a runbook the site does not serve.
import React, {type ReactNode} from 'react';
import CodeBlock from '@theme/CodeBlock';
import {useRunbooks} from './useRunbooks';
import {oneLiner} from './one-liner.ts';

export default function RunbookCommand({name, args, download = false}: {name: string; args?: string; download?: boolean}): ReactNode {
  const runbook = useRunbooks().find((r) => r.name === name);
  if (!runbook) throw new Error(`RunbookCommand: no runbook ${JSON.stringify(name)} in runbooks/ (run npm run runbooks)`);
  return <CodeBlock language="bash">{oneLiner(runbook, download ? undefined : args ?? '')}</CodeBlock>;
}
