// A stand-in for the vault's worker thread (background-worker.ts) that folds as it does, then holds its answer
// until `<vault>.gate` exists: a test decides when the compaction is finished, and can change the vault meanwhile.
import fs from 'node:fs'
import { parentPort } from 'node:worker_threads'
import { answerFold, type FoldRequest } from '../../../../src/main/core/vault/whole-file-job.ts'

const port = parentPort
port?.on('message', (request: FoldRequest) => {
  const answer = answerFold(request)
  const gate = `${request.job.vaultPath}.gate`
  const wait = setInterval(() => {
    if (!fs.existsSync(gate)) return
    clearInterval(wait)
    port.postMessage(answer)
  }, 5)
})
