// How a window reads a long list: the first page of rows answers at once, the rest follows in chunks after the
// first paint. Plain data, no schema library, so the sandboxed preload and the browser host's page can use it.

/** Rows in the first answer: more than a tall window shows, a small part of 10,000. */
export const FIRST_PAGE_ROWS = 200
/** Rows per later chunk: each chunk costs a few ms to build and to unpack. */
export const MORE_ROWS = 2_000
/** A BCP 47 tag as the page reports it; anything else falls back to English collation. */
export const LIST_LOCALE = /^[A-Za-z0-9-]{2,35}$/

/** The locale both sides collate names with, so the first page is a prefix of the page's own order. */
export function listLocale(language: string | undefined): string {
  return language !== undefined && LIST_LOCALE.test(language) ? language : 'en'
}
