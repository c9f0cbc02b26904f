import { embed, toSparse, type SparseEmbedding } from './text-embedding.js';

/** Words that say what kind of answer is wanted: "how to X" and "why X" share words but not an answer. */
const QUESTION_WORDS = new Set(['what', 'why', 'how', 'who', 'when', 'where', 'which', 'whom', 'whose']);
/** Words pointing at something the question does not contain ("this video", "the above code"): its answer depends on what is not cached. */
const DEICTIC = new Set(['this', 'these', 'that', 'those', 'above', 'following', 'attached', 'below', 'here']);
const FILLER = new Set(['a', 'an', 'the', 'is', 'are']);
const YES_NO = new Set(['is', 'are', 'was', 'were', 'do', 'does', 'did', 'can', 'could', 'should', 'would', 'will', 'has', 'have', 'am']);
const NEGATIONS = new Set(['not', 'no', 'never', 'without', 'nor', 'cannot', 'dont', 'doesnt', 'didnt', 'isnt', 'arent', 'wont', 'cant', 'shouldnt', 'wouldnt']);
/** Function words: shared ones say little about whether two questions ask the same thing. */
const STOP = new Set(
  'a an the is are was were be been am do does did i me my you your we our it its of to in on at for by with from and or as that this these those there what which who whom how why when where can could should would will shall may might has have had if so than then into about any some get best good way ways'.split(
    ' ',
  ),
);

/**
 * Small words that change what is asked though they look like filler: who asks ("how did you" is
 * not "how do I"), which modal ("can I" is not "should I"), when, and how many.
 */
const PERSONS: Record<string, string> = {
  i: '1', me: '1', my: '1', mine: '1', myself: '1', we: '1', us: '1', our: '1',
  you: '2', your: '2', yours: '2', yourself: '2',
  he: '3', she: '3', they: '3', his: '3', her: '3', their: '3', him: '3', them: '3', it: '3', its: '3',
};
const MODALS = new Set(['can', 'could', 'should', 'would', 'will', 'may', 'might', 'must', 'shall']);
const PAST = new Set(['did', 'was', 'were', 'had']);
const QUANTIFIERS = new Set(['some', 'all', 'any', 'many', 'most', 'few', 'every', 'only', 'much', 'more', 'less']);

/** Words whose final `s` is not a plural. */
const FUNCTION_WORDS = new Set([...STOP, ...DEICTIC, ...YES_NO, ...NEGATIONS, ...Object.keys(PERSONS), ...MODALS, ...PAST, ...QUANTIFIERS, 'always', 'perhaps', 'thus', 'us', 'yes', 'plus']);

/**
 * Content words that ask the same thing on Quora: a small hand list, each mapped to one spelling
 * (after plural trimming and stemming), so "earn money online" meets "make money on the internet".
 */
const SYNONYMS: Record<string, string> = {
  internet: 'online', web: 'online', film: 'movie', mobile: 'phone', cellphone: 'phone', smartphone: 'phone',
  purchase: 'buy', earn: 'make', top: 'best', greatest: 'best', fastest: 'quick', fast: 'quick', quickly: 'quick',
  job: 'career', begin: 'start', commence: 'start', tip: 'advice', suggestion: 'advice', recommend: 'suggest',
  usa: 'america', pc: 'computer', laptop: 'computer', lose: 'reduce',
  improv: 'improve', better: 'improve', enhanc: 'improve', boost: 'improve', increas: 'improve',
  novel: 'book', mean: 'meaning', definition: 'meaning', difference: 'differ', different: 'differ',
};

/**
 * A content word's stem: common English suffixes off ("learning", "learned", "learner" are
 * "learn"), then the synonym list. Crude on purpose: it only has to make two questions' words
 * agree more often than it makes different words collide.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length > 5 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && (w.endsWith('ing') || w.endsWith('ers'))) w = w.slice(0, -3);
  else if (w.length > 4 && (w.endsWith('ed') || w.endsWith('er') || w.endsWith('ly') || w.endsWith('es'))) w = w.slice(0, -2);
  if (w.length > 3 && w.at(-1) === w.at(-2) && !/[aeiou]/.test(w.at(-1)!)) w = w.slice(0, -1);
  return SYNONYMS[w] ?? SYNONYMS[word] ?? w;
}

/** A question's parts the verifier compares, computed once per text (a stored entry keeps its own). */
export interface PairText {
  words: string[];
  content: Set<string>;
  /** Content words stemmed and mapped through the synonym list. */
  stems: Set<string>;
  bigrams: Set<string>;
  numbers: Set<string>;
  capitalised: Set<string>;
  /** What kind of answer is wanted: a wh-word ("how many" apart from "how"), or the yes/no verb that opens the question. */
  questionWord: string;
  negated: boolean;
  deictic: boolean;
  persons: Set<string>;
  modals: Set<string>;
  past: boolean;
  quantifiers: Set<string>;
  /** Function words used, for differences the content words do not show. */
  functionWords: Set<string>;
  /** The words without articles and "is/are": "what's the capital of france" and "What is the capital of France?" agree. */
  canonical: string;
  /** The words as typed, only case, punctuation and spacing gone: "how do i learn python" and "How do I learn Python?!" agree. */
  spelled: string;
  /** Lower-cased words before plural trimming, to see differences the normalised words hide. */
  surface: Set<string>;
  trigrams: Set<string>;
  /** Content words in order, for word-order agreement. */
  sequence: string[];
  /** Sparse: a dense 1,024-float copy per parsed question is most of its memory. */
  embedding: SparseEmbedding;
}

