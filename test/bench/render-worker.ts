/**
 * A worker thread of the archive builder (render-pool.ts): renders generated posts with Kiji's
 * content functions and counts the document frequency of their terms (as TokenStatistics counts
 * them), off the thread that generates the posts and writes them.
 */
import { makeExcerpt, readingTimeMinutes, renderMarkdown } from '../../src/content';
import { tokenFrequencies } from '../../src/content/searchTokens';
import { answerRequests } from '../../src/services/shared';
import type { RenderReply, RenderRequest } from './render-pool';

/** Each term's document frequency over the posts this worker rendered. */
const df = new Map<string, number>();

function render(posts: { title: string; bodyMarkdown: string }[]): RenderReply {
  const started = performance.now();
  const bodies = posts.map(({ bodyMarkdown }) => {
    const rendered = renderMarkdown(bodyMarkdown);
    return { bodyHtml: rendered.html, headings: JSON.stringify(rendered.headings), excerpt: makeExcerpt(bodyMarkdown), readingTimeMinutes: readingTimeMinutes(bodyMarkdown) };
  });
  const counted = performance.now();
  for (const { title, bodyMarkdown } of posts) for (const term of tokenFrequencies(title, bodyMarkdown).keys()) df.set(term, (df.get(term) ?? 0) + 1);
  return { kind: 'rendered', posts: bodies, renderMs: counted - started, countMs: performance.now() - counted };
}

answerRequests((request: RenderRequest) => ({ reply: request.kind === 'render' ? render(request.posts) : { kind: 'frequencies', df } }));
