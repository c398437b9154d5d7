// Wraps (never ejects) the theme's MDXContent, the one component every doc page renders its body
// with and which is safe to wrap: translated pages get their translation status around the body.
import React, {type ReactNode} from 'react';
import MDXContent from '@theme-original/MDXContent';
import type MDXContentType from '@theme/MDXContent';
import type {WrapperProps} from '@docusaurus/types';
import TranslationStatus from '../TranslationStatus';

type Props = WrapperProps<typeof MDXContentType>;

export default function MDXContentWrapper(props: Props): ReactNode {
  return (
    <TranslationStatus>
      <MDXContent {...props} />
    </TranslationStatus>
  );
}