/** Inverse document frequency of a content word; words never seen get `unseen`. */
export interface WordRarity {
  idf(word: string): number;
  unseen: number;
}

/**
 * Lower-cased words with a plural `s` trimmed, as the embedding does, except on function words
 * ("this" is not the plural of "thi", "does" of "doe").
 */
function tokens(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !FUNCTION_WORDS.has(w) ? w.slice(0, -1) : w));
}

/** C++, C# and .NET are different languages, not the letter c; symbols become words before punctuation goes. */
function spellSymbols(text: string): string {
  return text
    .replace(/n['’]t\b/gi, 'nt')
    .replace(/\+\+/g, 'pp ')
    .replace(/#/g, 'sharp ')
    .replace(/\.net\b/gi, ' dotnet');
}

function questionWordOf(all: readonly string[]): string {
  const at = all.findIndex((w) => QUESTION_WORDS.has(w));
  if (at < 0) return all[0] && YES_NO.has(all[0]) ? 'yes/no' : '';
  const next = all[at + 1];
  return all[at] === 'how' && (next === 'many' || next === 'much') ? `how ${next}` : all[at]!;
}

/** Longest common subsequence of two word lists: shared words in the same order. */
function commonOrdered(a: readonly string[], b: readonly string[]): number {
  let previous = new Uint16Array(b.length + 1);
  for (const x of a) {
    const row = new Uint16Array(b.length + 1);
    for (let j = 0; j < b.length; j++) row[j + 1] = x === b[j] ? previous[j]! + 1 : Math.max(previous[j + 1]!, row[j]!);
    previous = row;
  }
  return previous[b.length]!;
}

export function pairText(text: string): PairText {
  const all = tokens(spellSymbols(text));
  const content = all.filter((w) => !STOP.has(w) && !NEGATIONS.has(w));
  const bigrams = new Set<string>();
  for (let i = 1; i < content.length; i++) bigrams.add(`${content[i - 1]} ${content[i]}`);
  const squashed = ` ${all.join(' ')} `;
  const trigrams = new Set<string>();
  for (let i = 0; i + 3 <= squashed.length; i++) trigrams.add(squashed.slice(i, i + 3));
  // Capitals after the first word mark names (Java, Windows, Mona Lisa); the first word is capitalised anyway.
  const raw = text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const capitalised = new Set(raw.slice(1).filter((w) => /^\p{Lu}/u.test(w) && !QUESTION_WORDS.has(w.toLowerCase())).map((w) => w.toLowerCase()));
  return {
    words: all,
    content: new Set(content),
    stems: new Set(content.map(stem)),
    bigrams,
    numbers: new Set(all.filter((w) => /\d/.test(w))),
    capitalised,
    questionWord: questionWordOf(all),
    sequence: content,
    negated: all.some((w) => NEGATIONS.has(w)),
    deictic: all.some((w) => DEICTIC.has(w)),
    canonical: all.filter((w) => !FILLER.has(w)).join(' '),
    spelled: spellSymbols(text).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(' '),
    persons: new Set(all.flatMap((w) => (PERSONS[w] ? [PERSONS[w]] : []))),
    modals: new Set(all.filter((w) => MODALS.has(w))),
    past: all.some((w) => PAST.has(w)),
    quantifiers: new Set(all.filter((w) => QUANTIFIERS.has(w))),
    functionWords: new Set(all.filter((w) => STOP.has(w) || QUANTIFIERS.has(w) || w in PERSONS)),
    surface: new Set(raw.map((w) => w.toLowerCase())),
    trigrams,
    embedding: toSparse(embed(text)),
  };
}

export const FEATURE_NAMES = [
  'ngramCosine',
  'contentJaccard',
  'containMin',
  'containMax',
  'rareJaccard',
  'rareUnmatchedMax',
  'rareUnmatchedMin',
  'rareUnmatchedSum',
  'unmatchedMax',
  'unmatchedMin',
  'bigramJaccard',
  'trigramJaccard',
  'numberMismatch',
  'negationMismatch',
  'questionWordMismatch',
  'capitalMismatch',
  'lengthRatio',
  'lengthLog',
  'sameWords',
  'orderAgreement',
  'deictic',
  'surfaceJaccard',
  'personMismatch',
  'modalMismatch',
  'tenseMismatch',
  'quantifierMismatch',
  'functionWordsDiffer',
  'orderInversions',
  'stemJaccard',
  'stemUnmatchedMax',
  'stemUnmatchedMin',
  'sameCanonical',
] as const;

function intersection<T>(a: Set<T>, b: Set<T>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n;
}

/**
 * Share of shared word pairs in opposite order ("convert ethanol to acid" against "convert acid
 * to ethanol"): 0 for the same order, 1 for reversed.
 */
function inversions(a: readonly string[], b: readonly string[]): number {
  const inB = new Map<string, number>();
  b.forEach((w, i) => {
    if (!inB.has(w)) inB.set(w, i);
  });
  const seen = new Set<string>();
  const order: number[] = [];
  for (const w of a) {
    if (seen.has(w) || !inB.has(w)) continue;
    seen.add(w);
    order.push(inB.get(w)!);
  }
  let inverted = 0;
  let pairs = 0;
  for (let i = 0; i < order.length; i++) {
    for (let j = i + 1; j < order.length; j++) {
      pairs++;
      if (order[i]! > order[j]!) inverted++;
    }
  }
  return pairs === 0 ? 0 : inverted / pairs;
}

/** Dot product (the cosine: both are unit length) of two embeddings with sorted indices. */
function sparseDot(a: SparseEmbedding, b: SparseEmbedding): number {
  let dot = 0;
  for (let i = 0, j = 0; i < a.indices.length && j < b.indices.length; ) {
    if (a.indices[i] === b.indices[j]) dot += a.values[i++]! * b.values[j++]!;
    else if (a.indices[i]! < b.indices[j]!) i++;
    else j++;
  }
  return dot;
}

/** How many members one set has that the other lacks. */
function differ<T>(a: Set<T>, b: Set<T>): number {
  return a.size + b.size - 2 * intersection(a, b);
}

function jaccard<T>(a: Set<T>, b: Set<T>): number {
  const shared = intersection(a, b);
  const union = a.size + b.size - shared;
  return union === 0 ? 1 : shared / union;
}

/** The verifier's inputs for one (query, stored question) pair, in FEATURE_NAMES order; symmetric where the meaning is. */
export function pairFeatures(a: PairText, b: PairText, rarity: WordRarity): number[] {
  const shared = intersection(a.content, b.content);
  let sharedRare = 0;
  let allRare = 0;
  let maxOnlyA = 0;
  let maxOnlyB = 0;
  let onlySum = 0;
  for (const w of a.content) {
    const r = rarity.idf(w);
    allRare += r;
    if (b.content.has(w)) sharedRare += r;
    else {
      maxOnlyA = Math.max(maxOnlyA, r);
      onlySum += r;
    }
  }
  for (const w of b.content) {
    const r = rarity.idf(w);
    if (!a.content.has(w)) {
      allRare += r;
      maxOnlyB = Math.max(maxOnlyB, r);
      onlySum += r;
    }
  }
  const minSize = Math.min(a.content.size, b.content.size);
  const maxSize = Math.max(a.content.size, b.content.size);
  const numbersDiffer = a.numbers.size + b.numbers.size - 2 * intersection(a.numbers, b.numbers);
  const capitalsDiffer = a.capitalised.size + b.capitalised.size - 2 * intersection(a.capitalised, b.capitalised);
  const lengthA = a.words.length;
  const lengthB = b.words.length;
  return [
    sparseDot(a.embedding, b.embedding),
    jaccard(a.content, b.content),
    minSize === 0 ? 0 : shared / minSize,
    maxSize === 0 ? 0 : shared / maxSize,
    allRare === 0 ? 1 : sharedRare / allRare,
    Math.max(maxOnlyA, maxOnlyB),
    Math.min(maxOnlyA, maxOnlyB),
    onlySum,
    Math.max(a.content.size, b.content.size) - shared,
    Math.min(a.content.size, b.content.size) - shared,
    jaccard(a.bigrams, b.bigrams),
    jaccard(a.trigrams, b.trigrams),
    numbersDiffer,
    a.negated === b.negated ? 0 : 1,
    a.questionWord === b.questionWord ? 0 : 1,
    capitalsDiffer,
    Math.min(lengthA, lengthB) / Math.max(1, lengthA, lengthB),
    Math.log1p(lengthA + lengthB),
    a.words.join(' ') === b.words.join(' ') ? 1 : 0,
    shared === 0 ? 0 : Math.min(1, commonOrdered(a.sequence, b.sequence) / shared),
    (a.deictic ? 1 : 0) + (b.deictic ? 1 : 0),
    jaccard(a.surface, b.surface),
    differ(a.persons, b.persons),
    differ(a.modals, b.modals),
    a.past === b.past ? 0 : 1,
    differ(a.quantifiers, b.quantifiers),
    a.functionWords.size + b.functionWords.size - 2 * intersection(a.functionWords, b.functionWords),
    inversions(a.sequence, b.sequence),
    jaccard(a.stems, b.stems),
    Math.max(a.stems.size, b.stems.size) - intersection(a.stems, b.stems),
    Math.min(a.stems.size, b.stems.size) - intersection(a.stems, b.stems),
    a.canonical === b.canonical ? 1 : 0,
  ];
}
