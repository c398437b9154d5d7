// The published runbooks and their absolute URLs, from the plugin's global data and the site's
// own url and baseUrl (docusaurus.config.ts).
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import {usePluginData} from '@docusaurus/useGlobalData';
import {PLUGIN_NAME, type PublishedRunbookData, type RunbooksGlobalData} from './site-data.mts';

export interface RunbookLink extends PublishedRunbookData {
  url: string;
}

export function useRunbooks(): RunbookLink[] {
  const {siteConfig} = useDocusaurusContext();
  const data = usePluginData(PLUGIN_NAME) as RunbooksGlobalData;
  return data.runbooks.map((r) => ({...r, url: `${siteConfig.url}${siteConfig.baseUrl}${r.path}`}));
}
