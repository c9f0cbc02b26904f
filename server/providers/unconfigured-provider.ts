import type { ProviderName } from '../../shared/providers.js';
import type { Completion, CompletionStream, Provider } from './provider.js';
import { ProviderError } from './provider.js';

/** The words every not-configured attempt's error carries, so a route's failure can tell "none configured" apart. */
export const NOT_CONFIGURED = 'is not configured';

/**
 * Stands in for a provider nobody configured. Every call fails as a not-configured attempt, so
 * the route's fallbacks still run and, when none is left, the caller learns which variable to
 * set instead of getting a canned simulator answer billed as a real one.
 */
export class UnconfiguredProvider implements Provider {
  private readonly error: ProviderError;

  constructor(
    readonly name: ProviderName,
    /** What to set, e.g. `ANTHROPIC_API_KEY`: named in the error, never a value. */
    readonly missing: string,
  ) {
    this.error = new ProviderError(`${name} ${NOT_CONFIGURED}: set ${missing}`, 'not-configured');
  }

  complete(): Promise<Completion> {
    return Promise.reject(this.error);
  }

  stream(): Promise<CompletionStream> {
    return Promise.reject(this.error);
  }

  embed(): Promise<Completion> {
    return Promise.reject(this.error);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
