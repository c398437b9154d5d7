import type {SidebarsConfig} from '@docusaurus/plugin-content-docs';

const sidebars: SidebarsConfig = {
  guides: [
    'intro',
    {
      type: 'category',
      label: 'Guides',
      collapsed: false,
      items: ['guides/local-service-proxy', 'guides/other-environments', 'guides/restricted-networks', 'guides/fix-a-cluster'],
    },
    'runbooks',
    {
      type: 'category',
      label: 'Contributing',
      items: ['contributing/translating', 'contributing/deploying'],
    },
  ],
};

export default sidebars;
