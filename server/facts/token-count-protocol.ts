/** Texts for the token count worker: answered with each one's count, in order. */
export interface TokenCountRequest {
  id: number;
  texts: string[];
}
