// The proxy checker on the proxy guide: paste the proxy variables and the service URL, see what each
// client does, copy the NO_PROXY lines that fix it. Everything is computed here, in the browser, by
// checkerModel (src/proxy's rules); nothing is sent anywhere. Contract: ./README.md.
import React, {useEffect, useId, useMemo, useRef, useState, type ReactNode} from 'react';
import Translate, {translate} from '@docusaurus/Translate';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import type {IgnoredLine} from '../../proxy/pasted.mts';
import {checkerModel, GROUPS, redactPaste, type CheckerInput, type GroupId, type Row} from './model.mts';
import {readShareFragment, shareFragment} from './share.mts';
import styles from './styles.module.css';

const DEFAULT_URL = 'http://127.0.0.1:8000';

function groupLabel(id: GroupId): string {
  switch (id) {
    case 'evalscope':
      return translate({id: 'proxyChecker.group.evalscope', message: 'EvalScope, the openai SDK, huggingface_hub ≥ 1.0 (httpx; openai SDK 3.x: httpx2; evalscope perf: aiohttp)', description: 'Group of clients in the proxy checker table'});
    case 'lm-eval':
      return translate({id: 'proxyChecker.group.lmEval', message: 'lm-eval-harness, pip (requests; aiohttp when num_concurrent > 1)', description: 'Group of clients in the proxy checker table'});
    case 'python':
      return translate({id: 'proxyChecker.group.python', message: 'Python scripts without dependencies (urllib)', description: 'Group of clients in the proxy checker table'});
    case 'command-line':
      return translate({id: 'proxyChecker.group.commandLine', message: 'curl, git, wget', description: 'Group of clients in the proxy checker table'});
    case 'node':
      return translate({id: 'proxyChecker.group.node', message: 'Node.js', description: 'Group of clients in the proxy checker table'});
    case 'go':
      return translate({id: 'proxyChecker.group.go', message: 'Go', description: 'Group of clients in the proxy checker table'});
    case 'java':
      return translate({id: 'proxyChecker.group.java', message: 'Java', description: 'Group of clients in the proxy checker table'});
  }
}

function verdictLabel(outcome: Row['outcome']): string {
  switch (outcome) {
    case 'direct':
      return translate({id: 'proxyChecker.verdict.direct', message: 'direct', description: 'Verdict: the client connects to the service directly'});
    case 'via':
      return translate({id: 'proxyChecker.verdict.via', message: 'via the proxy', description: 'Verdict: the client sends the request to the proxy'});
    case 'fails':
      return translate({id: 'proxyChecker.verdict.fails', message: 'fails before sending', description: 'Verdict: the client raises an error before sending anything'});
  }
}

function ignoredReason(reason: IgnoredLine['reason']): string {
  return reason === 'not-a-proxy-variable'
    ? translate({id: 'proxyChecker.ignored.notProxy', message: 'not a proxy variable (value not shown)', description: 'Why a pasted line was ignored'})
    : translate({id: 'proxyChecker.ignored.notAssignment', message: 'not a variable assignment', description: 'Why a pasted line was ignored'});
}

function urlProblem(problem: 'empty' | 'not-a-url' | 'not-http'): string {
  switch (problem) {
    case 'empty':
      return translate({id: 'proxyChecker.url.empty', message: 'Enter the address of your service, e.g. http://127.0.0.1:8000.', description: 'Error under an empty URL field'});
    case 'not-a-url':
      return translate({id: 'proxyChecker.url.invalid', message: 'This is not a URL. Write it as http://127.0.0.1:8000 (the port once).', description: 'Error under an invalid URL'});
    case 'not-http':
      return translate({id: 'proxyChecker.url.notHttp', message: 'Only http:// and https:// addresses can be checked.', description: 'Error under a URL with another scheme'});
  }
}

