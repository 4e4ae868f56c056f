// Short messages after an action. Polite for news, assertive for failures; each can be dismissed.
import { useEffect } from 'react'
import type { Toast } from '../../store/types.ts'
import { appStore, useApp } from '../../store/app-store.ts'

const LIFETIME_MS = { info: 6000, success: 6000, error: 15000 } as const

function ToastItem({ toast }: { readonly toast: Toast }): React.JSX.Element {
  useEffect(() => {
    const timer = setTimeout(() => appStore.getState().dismissToast(toast.id), LIFETIME_MS[toast.tone])
    return () => clearTimeout(timer)
  }, [toast.id, toast.tone])
  return (
    <li className={`toast toast-${toast.tone}`}>
      <span className="toast-glyph" aria-hidden="true">
        {toast.tone === 'error' ? '!' : toast.tone === 'success' ? '✓' : 'i'}
      </span>
      <span className="toast-text">{toast.text}</span>
      <button type="button" className="button ghost small" onClick={() => appStore.getState().dismissToast(toast.id)} aria-label="Dismiss message">
        ×
      </button>
    </li>
  )
}

export function Toasts(): React.JSX.Element {
  const toasts = useApp((state) => state.toasts)
  const news = toasts.filter((toast) => toast.tone !== 'error')
  const failures = toasts.filter((toast) => toast.tone === 'error')
  return (
    <div className="toasts">
      <div role="alert" aria-label="Problems">
        <ul className="toast-list">
          {failures.map((toast) => (
            <ToastItem key={toast.id} toast={toast} />
          ))}
        </ul>
      </div>
      <div role="status" aria-label="Messages">
        <ul className="toast-list">
          {news.map((toast) => (
            <ToastItem key={toast.id} toast={toast} />
          ))}
        </ul>
      </div>
    </div>
  )
}
