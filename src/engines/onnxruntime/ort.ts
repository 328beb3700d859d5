/**
 * onnxruntime-node is loaded on first use only: the main thread and the reference path never pay
 * for its 46 MB native library, and a worker pays once (the first session in a thread costs
 * 20–46 ms; later ones 0.2–0.3 ms, measured here).
 */
export type Ort = typeof import('onnxruntime-node')

let loading: Promise<Ort> | undefined

export function loadOrt(): Promise<Ort> {
  loading ??= import('onnxruntime-node').catch((err: unknown) => {
    loading = undefined
    throw err
  })
  return loading
}
