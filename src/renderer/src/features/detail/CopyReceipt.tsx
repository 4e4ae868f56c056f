// What the last copy did: which format, the copied token's last characters, and a live countdown to when Larder
// takes it off the clipboard. Main clears the clipboard at that time only if it still holds the copied text (anything
// copied since is left alone); either way the token is no longer on it, and that is all the page says. When the
// library's token was replaced since (a refresh, a new pair), the receipt says so instead of showing the old last
// characters as current, and offers to copy the new one.
import { useEffect, useState } from 'react'
import type { CopyFormat, LibraryView } from '../../../../shared/contract.ts'
import { StandInNote } from '../common/StandInNote.tsx'
import { copyNoun } from './CopyFormats.tsx'
import './copy.css'

export interface Receipt {
  readonly format: CopyFormat
  /** The copied token's masked preview ("…a91f"). */
  readonly preview: string
  /** The library's preview when the copy was asked for: a copy that refreshed first names a newer token than this. */
  readonly previewWhenCopied: string
  /** When Larder clears the clipboard, on this window's clock; null when it does not. */
  readonly clearsAt: number | null
  /** A personal token's: which library it acts on, and whether Larder switched first. */
  readonly note: string | null
}

/** Seconds left, rounded up, until `until`; null when nothing will happen. Ticks on each whole second. */
function useSecondsLeft(until: number | null): number | null {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (until === null) return undefined
    let handle: ReturnType<typeof setTimeout> | undefined
    const tick = (): void => {
      const current = Date.now()
      setNow(current)
      const left = until - current
      if (left > 0) handle = setTimeout(tick, left % 1000 || 1000)
    }
    tick()
    return () => clearTimeout(handle)
  }, [until])
  return until === null ? null : Math.max(0, Math.ceil((until - now) / 1000))
}

/** "29 s", "1 min 05 s". */
function secondsText(seconds: number): string {
  if (seconds < 60) return `${seconds} s`
  const rest = seconds % 60
  return rest === 0 ? `${seconds / 60} min` : `${Math.floor(seconds / 60)} min ${String(rest).padStart(2, '0')} s`
}

interface CopyReceiptProps {
  readonly receipt: Receipt
  readonly library: Pick<LibraryView, 'name' | 'tokenPreview'>
  readonly busy: boolean
  readonly onCopyNew: (format: CopyFormat) => void
}

export function CopyReceipt({ receipt, library, busy, onCopyNew }: CopyReceiptProps): React.JSX.Element {
  const secondsLeft = useSecondsLeft(receipt.clearsAt)
  const noun = copyNoun(receipt.format)
  const replaced = library.tokenPreview !== receipt.preview && library.tokenPreview !== receipt.previewWhenCopied
  // Kept out of the live region's announcements: a screen reader hears the receipt once, not every second.
  const clipboard =
    secondsLeft === null ? null : (
      <span className="receipt-clears" aria-live="off">
        {replaced ? ' The copied one ' : ' · '}
        {secondsLeft > 0 ? `clears in ${secondsText(secondsLeft)}` : `${replaced ? 'is ' : ''}no longer on the clipboard`}
        {replaced ? '.' : ''}
      </span>
    )
  if (replaced) {
    return (
      <p className="receipt receipt-replaced" role="status">
        <span aria-hidden="true">↻ </span>
        The {noun} you copied ({receipt.preview}) was replaced: {library.name}'s token now ends <span className="mono">{library.tokenPreview}</span>.{clipboard}{' '}
        <button type="button" className="button small" disabled={busy} onClick={() => onCopyNew(receipt.format)}>
          Copy the new {noun}
        </button>
      </p>
    )
  }
  return (
    <>
      <p className="receipt" role="status">
        <span aria-hidden="true">✓ </span>
        {noun} <span className="mono">{receipt.preview}</span> copied{clipboard}
        {receipt.note !== null ? <span className="receipt-note">{receipt.note}</span> : null}
      </p>
      <StandInNote />
    </>
  )
}
