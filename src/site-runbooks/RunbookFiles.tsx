// `<RunbookFiles />`: every runbook the site serves, with its size and sha256, computed at build
// time from the very bytes the build publishes (docusaurus-plugin.mts).
import React, {type ReactNode} from 'react';
import Translate from '@docusaurus/Translate';
import {useRunbooks} from './useRunbooks';

export default function RunbookFiles(): ReactNode {
  const runbooks = useRunbooks();
  return (
    <table data-runbook-files="">
      <thead>
        <tr>
          <th><Translate id="runbooks.files.file" description="Column of the runbook files table: the file and its URL">file</Translate></th>
          <th><Translate id="runbooks.files.size" description="Column of the runbook files table: size in bytes">bytes</Translate></th>
          <th>sha256</th>
        </tr>
      </thead>
      <tbody>
        {runbooks.map((r) => (
          <tr key={r.name} data-runbook={r.name}>
            <td><a href={r.url}><code>{`${r.name}.mjs`}</code></a></td>
            <td>{r.size}</td>
            <td><code data-sha256="">{r.sha256}</code></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
