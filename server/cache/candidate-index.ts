/** Posting entries one lookup reads at most: bounds its cost however large the index grows. */
const POSTINGS_BUDGET = 4_000;

/**
 * Nearest-neighbour candidates for the semantic cache: an inverted index from content words to
 * the stored questions that use them, ranked by the rarity-weighted words they share with the
 * query. Rare words have short posting lists, so a lookup touches a small part of a large index;
 * the verifier then scores only the top few. Entries live in numbered slots and scores in one
 * reused typed array, so a lookup allocates almost nothing (what it allocates, the collector
 * must later pause for).
 */
export class CandidateIndex {
  private readonly postings = new Map<string, Set<number>>();
  private readonly slotOf = new Map<string, number>();
  private ids: (string | undefined)[] = [];
  private termsOf: (readonly string[] | undefined)[] = [];
  private readonly free: number[] = [];
  private scores = new Float64Array(1024);
  private readonly touched = new Int32Array(POSTINGS_BUDGET);

  get size(): number {
    return this.slotOf.size;
  }

  add(id: string, terms: Iterable<string>): void {
    this.remove(id);
    const unique = [...new Set(terms)];
    const slot = this.free.pop() ?? this.ids.length;
    this.ids[slot] = id;
    this.termsOf[slot] = unique;
    this.slotOf.set(id, slot);
    if (slot >= this.scores.length) {
      const grown = new Float64Array(this.scores.length * 2);
      grown.set(this.scores);
      this.scores = grown;
    }
    for (const term of unique) {
      let list = this.postings.get(term);
      if (!list) this.postings.set(term, (list = new Set()));
      list.add(slot);
    }
  }

  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    for (const term of this.termsOf[slot]!) {
      const list = this.postings.get(term);
      list?.delete(slot);
      if (list?.size === 0) this.postings.delete(term);
    }
    this.slotOf.delete(id);
    this.ids[slot] = undefined;
    this.termsOf[slot] = undefined;
    this.free.push(slot);
  }

  /** Up to `k` stored ids sharing the most rarity-weighted terms with the query, best first. */
  candidates(terms: Iterable<string>, k: number): string[] {
    const total = this.slotOf.size;
    if (total === 0) return [];
    const lists: Set<number>[] = [];
    for (const term of new Set(terms)) {
      const list = this.postings.get(term);
      if (list) lists.push(list);
    }
    lists.sort((a, b) => a.size - b.size);
    const { scores, touched } = this;
    let count = 0;
    let visited = 0;
    for (const list of lists) {
      // Rarest terms first; a common term's long list adds little weight and most of the cost, so it is
      // read only while the lookup is under its budget (a question sharing nothing rare is no paraphrase).
      if (visited > 0 && visited + list.size > POSTINGS_BUDGET) break;
      const weight = Math.log(1 + total / list.size);
      for (const slot of list) {
        if (visited++ >= POSTINGS_BUDGET) break;
        if (scores[slot] === 0) touched[count++] = slot;
        scores[slot]! += weight;
      }
    }
    const best = topK(scores, touched, count, k);
    for (let i = 0; i < count; i++) scores[touched[i]!] = 0;
    return best.map((slot) => this.ids[slot]!);
  }
}

/** The k touched slots with the highest scores, best first; ties go to the earlier touched. */
function topK(scores: Float64Array, touched: Int32Array, count: number, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < count; i++) {
    const slot = touched[i]!;
    const score = scores[slot]!;
    if (best.length === k && score <= scores[best[k - 1]!]!) continue;
    let at = best.length;
    while (at > 0 && scores[best[at - 1]!]! < score) at--;
    best.splice(at, 0, slot);
    if (best.length > k) best.pop();
  }
  return best;
}
