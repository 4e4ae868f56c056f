// Reading the file a person named for an import (and writing the report where they chose): an absolute path to a regular file of at most 50 MB, read whole as
// text (UTF-8, or UTF-16 with its byte order mark, as a spreadsheet's "Unicode text" export). Opened without blocking
// (a FIFO or a device is refused once opened, never waited on) and checked on the open handle, so what is read is what
// was checked. The app reads it itself: the file is full of secrets, and the command line and the window only name it.
import fs from 'node:fs'
import path from 'node:path'
import { IMPORT_MAX_BYTES } from '../../../../shared/contract/import.ts'
import { InputError } from '../../errors.ts'
import { ImportFileError } from './read-sheet.ts'

export interface ImportFileText {
  readonly text: string
  /** The file's name without its folder: what reports and the audit trail name. */
  readonly fileName: string
}

const MB = 1024 * 1024

export async function readImportFile(filePath: string): Promise<ImportFileText> {
  if (!path.isAbsolute(filePath)) throw new ImportFileError('The import file must be named by its absolute path.')
  const fileName = path.basename(filePath)
  let handle: fs.promises.FileHandle
  try {
    handle = await fs.promises.open(filePath, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0))
  } catch (error) {
    throw new ImportFileError(`${fileName} could not be opened (${codeOf(error)}).`)
  }
  try {
    const stat = await handle.stat()
    if (!stat.isFile()) throw new ImportFileError(`${fileName} is not a regular file (a folder, a device or a pipe cannot be imported).`)
    if (stat.size > IMPORT_MAX_BYTES) throw new ImportFileError(`${fileName} is ${(stat.size / MB).toFixed(1)} MB; an import reads at most ${IMPORT_MAX_BYTES / MB} MB. Split it into several files.`)
    // One byte more than the limit: a file that grew since the check is refused, not cut short.
    const buffer = Buffer.alloc(Math.min(stat.size, IMPORT_MAX_BYTES) + 1)
    let length = 0
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
      if (length === buffer.length) throw new ImportFileError(`${fileName} changed while it was read; try again.`)
    }
    return { text: decodeText(buffer.subarray(0, length), fileName), fileName }
  } finally {
    await handle.close()
  }
}

/** UTF-8 (with or without a BOM), or UTF-16 with its BOM; anything else is refused rather than read wrongly. */
export function decodeText(bytes: Uint8Array, fileName: string): string {
  const le = bytes[0] === 0xff && bytes[1] === 0xfe
  const be = bytes[0] === 0xfe && bytes[1] === 0xff
  try {
    return new TextDecoder(le ? 'utf-16le' : be ? 'utf-16be' : 'utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    throw new ImportFileError(`${fileName} is not UTF-8 text. Save it as "CSV UTF-8" (or JSON) and try again.`)
  }
}

function codeOf(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
  if (code === 'ENOENT') return 'there is no such file'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'EISDIR') return 'it is a folder'
  return typeof code === 'string' && /^[A-Z]{2,20}$/.test(code) ? code : 'unreadable'
}

/** Writes a report (no secret in it) where the person chose; only the owner may read it, like everything Larder writes. */
export async function writeReportFile(filePath: string, text: string): Promise<{ path: string; bytes: number }> {
  if (!path.isAbsolute(filePath)) throw new InputError('path', 'The report is saved to an absolute path.')
  try {
    await fs.promises.writeFile(filePath, text, { mode: 0o600 })
  } catch (error) {
    throw new InputError('path', `The report could not be saved to ${path.basename(filePath)} (${codeOf(error)}).`)
  }
  return { path: filePath, bytes: Buffer.byteLength(text) }
}
