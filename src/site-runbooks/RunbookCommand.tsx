// `<RunbookCommand name="fix-noproxy" args="--check" />`: the one-liner that runs a runbook
// straight from this site, in a code block with Docusaurus's copy button (`prefix="curl -fsSLO"`
// downloads it instead). An unknown name fails
// the build, so a page cannot point at a runbook the site does not serve.
import React, {type ReactNode} from 'react';
import CodeBlock from '@theme/CodeBlock';
import {useRunbooks} from './useRunbooks';

export default function RunbookCommand({name, args, prefix = 'npx zx'}: {name: string; args?: string; prefix?: string}): ReactNode {
  const runbook = useRunbooks().find((r) => r.name === name);
  if (!runbook) throw new Error(`RunbookCommand: no runbook ${JSON.stringify(name)} in runbooks/ (run npm run runbooks)`);
  return <CodeBlock language="bash">{`${prefix} ${runbook.url}${args ? ` ${args}` : ''}`}</CodeBlock>;
}
