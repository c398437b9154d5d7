// Content comparison of two versions of an English page (pure functions, no git).
import {describe, expect, it} from 'vitest';
import {compareContent, contentLines} from '../../src/i18n/content-diff.mts';

const page = (setup: string, code: string) =>
  `---\ntitle: T\n---\nIntro.\n\n## Setup {#setup}\n\n${setup}\n\n## Code ##\n\n\`\`\`bash\n# not a heading\n${code}\n\`\`\`\n`;

describe('content comparison', () => {
  it('tags lines with their section; `#` lines inside code fences are not headings', () => {
    const sections = contentLines(page('Do it.', 'echo hi')).map((l) => l.section);
    expect(sections).toEqual([null, 'Setup', 'Setup', 'Code', 'Code', 'Code', 'Code', 'Code']);
  });

  it('reports added/removed lines and the sections they are in', () => {
    expect(compareContent(page('Do it.', 'echo hi'), page('Do it now.', 'echo hello'))).toEqual({
      added: 2, removed: 2, sections: ['Setup', 'Code'],
    });
  });

  it('ignores front matter, indentation, trailing and repeated spaces, blank lines and CRLF', () => {
    const changed = page('Do   it.  ', '  echo hi').replace('title: T', 'title: Other').replace(/\n/g, '\r\n\r\n');
    expect(compareContent(page('Do it.', 'echo hi'), changed)).toEqual({added: 0, removed: 0, sections: []});
  });

  it('counts a removed section under its old heading', () => {
    const without = 'Intro.\n';
    expect(compareContent(page('Do it.', 'echo hi'), `---\ntitle: T\n---\n${without}`).sections).toEqual(['Setup', 'Code']);
  });
});
