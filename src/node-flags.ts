/**
 * V8 flags the server process is started with: the image's CMD, `npm start` and the bench all
 * pass these (a test holds the first two equal to this list). V8 accepts them only on the command
 * line, not in NODE_OPTIONS.
 *
 * `--initial-old-space-size=128`: with megabyte request bodies the main thread's heap stays small
 * (~20 MB live) while its young generation grows to tens of MB. V8 starts marking the old
 * generation whenever the room left under its limit is less than the young generation's
 * capacity; for a heap this small that can hold again right after each full collection, and then
 * the main thread runs one full collection after another (up to 55 in 5 s under S2 load, seen on
 * Node 20, 22 and 24), each marking the whole heap to free ~1 MB. A configured initial old space
 * is also the floor of V8's limit: at 128 MB the room stays larger than the young generation.
 * Measured under 10-connection S2 load: about a third less CPU per request and ~1.5× the
 * requests per second (docs/performance.md, "The main thread's collector").
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--initial-old-space-size=128']

/** The flags of SERVER_NODE_FLAGS that this process was started without (by name, any value). */
export function missingNodeFlags(execArgv: readonly string[] = process.execArgv): string[] {
  const name = (flag: string) => flag.split('=')[0]!.replaceAll('_', '-')
  const given = new Set(execArgv.map(name))
  return SERVER_NODE_FLAGS.filter((flag) => !given.has(name(flag)))
}
