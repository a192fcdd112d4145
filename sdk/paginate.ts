import type { CallContext, CollectionDriver, PageResult } from './adapter.js'
import type { ListQuery } from './model/query.js'

/**
 * The result of `list()`: iterate records with `for await`, or whole pages with `.pages()`.
 * Nothing is fetched until iteration starts, and stopping early stops fetching.
 */
export interface Paginator<T> extends AsyncIterable<T> {
  pages(): AsyncIterable<T[]>
  /** Collects at most `limit` records; throws rather than silently truncating a larger result. */
  toArray(limit?: number): Promise<T[]>
}

export interface PaginateOptions {
  pageSize: number
  /**
   * How many numbered pages may be in flight at once (the client passes its `maxConcurrent`); one
   * more is scheduled behind them, and the rate limiter decides when each goes out.
   */
  prefetch: number
}

export function paginate<T>(
  driver: CollectionDriver<T, unknown, unknown>,
  query: ListQuery,
  options: PaginateOptions,
  ctx: CallContext,
): Paginator<T> {
  const pages = (): AsyncIterable<T[]> => ({
    [Symbol.asyncIterator]: () =>
      driver.paging === 'numbered'
        ? numberedPages(driver, query, options, ctx)
        : cursorPages(driver, query, options, ctx),
  })
  return {
    pages,
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page
    },
    async toArray(limit = 10_000) {
      const out: T[] = []
      for await (const page of pages()) {
        if (out.length + page.length > limit) {
          throw new RangeError(`The result has more than ${limit} records; raise the limit or iterate with for await`)
        }
        out.push(...page)
      }
      return out
    },
  }
}

async function* cursorPages<T>(
  driver: CollectionDriver<T, unknown, unknown>,
  query: ListQuery,
  { pageSize }: PaginateOptions,
  ctx: CallContext,
): AsyncGenerator<T[]> {
  let cursor: unknown
  for (let number = 1; ; number++) {
    const page = await driver.listPage(query, { number, size: pageSize, cursor }, ctx)
    if (page.items.length) yield page.items
    if (page.done) return
    cursor = page.cursor
  }
}

/**
 * Keeps up to `prefetch` page requests in flight and yields them in order. When a page says it is
 * the last, or the consumer stops, the speculative requests still queued in the rate limiter are
 * cancelled before they go out (those in flight are aborted; their errors are dropped, they are
 * past the end).
 */
async function* numberedPages<T>(
  driver: CollectionDriver<T, unknown, unknown>,
  query: ListQuery,
  { pageSize, prefetch }: PaginateOptions,
  ctx: CallContext,
): AsyncGenerator<T[]> {
  const speculative = new AbortController()
  const follow = () => speculative.abort(ctx.signal?.reason)
  if (ctx.signal?.aborted) follow()
  ctx.signal?.addEventListener('abort', follow, { once: true })
  const pageCtx: CallContext = { ...ctx, signal: speculative.signal }
  const window: Promise<PageResult<T>>[] = []
  let next = 1
  const fill = (width: number) => {
    while (window.length < width) {
      const p = driver.listPage(query, { number: next++, size: pageSize }, pageCtx)
      p.catch(() => undefined) // observed below; avoids an unhandled rejection for dropped pages
      window.push(p)
    }
  }
  try {
    // Start with one request so a small result costs one call; widen once the first page is full.
    // One page more than may be in flight waits in the limiter's queue and goes out the moment a
    // slot frees, so parsing and mapping a page overlaps the next page's network time.
    fill(1)
    for (;;) {
      const page = await window.shift()!
      if (page.done) {
        if (page.items.length) yield page.items
        return
      }
      fill(Math.max(1, prefetch) + 1)
      if (page.items.length) yield page.items
    }
  } finally {
    speculative.abort()
    ctx.signal?.removeEventListener('abort', follow)
  }
}
