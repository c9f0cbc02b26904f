const KEY = 'tollgate.publisherName';

/** The name this browser publishes under (a version's author, a commit's author), remembered between sessions. */
export function storedPublisherName(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function storePublisherName(name: string): void {
  try {
    localStorage.setItem(KEY, name.trim());
  } catch {
    // A browser that refuses storage asks again next time; publishing still works.
  }
}
