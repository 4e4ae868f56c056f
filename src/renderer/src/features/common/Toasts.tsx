// Short messages after an action. Polite for news, assertive for failures; each can be dismissed.
import { useEffect } from 'react'
import type { Toast } from '../../store/types.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import './toasts.css'

const LIFETIME_MS = { info: 6000, success: 6000, error: 15000 } as const

function ToastItem({ toast }: { readonly toast: Toast }): React.JSX.Element {
  const { dismissToast } = useActions()
  useEffect(() => {
    const timer = setTimeout(() => dismissToast(toast.id), LIFETIME_MS[toast.tone])
    return () => clearTimeout(timer)
  }, [toast.id, toast.tone, dismissToast])
  return (
    <li className={`toast toast-${toast.tone}`}>
      <span className="toast-glyph" aria-hidden="true">
        {toast.tone === 'error' ? '!' : toast.tone === 'success' ? '✓' : 'i'}
      </span>
      <span className="toast-text">{toast.text}</span>
      <button type="button" className="button ghost small" onClick={() => dismissToast(toast.id)} aria-label="Dismiss message">
        ×
      </button>
    </li>
  )
}

function ToastList({ role, label, toasts }: { readonly role: 'alert' | 'status'; readonly label: string; readonly toasts: readonly Toast[] }): React.JSX.Element {
  return (
    <div role={role} aria-label={label}>
      <ul className="toast-list">
        {toasts.map((toast) => (
          <ToastItem key={toast.id} toast={toast} />
        ))}
      </ul>
    </div>
  )
}

export function Toasts(): React.JSX.Element {
  const toasts = useApp((state) => state.toasts)
  return (
    <div className="toasts">
      <ToastList role="alert" label="Problems" toasts={toasts.filter((toast) => toast.tone === 'error')} />
      <ToastList role="status" label="Messages" toasts={toasts.filter((toast) => toast.tone !== 'error')} />
    </div>
  )
}
