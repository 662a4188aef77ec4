import { TRPCError } from '@trpc/server';

/**
 * How much one tRPC request may carry. A pipeline document of the largest size the compiler accepts
 * is a few MB of JSON; the limit stays below the 10 MB at which Next's proxy cuts request bodies.
 */
export const MAX_TRPC_BODY_BYTES = 8 * 1024 * 1024;

/** Calls in one batch: the app's own pages batch a handful; hundreds only tie up the server. */
export const MAX_TRPC_BATCH_CALLS = 20;

/** Refuses a request whose declared body is too large or whose batch holds too many calls. */
export function checkTrpcRequest(request: Request, calls: number): void {
  if (calls > MAX_TRPC_BATCH_CALLS) {
    throw new TRPCError({
      code: 'PAYLOAD_TOO_LARGE',
      message: `A batch may hold at most ${MAX_TRPC_BATCH_CALLS} calls; this one holds ${calls}`,
    });
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_TRPC_BODY_BYTES) throw bodyTooLarge();
}

/**
 * The request with its body cut off at the limit: a body sent without a Content-Length (chunked)
 * fails as soon as it passes the limit instead of being read whole into memory.
 */
export function withCappedBody(request: Request): Request {
  if (!request.body) return request;
  let bytes = 0;
  const cap = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      bytes += chunk.byteLength;
      if (bytes > MAX_TRPC_BODY_BYTES) controller.error(bodyTooLarge());
      else controller.enqueue(chunk);
    },
  });
  // A streamed body needs duplex 'half', which Node requires and TypeScript's RequestInit lacks.
  const init: RequestInit & { duplex: 'half' } = { body: request.body.pipeThrough(cap), duplex: 'half' };
  return new Request(request, init);
}

function bodyTooLarge(): TRPCError {
  return new TRPCError({
    code: 'PAYLOAD_TOO_LARGE',
    message: `The request is larger than ${MAX_TRPC_BODY_BYTES / 1024 / 1024} MB, the most one call may send`,
  });
}
