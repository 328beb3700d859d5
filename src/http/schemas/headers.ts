/**
 * Response headers the OpenAPI document names. Hooks set them (plugins/server-timing.ts, the
 * scheduler's and the rate limiter's Retry-After), not the handlers' bodies, so they are declared
 * here once for the routes' response schemas.
 */
export const serverTimingHeader = {
  type: 'string',
  description:
    'W3C Server-Timing, milliseconds: `queue` (waiting for a worker), `compute` (the engine\'s run; `desc` names the engine), ' +
    '`codec` (decoding and encoding where the job ran), `hop` (the job\'s passage to its worker thread and back; 0 when it ran inline), ' +
    '`total` (the whole request as the server saw it)',
  example: 'queue;dur=0.012, compute;dur=1.234;desc="onnxruntime", codec;dur=0.350, hop;dur=0.210, total;dur=2.345',
} as const

export const retryAfterHeader = {
  type: 'string',
  description: 'seconds to wait before retrying (on a full job queue, an overloaded process or the rate limit)',
  example: '1',
} as const

export const requestIdHeader = {
  type: 'string',
  description: "the request's id, also in its log line: the X-Request-Id the client sent when usable (1–128 of letters, digits and `_.:@/+=-`), else a random UUID",
  example: '9b2f6a52-54f1-4bd9-9c2e-2b0d3f51c7a1',
} as const
