/** What each worker thread is told at start (piscina's workerData): the same for every worker of a pool. */
export interface WorkerSettings {
  /** niceness the thread adds to itself (thread-priority.ts) */
  readonly nice?: number
  /** bytes of prepacked weights it keeps (engines/onnxruntime/prepacked.ts) */
  readonly prepackBytes?: number
}
