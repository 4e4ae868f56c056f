// The vault's worker thread: folds the journal into a new vault file (whole-file-job.ts), one job at a time, so a
// compaction of a large vault never holds the main thread. Started by background-compaction.ts; in a bundled app
// its path comes from electron-vite's `?modulePath` (electron/vault-store.ts), from source it is this file.
import { parentPort } from 'node:worker_threads'
import { FileProblem } from './file-format.ts'
import { foldToTemporary, type FoldJob, type FoldResult } from './whole-file-job.ts'

export interface FoldRequest {
  readonly id: number
  readonly job: FoldJob
}

export type FoldAnswer =
  | { readonly id: number; readonly ok: true; readonly result: FoldResult }
  /** Larder's own words only: an error from deeper down could quote the file, which holds sealed values. */
  | { readonly id: number; readonly ok: false; readonly reason: string }

const port = parentPort
port?.on('message', (request: FoldRequest) => {
  let answer: FoldAnswer
  try {
    answer = { id: request.id, ok: true, result: foldToTemporary(request.job) }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code
    const reason = error instanceof FileProblem ? error.message : code ? `a file operation failed (${code})` : 'the compaction failed'
    answer = { id: request.id, ok: false, reason }
  }
  port.postMessage(answer)
})

/** Imported through `?modulePath` only for its path: an import from source gets nothing. */
export default null
