// A key's copy buttons, each beside what it puts on the clipboard with the token masked, and the receipt of the last
// copy (the same receipt as a library's). Only while the key's actions allow 'copy': never a revoked, expired,
// inactive or refused key.
import { useId, useState } from 'react'
import type { CopyFormat, KeyView } from '../../../../shared/contract.ts'
import { KEY_COPY_CHOICES, maskedKeyCopyText } from '../../lib/key-copy.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { CopyReceipt, type Receipt } from '../detail/CopyReceipt.tsx'
import '../detail/copy.css'

/** When the clipboard clears, on this window's clock: Larder's clearsAt is on its own clock; the delay is what matters. */
function clearsAtHere(clearsAt: number | null, clipboardClearMs: number | null): number | null {
  const now = Date.now()
  return clearsAt === null ? null : now + (clipboardClearMs ?? Math.max(0, clearsAt - now))
}

export function KeyCopy({ keyView }: { readonly keyView: KeyView }): React.JSX.Element | null {
  const idBase = useId()
  const clipboardClearMs = useApp((state) => state.settings?.clipboardClearMs ?? null)
  const { copyKey } = useActions()
  const [busy, setBusy] = useState<CopyFormat | null>(null)
  const [receipt, setReceipt] = useState<Receipt | null>(null)
  if (!keyView.actions.includes('copy')) return null

  const copy = async (format: CopyFormat): Promise<void> => {
    setBusy(format)
    setReceipt(null)
    const result = await copyKey(keyView.id, format, { announce: false })
    setBusy(null)
    if (result.ok) {
      const clearsAt = clearsAtHere(result.value.clearsAt, clipboardClearMs)
      setReceipt({ format, preview: result.value.preview, previewWhenCopied: keyView.tokenPreview, clearsAt, note: null })
    }
  }

  return (
    <>
      <div className="copy-formats" role="group" aria-label="Copy to the clipboard">
        {KEY_COPY_CHOICES.map(({ format, label, use }) => {
          const text = maskedKeyCopyText(keyView, format)
          if (text === null) return null
          const previewId = `${idBase}-${format}`
          return (
            <div className="copy-format" key={format}>
              <button type="button" className={`button small${format === 'token' ? ' copy-format-main' : ''}`} aria-describedby={previewId} disabled={busy !== null} onClick={() => void copy(format)}>
                {label}
              </button>
              <span className="copy-format-use">{use}</span>
              <code id={previewId} className="copy-preview">
                {text}
              </code>
            </div>
          )
        })}
      </div>
      {receipt !== null ? <CopyReceipt receipt={receipt} library={keyView} busy={busy !== null} onCopyNew={(format) => void copy(format)} /> : null}
    </>
  )
}
