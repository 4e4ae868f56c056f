// The vault's worker thread: folds the journal into a new vault file (whole-file-job.ts), one job at a time, so a
// compaction of a large vault never holds the main thread. Started by background-compaction.ts; in a bundled app
// its path comes from electron-vite's `?modulePath` (electron/vault-store.ts), from source it is this file.
import { parentPort } from 'node:worker_threads'
import { answerFold, type FoldRequest } from './whole-file-job.ts'

const port = parentPort
port?.on('message', (request: FoldRequest) => port.postMessage(answerFold(request)))

/** Imported through `?modulePath` only for its path: an import from source gets nothing. */
export default null
