// On a translated doc page: an outdated banner (in the page's language) above the body, and a quiet
// note of the source commit below it. The data comes from the i18n-translation-status plugin
// (src/i18n/docusaurus-plugin.mts), computed from git at build time.
import React, {type ReactNode} from 'react';
import Translate from '@docusaurus/Translate';
import {usePluginData} from '@docusaurus/useGlobalData';
import {useActiveDocContext} from '@docusaurus/plugin-content-docs/client';
import type {TranslatedPageData, TranslationGlobalData} from '../../i18n/index.mts';
import styles from './styles.module.css';

function useTranslatedPage(): TranslatedPageData | undefined {
  // Same name as PLUGIN_NAME in src/i18n/site-data.mts (only types cross into the browser bundle).
  const data = usePluginData('i18n-translation-status') as TranslationGlobalData | undefined;
  const {activeDoc} = useActiveDocContext(undefined);
  return activeDoc ? data?.pages[activeDoc.id] : undefined;
}

function OutdatedBanner({page}: {page: TranslatedPageData}): ReactNode {
  const englishLink = (
    <a href={page.englishUrl} hrefLang="en">
      <Translate id="i18n.outdated.englishLink" description="Link text to the English page in the outdated banner">
        English page
      </Translate>
    </a>
  );
  return (
    <div className="alert alert--warning margin-bottom--md" role="note" data-translation-outdated="">
      <strong>
        <Translate id="i18n.outdated.title" description="Title of the banner on an outdated translation">
          This translation is outdated
        </Translate>
      </strong>
      <p className="margin-bottom--none">
        <Translate id="i18n.outdated.body" description="Body of the outdated banner" values={{englishLink}}>
          {'The English page has changed since this translation was made; see the {englishLink} for the current text.'}
        </Translate>
      </p>
      {page.changedSections.length > 0 && (
        <>
          <p className="margin-bottom--none">
            <Translate id="i18n.outdated.changedSections" description="Lead-in to the list of changed sections">
              Changed sections:
            </Translate>
          </p>
          <ul className="margin-bottom--none" data-changed-sections="">
            {page.changedSections.map((section) => (
              <li key={section ?? ''}>
                {section ?? (
                  <Translate id="i18n.outdated.topOfPage" description="Changed part of a page before its first heading">
                    The beginning of the page
                  </Translate>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function SourceCommitNote({page}: {page: TranslatedPageData}): ReactNode {
  return (
    <p className={styles.sourceNote} data-translation-source={page.sourceCommit}>
      <Translate id="i18n.source.note" description="Quiet note of the English commit a translation follows"
        values={{commit: <code>{page.sourceCommit}</code>}}>
        {'Translated from the English page as of commit {commit}.'}
      </Translate>
    </p>
  );
}

export default function TranslationStatus({children}: {children: ReactNode}): ReactNode {
  const page = useTranslatedPage();
  if (!page) return children;
  return (
    <>
      {page.outdated && <OutdatedBanner page={page} />}
      {children}
      <SourceCommitNote page={page} />
    </>
  );
}
