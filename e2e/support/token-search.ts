/** Searching text for token values, in each form a token could be written in. */

/** The forms a token value could take in storage: raw, base64url, base64, JSON-escaped. */
export function tokenForms(token: string): string[] {
  const bytes = new TextEncoder().encode(token)
  const base64 = Buffer.from(bytes).toString('base64')
  const base64url = Buffer.from(bytes).toString('base64url')
  return [...new Set([token, base64, base64url, JSON.stringify(token).slice(1, -1)])]
}

/** Which of `tokens` (in any of {@link tokenForms}) occur in `haystack`. */
export function findTokens(haystack: string, tokens: string[]): string[] {
  return tokens.filter((token) => tokenForms(token).some((form) => haystack.includes(form)))
}
