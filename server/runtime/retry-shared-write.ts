/**
 * lowdb writes through one fixed temp name (`.<file>.tmp`). Two instances on a shared data
 * folder that write the same file at once (one revoking a key, the other recording the
 * revocation it was told of) race on that name, and the loser's rename fails with ENOENT.
 * The winner's write is complete by then, so writing again is safe and settles it.
 */
export async function retrySharedWrite(write: () => Promise<void>, attempts = 4): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
    }
  }
}
