/** Polls until `check` returns a value (not undefined/false) or the attempts run out. */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, attempts = 100, everyMs = 50): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error('condition not met in time');
}
