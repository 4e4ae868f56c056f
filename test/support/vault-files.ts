// The vault's files as a test reads them: the file continued by its journal (read here independently of the
// vault's own code), and both together as bytes, for "nothing was written" checks.
import fs from 'node:fs'
import type { LibraryMeta } from '../../src/main/core/model.ts'

function bytesOrEmpty(file: string): Buffer {
  try {
    return fs.readFileSync(file)
  } catch {
    return Buffer.alloc(0)
  }
}

export function durableBytes(vaultFile: string): Buffer {
  return Buffer.concat([bytesOrEmpty(vaultFile), Buffer.from('\n--journal--\n'), bytesOrEmpty(`${vaultFile}.journal`)])
}

export interface DurableContent {
  schemaVersion: number
  libraries: Record<string, { meta: LibraryMeta; secrets: Record<string, string> }>
  entries: Record<string, object>
  [key: string]: unknown
}

/** The file, continued by the journal's complete lines of the file's generation. */
export function durableContent(vaultFile: string): DurableContent {
  const file = JSON.parse(fs.readFileSync(vaultFile, 'utf8')) as DurableContent
  const journal = bytesOrEmpty(`${vaultFile}.journal`).toString('utf8')
  for (const line of journal.split('\n').slice(0, -1)) {
    if (line === '') continue
    const change = JSON.parse(line) as { j: string; library?: { meta: LibraryMeta; secrets: Record<string, string> }; entry?: { id: string }; drop?: string }
    if (change.j !== file['journal']) continue
    if (change.library) file.libraries[change.library.meta.id] = change.library
    if (change.entry) file.entries[change.entry.id] = change.entry
    if (change.drop) {
      delete file.libraries[change.drop]
      delete file.entries[change.drop]
    }
  }
  return file
}