function ClientTable({rows, label}: {rows: Row[]; label: string}): ReactNode {
  const {i18n} = useDocusaurusContext();
  const byClient = new Map(rows.map((row) => [row.client, row]));
  const columns = {
    client: translate({id: 'proxyChecker.column.client', message: 'Client', description: 'Column header in the proxy checker table'}),
    verdict: translate({id: 'proxyChecker.column.verdict', message: 'Verdict', description: 'Column header in the proxy checker table'}),
    proxy: translate({id: 'proxyChecker.column.proxy', message: 'Proxy used', description: 'Column header in the proxy checker table'}),
    rule: translate({id: 'proxyChecker.column.rule', message: 'Rule that decided', description: 'Column header in the proxy checker table'}),
  };
  return (
    <table className={styles.table} aria-label={label}>
      <colgroup>
        <col />
        <col />
        <col />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">{columns.client}</th>
          <th scope="col">{columns.verdict}</th>
          <th scope="col">{columns.proxy}</th>
          <th scope="col">{columns.rule}</th>
        </tr>
      </thead>
      {GROUPS.map((group) => (
        <tbody key={group.id}>
          <tr className={styles.group}>
            <th scope="colgroup" colSpan={4}>{groupLabel(group.id)}</th>
          </tr>
          {group.clients.map((id) => byClient.get(id)).filter((row) => row !== undefined).map((row) => (
            <tr key={row.client} data-client={row.client} data-outcome={row.outcome}>
              <th scope="row">{row.name}</th>
              <td data-label={columns.verdict}>
                <span className={styles[row.outcome]}>{verdictLabel(row.outcome)}</span>
              </td>
              <td data-label={columns.proxy}>{row.proxy ? <code>{row.proxy}</code> : '–'}</td>
              <td data-label={columns.rule}>
                <span lang={i18n.currentLocale === 'en' ? undefined : 'en'}>{row.rule}</span>
                {row.assumes && (
                  <span className={styles.assumes}>
                    {' '}
                    <Translate id="proxyChecker.rule.assumes" description="After a rule: the client release it describes (English)"
                      values={{release: <span lang="en">{row.assumes}</span>}}>
                      {'(rule of {release})'}
                    </Translate>
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}

function Summary({rows}: {rows: Row[]}): ReactNode {
  const affected = rows.filter((row) => row.outcome !== 'direct');
  if (affected.length === 0) {
    return (
      <p className={styles.ok} data-summary="direct">
        <Translate id="proxyChecker.summary.allDirect" description="Summary when every client connects directly">
          Every client connects directly.
        </Translate>
      </p>
    );
  }
  return (
    <p className={styles.problem} data-summary="problem">
      <Translate id="proxyChecker.summary.affected" description="Summary listing the clients that do not connect directly"
        values={{count: affected.length, total: rows.length, clients: affected.map((row) => row.client).join(', ')}}>
        {'{count} of {total} clients do not connect directly: {clients}.'}
      </Translate>
    </p>
  );
}

/** Copies `text`; where the Clipboard API is missing (a plain-http site), selects `fallback` so
 *  Ctrl+C does it. */
function CopyButton({text, fallback, children}: {text: string; fallback: React.RefObject<HTMLElement | null>; children: ReactNode}): ReactNode {
  const [state, setState] = useState<'idle' | 'copied' | 'select'>('idle');
  useEffect(() => setState('idle'), [text]);
  const copy = () => {
    const select = () => {
      const node = fallback.current;
      if (node) window.getSelection()?.selectAllChildren(node);
      setState('select');
    };
    if (!navigator.clipboard) return select();
    navigator.clipboard.writeText(text).then(() => setState('copied'), select);
  };
  return (
    <span className={styles.copy}>
      <button type="button" className="button button--sm button--secondary" onClick={copy}>{children}</button>
      <span role="status" className={styles.copyStatus}>
        {state === 'copied' && <Translate id="proxyChecker.copy.done" description="Shown after a copy button was used">Copied.</Translate>}
        {state === 'select' && <Translate id="proxyChecker.copy.select" description="Shown when the browser cannot copy by itself">Selected: press Ctrl+C to copy.</Translate>}
      </span>
    </span>
  );
}

function CodeBlock({text, name, copyLabel}: {text: string; name: string; copyLabel: ReactNode}): ReactNode {
  const code = useRef<HTMLElement>(null);
  return (
    <div className={styles.code}>
      <pre data-fix={name}><code ref={code}>{text}</code></pre>
      <CopyButton text={text} fallback={code}>{copyLabel}</CopyButton>
    </div>
  );
}

/** Pasted text lands with its passwords already replaced by ***: no client decides by them, and a
 *  screenshot of the page then shows none. insertText keeps the field's undo history, but browsers
 *  make it slower than linear in the text's length, so a large paste is set in one step instead. */
const UNDOABLE_PASTE = 16_000;

/** Ignored lines listed (the summary counts them all): a whole `env` dump would be thousands. */
const SHOWN_IGNORED = 200;

function pasteRedacted(event: React.ClipboardEvent<HTMLTextAreaElement>): void {
  const text = event.clipboardData.getData('text/plain');
  const redacted = redactPaste(text);
  if (redacted === text) return;
  event.preventDefault();
  if (redacted.length > UNDOABLE_PASTE || !document.execCommand('insertText', false, redacted)) {
    const field = event.currentTarget;
    field.setRangeText(redacted, field.selectionStart, field.selectionEnd, 'end');
    field.dispatchEvent(new Event('input', {bubbles: true}));
  }
}

export interface ProxyCheckerProps {
  /** Level of the checker's own headings: one below the page heading it is placed under. */
  headingLevel?: 2 | 3 | 4 | 5;
}

export default function ProxyChecker({headingLevel = 3}: ProxyCheckerProps): ReactNode {
  const Heading = `h${headingLevel}` as const;
  const [input, setInput] = useState<CheckerInput>({envText: '', urlText: DEFAULT_URL});
  const model = useMemo(() => checkerModel(input), [input]);
  const share = useMemo(() => shareFragment(input), [input]);
  const shareRef = useRef<HTMLAnchorElement>(null);
  const id = useId();

  // A share link opens the checker with the input it carries.
  useEffect(() => {
    const restore = () => {
      const shared = readShareFragment(window.location.hash);
      if (shared) setInput(shared);
    };
    restore();
    window.addEventListener('hashchange', restore);
    return () => window.removeEventListener('hashchange', restore);
  }, []);

  const urlError = model.url.ok ? undefined : urlProblem(model.url.problem);
  const pasted = input.envText.trim() !== '';
  return (
    <section className={styles.checker} aria-labelledby={`${id}-title`} data-proxy-checker="">
      <Heading id={`${id}-title`} className={styles.title}>
        <Translate id="proxyChecker.title" description="Title of the proxy checker">Proxy checker</Translate>
      </Heading>
      <p className={styles.privacy}>
        <Translate id="proxyChecker.privacy" description="Privacy note above the proxy checker fields">
          It runs in this page only: what you paste is never sent anywhere, and passwords in proxy URLs are shown as ***.
        </Translate>
      </p>
      <label htmlFor={`${id}-env`} className={styles.label}>
        <Translate id="proxyChecker.env.label" description="Label of the text area for the proxy variables"
          values={{command: <code>env | grep -i proxy</code>}}>
          {'Paste what {command} prints'}
        </Translate>
      </label>
      <textarea id={`${id}-env`} className={styles.input} rows={6} spellCheck={false} autoCapitalize="off" autoComplete="off"
        aria-describedby={`${id}-env-hint`} value={input.envText}
        placeholder={'http_proxy=http://proxy.example.com:8080\nno_proxy=localhost,127.0.0.1'}
        onChange={(event) => setInput({...input, envText: event.target.value})} onPaste={pasteRedacted} />
      <p id={`${id}-env-hint`} className={styles.hint}>
        <Translate id="proxyChecker.env.hint" description="Hint under the text area for the proxy variables">
          export lines, set -x traces and Windows set output work too; other lines are ignored and listed.
        </Translate>
      </p>
      <label htmlFor={`${id}-url`} className={styles.label}>
        <Translate id="proxyChecker.url.label" description="Label of the service URL field">URL of your service</Translate>
      </label>
      <input id={`${id}-url`} className={styles.input} type="text" inputMode="url" spellCheck={false} autoCapitalize="off"
        autoComplete="off" value={input.urlText} aria-invalid={urlError ? true : undefined}
        aria-describedby={urlError ? `${id}-url-error` : undefined}
        onChange={(event) => setInput({...input, urlText: event.target.value})} />
      {urlError && <p id={`${id}-url-error`} className={styles.error} role="alert">{urlError}</p>}
      {model.url.ok && model.url.url !== input.urlText.trim() && (
        <p className={styles.hint} data-normalised-url={model.url.url}>
          <Translate id="proxyChecker.url.normalised" description="Shows the URL the checker uses after adding http://"
            values={{url: <code>{model.url.url}</code>}}>
            {'Checking {url}.'}
          </Translate>
        </p>
      )}
      {model.listenAddress && (
        <p className={styles.hint}>
          <Translate id="proxyChecker.url.listenAddress" description="Hint when the URL host is 0.0.0.0"
            values={{listen: <code>0.0.0.0</code>, local: <code>127.0.0.1</code>}}>
            {'{listen} is the address the server listens on; point clients at {local}.'}
          </Translate>
        </p>
      )}

      <p className={styles.found} data-variables="" aria-live="polite">
        {!pasted ? (
          <Translate id="proxyChecker.variables.waiting" description="Shown before anything is pasted">
            Paste the variables above: what each client does, and the fix, appear here.
          </Translate>
        ) : model.variables.length === 0 ? (
          <Translate id="proxyChecker.variables.none" description="No proxy variable found in the pasted text">
            No proxy variable in the pasted text: every client connects directly.
          </Translate>
        ) : (
          <>
            <Translate id="proxyChecker.variables.found" description="Lead-in to the list of proxy variables found">
              Proxy variables found:
            </Translate>{' '}
            {model.variables.map(({name, value}, index) => (
              <React.Fragment key={name}>
                {index > 0 && ' '}
                <code>{`${name}=${value}`}</code>
              </React.Fragment>
            ))}
          </>
        )}
      </p>
      {model.ignored.length > 0 && (
        <details className={styles.ignored} data-ignored="">
          <summary>
            <Translate id="proxyChecker.ignored.summary" description="Summary of the list of ignored pasted lines"
              values={{count: model.ignored.length}}>
              {'{count} line(s) ignored'}
            </Translate>
          </summary>
          <ul>
            {model.ignored.slice(0, SHOWN_IGNORED).map((line) => (
              <li key={`${line.line}-${line.text}`}>
                <Translate id="proxyChecker.ignored.line" description="One ignored line: its number, its text, the reason"
                  values={{line: line.line, text: <code>{line.text}</code>, reason: ignoredReason(line.reason)}}>
                  {'line {line}: {text}: {reason}'}
                </Translate>
              </li>
            ))}
            {model.ignored.length > SHOWN_IGNORED && <li aria-hidden="true">…</li>}
          </ul>
        </details>
      )}

      {/* The results once something is pasted: before that, the page stays short. */}
      {pasted && (
        <>
          {model.url.ok && (
            <div data-table="before">
              <ClientTable rows={model.rows} label={translate({id: 'proxyChecker.table.before', message: 'What each client does now', description: 'Accessible name of the first table'})} />
              <Summary rows={model.rows} />
            </div>
          )}

          <Heading className={styles.title}>
            <Translate id="proxyChecker.fix.title" description="Heading of the suggested lines">The fix: add these two lines</Translate>
          </Heading>
          <p>
            <Translate id="proxyChecker.fix.where" description="Where to put the suggested lines"
              values={{bashrc: <code>~/.bashrc</code>, zshrc: <code>~/.zshrc</code>}}>
              {'At the end of {bashrc} or {zshrc}, then open a new terminal. Your entries are kept; the four local addresses are added.'}
            </Translate>
          </p>
          <CodeBlock text={model.fix.bash} name="bash"
            copyLabel={<Translate id="proxyChecker.copy.lines" description="Copy button for the suggested lines">Copy the lines</Translate>} />
          <p>
            <Translate id="proxyChecker.fix.fish" description="Lead-in to the fish variant of the lines"
              values={{file: <code>~/.config/fish/config.fish</code>}}>
              {'For fish, in {file}:'}
            </Translate>
          </p>
          <CodeBlock text={model.fix.fish} name="fish"
            copyLabel={<Translate id="proxyChecker.copy.fishLines" description="Copy button for the fish lines">Copy the fish lines</Translate>} />
          {model.fix.dropped.length > 0 && (
            <ul data-dropped="">
              {model.fix.dropped.map(({entry, reason}) => (
                <li key={entry}>
                  <Translate id="proxyChecker.fix.dropped" description="An entry left out of the suggested value, with the reason (in English)"
                    values={{entry: <code>{entry}</code>, reason: <span lang="en">{reason}</span>}}>
                    {'Left out {entry}: {reason}.'}
                  </Translate>
                </li>
              ))}
            </ul>
          )}

          {model.url.ok && (
            <div data-table="after">
              <Heading className={styles.title}>
                <Translate id="proxyChecker.after.title" description="Heading of the table recomputed with the fix">With these lines</Translate>
              </Heading>
              <ClientTable rows={model.after} label={translate({id: 'proxyChecker.table.after', message: 'What each client does with the fix', description: 'Accessible name of the second table'})} />
              <Summary rows={model.after} />
            </div>
          )}

          <p className={styles.share}>
            <a ref={shareRef} href={share} data-share-link="">
              <Translate id="proxyChecker.share.link" description="Link that reopens the checker with the same input">Link to this check</Translate>
            </a>{' '}
            <CopyButton text={typeof window === 'undefined' ? share : new URL(share, window.location.href).href} fallback={shareRef}>
              <Translate id="proxyChecker.copy.link" description="Copy button for the share link">Copy the link</Translate>
            </CopyButton>{' '}
            <span className={styles.hint}>
              <Translate id="proxyChecker.share.note" description="What the share link contains">
                The link holds the proxy variables with passwords replaced by ***, after the # (never sent to a server).
              </Translate>
            </span>
          </p>
        </>
      )}
    </section>
  );
}
