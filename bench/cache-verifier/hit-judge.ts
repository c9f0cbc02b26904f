import type { LabelledPair } from '../../server/cache/semantic-quality.js';

/** Case, punctuation and spacing apart: "Is time travel possible? If yes how" is "is time travel possible if yes how?" (C++ stays apart from C#). */
function sameText(text: string): string {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}+#]+/u)
    .filter(Boolean)
    .join(' ');
}

/**
 * Whether serving the answer stored for one question is right for another, by the file's own
 * labels: right when duplicate labels connect the two (Quora merges duplicates, so they chain) or
 * they are the same text up to case and punctuation; wrong otherwise, including every pair of
 * questions no label connects. It does not look at the cache's own normalisation, so the bench
 * does not grade the cache by its own rules.
 */
export function hitJudge(pairs: readonly LabelledPair[]): (asked: string, served: string) => boolean {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    for (let at = x; at !== root; ) {
      const next = parent.get(at)!;
      parent.set(at, root);
      at = next;
    }
    return root;
  };
  for (const p of pairs) {
    if (!p.duplicate) continue;
    const a = find(sameText(p.a));
    const b = find(sameText(p.b));
    if (a !== b) parent.set(a, b);
  }
  return (asked, served) => find(sameText(asked)) === find(sameText(served));
}
