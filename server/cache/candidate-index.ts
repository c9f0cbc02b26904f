/**
 * Nearest-neighbour candidates for the semantic cache: an inverted index from content words to
 * the stored questions that use them, ranked by the rarity-weighted words they share with the
 * query. Rare words have short posting lists, so a lookup touches a small part of a large index;
 * the verifier then scores only the top few.
 */
/** Posting entries one lookup reads at most: bounds its cost however large the index grows. */
const POSTINGS_BUDGET = 4_000;

export class CandidateIndex {
  private readonly postings = new Map<string, Set<string>>();
  private readonly terms = new Map<string, readonly string[]>();

  get size(): number {
    return this.terms.size;
  }

  add(id: string, terms: Iterable<string>): void {
    this.remove(id);
    const unique = [...new Set(terms)];
    this.terms.set(id, unique);
    for (const term of unique) {
      let list = this.postings.get(term);
      if (!list) this.postings.set(term, (list = new Set()));
      list.add(id);
    }
  }

  remove(id: string): void {
    const terms = this.terms.get(id);
    if (!terms) return;
    this.terms.delete(id);
    for (const term of terms) {
      const list = this.postings.get(term);
      list?.delete(id);
      if (list?.size === 0) this.postings.delete(term);
    }
  }

  /** Up to `k` stored ids sharing the most rarity-weighted terms with the query, best first. */
  candidates(terms: Iterable<string>, k: number): string[] {
    const total = this.terms.size;
    if (total === 0) return [];
    const scores = new Map<string, number>();
    const lists = [...new Set(terms)]
      .map((term) => this.postings.get(term))
      .filter((list): list is Set<string> => list !== undefined)
      .sort((a, b) => a.size - b.size);
    let visited = 0;
    for (const list of lists) {
      // Rarest terms first; a common term's long list adds little weight and most of the cost, so it is
      // read only while the lookup is under its budget (a question sharing nothing rare is no paraphrase).
      if (visited > 0 && visited + list.size > POSTINGS_BUDGET) break;
      const weight = Math.log(1 + total / list.size);
      for (const id of list) {
        if (visited++ >= POSTINGS_BUDGET) break;
        scores.set(id, (scores.get(id) ?? 0) + weight);
      }
    }
    return topK(scores, k);
  }
}

function topK(scores: Map<string, number>, k: number): string[] {
  const best: [string, number][] = [];
  for (const entry of scores) {
    if (best.length === k && entry[1] <= best[k - 1]![1]) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]![1] < entry[1]) at--;
    best.splice(at, 0, entry);
    if (best.length > k) best.pop();
  }
  return best.map(([id]) => id);
}
