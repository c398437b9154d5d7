// The published runbooks, with the absolute URL the site serves each at (plugin global data).
import {usePluginData} from '@docusaurus/useGlobalData';
import {PLUGIN_NAME, type PublishedRunbookData, type RunbooksGlobalData} from './site-data.ts';

export function useRunbooks(): PublishedRunbookData[] {
  return (usePluginData(PLUGIN_NAME) as RunbooksGlobalData).runbooks;
}
