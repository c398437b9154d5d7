// The one-liners a built page shows (src/site-runbooks/RunbookCommand.tsx), read back from its HTML
// as the copy button gives them: the text of each code block that starts with `curl -fsSLo`.
const ENTITIES: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'"};

/** The text of every code block (`<pre>`) of a page, lines joined with "\n". */
export function codeBlocks(html: string): string[] {
  return [...html.matchAll(/<pre\b[^>]*>([\s\S]*?)<\/pre>/g)].map(([, inner]) =>
    inner!
      .replace(/<br\s*\/?>/g, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_, name: string) => ENTITIES[name]!)
      .replace(/\n$/, ''),
  );
}

/** The page's one-liners, in page order. */
export function oneLiners(html: string): string[] {
  return codeBlocks(html).filter((block) => block.startsWith('curl -fsSLo '));
}
