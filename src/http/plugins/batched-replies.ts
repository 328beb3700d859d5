import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * Replies to requests answered in the turn of the event loop that read them (inline jobs,
 * `/shape`, refusals, the small routes) leave in the loop's check phase (`setImmediate`): after
 * every request read in that turn has been handled, back to back, rather than one at a time in
 * between them.
 *
 * Why: writing a reply also wakes the client thread that waits for it, and waking a thread that
 * sleeps on another core costs the writer much more than a small reply's bytes do. Under
 * 10-connection textbook load on this 2-vCPU VM, `perf` put 21 % of the main thread's time in the
 * replies' write(), most of it in waking the load generator, and a turn handled about seven
 * requests (reads per epoll wait). Written together, a turn's replies find the client already
 * awake after the first one, and its next requests arrive together too. Measured in
 * docs/performance.md ("Replies written together").
 *
 * A reply waits at most for the rest of its turn's reads and handlers; an idle server goes from
 * the poll phase straight to the check phase, so a lone request waits for nothing. A worker's
 * result is sent at once: results come back one by one as workers finish, not in bursts, and
 * held back, a lone large reply would first wait for the bookkeeping queued behind it. Registered
 * before Server-Timing, whose `total` (and the request log's response time) include the wait.
 */
async function batchedReplies(app: FastifyInstance) {
  app.addHook('onSend', (request, _reply, payload, done) => {
    if (request.jobTiming?.onWorker) done(null, payload)
    else setImmediate(done, null, payload)
  })
}

export default fp(batchedReplies, { name: 'convserve-batched-replies' })
