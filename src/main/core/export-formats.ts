// The shapes a token is copied in. Filled in the main process only: the renderer never sees the result. The
// templates are shared (src/shared/copy-formats.ts) so the dashboard's masked previews say exactly what this puts on
// the clipboard.
import type { CopyFormat } from '../../shared/contract.ts'
import { copyText, shellQuote } from '../../shared/copy-formats.ts'
import type { LibraryMeta } from './model.ts'

export function formatForCopy(format: CopyFormat, token: string, meta: Pick<LibraryMeta, 'apiBaseUrl' | 'apicbaseLibraryId'>): string {
  return copyText(format, token, meta)
}

export { shellQuote }
