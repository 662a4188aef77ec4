/** The parts of a keyset (infinite) query the button reads: TanStack's useInfiniteQuery result fits. */
export interface MorePages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** The button under a list read a page at a time: shown while more pages remain, busy while one loads. */
export function LoadMore({ pages, label = 'Load more' }: { pages: MorePages; label?: string }) {
  if (!pages.hasNextPage) return null;
  return (
    <div className="load-more">
      <button
        type="button"
        className="secondary"
        disabled={pages.isFetchingNextPage}
        onClick={() => void pages.fetchNextPage()}
      >
        {pages.isFetchingNextPage ? 'Loading…' : label}
      </button>
    </div>
  );
}
