// Settings: thresholds and delays in the units people think in, notifications per kind, the default API URL.
import { useId, useState } from 'react'
import type { Settings } from '../../../../shared/contract.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { effectiveApiHost, HostTrust, untickedMessage } from '../common/ApiHost.tsx'
import { ErrorText, TextField } from '../common/Field.tsx'
import { LockFields, LockPassphraseSettings } from '../lock/LockSettings.tsx'
import { isBareNumber } from './durations.ts'
import { draftFrom, DURATIONS, patchFrom, type DurationKey, type SettingsDraft } from './settings-form.ts'
import { TerminalSessions } from './TerminalSessions.tsx'
import { TeamSection } from '../team/TeamSection.tsx'
import './settings.css'

const NOTIFICATIONS: readonly { readonly key: keyof Settings['notifications']; readonly label: string; readonly help: string }[] = [
  { key: 'expiring', label: 'Expiring soon', help: 'A token is close to expiry and its refresh is overdue or cannot happen, or it has expired.' },
  { key: 'failed', label: 'Refresh failed', help: 'A refresh failed; Larder says whether it will retry.' },
  { key: 'needsReauth', label: 'Needs re-authorization', help: 'A library needs a new token from its owner.' }
]

export function SettingsView(): React.JSX.Element {
  const settings = useApp((state) => state.settings)
  const settingsError = useApp((state) => state.settingsError)
  const { loadSettings } = useActions()
  if (settings === null) {
    return (
      <section className="page" aria-labelledby="settings-title">
        <h2 id="settings-title">Settings</h2>
        {settingsError !== null ? (
          <div className="notice notice-error" role="alert">
            {settingsError}{' '}
            <button type="button" className="button small" onClick={() => void loadSettings()}>
              Try again
            </button>
          </div>
        ) : (
          <p role="status">Loading settings…</p>
        )}
      </section>
    )
  }
  return <SettingsForm settings={settings} />
}

function SettingsForm({ settings }: { readonly settings: Settings }): React.JSX.Element {
  const uid = useId()
  const [draft, setDraft] = useState<SettingsDraft>(() => draftFrom(settings))
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({})
  const [saving, setSaving] = useState(false)
  const [saved, setSaved] = useState(false)
  const { updateSettings } = useActions()
  // A new default on a host that is not Apicbase's is sent only with the person's "I trust <host>" (Larder checks).
  const [trustedHost, setTrustedHost] = useState('')
  const target = effectiveApiHost(draft.defaultApiBaseUrl, '')
  const otherHost = target?.kind === 'other' ? target.host : null
  const needsTrust = otherHost !== null && target?.origin !== settings.defaultApiBaseUrl ? otherHost : null
  // Saved elsewhere (or by this form): show what Larder holds now.
  const [draftOf, setDraftOf] = useState(settings)
  if (draftOf !== settings) {
    setDraftOf(settings)
    setDraft(draftFrom(settings))
  }

  const setDuration = (key: DurationKey, value: string): void => {
    setSaved(false)
    setDraft((previous) => ({ ...previous, durations: { ...previous.durations, [key]: value } }))
  }

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    const checked = patchFrom(draft)
    if ('errors' in checked) {
      setErrors(checked.errors)
      const first = Object.keys(checked.errors)[0]
      if (first !== undefined) document.getElementById(`${uid}-${first}`)?.focus()
      return
    }
    if (needsTrust !== null && trustedHost !== needsTrust) {
      setErrors({ confirmedDefaultApiHost: untickedMessage(needsTrust) })
      document.getElementById(`${uid}-trust`)?.focus()
      return
    }
    setErrors({})
    setSaving(true)
    const result = await updateSettings(needsTrust === null ? checked.patch : { ...checked.patch, confirmedDefaultApiHost: needsTrust })
    setSaving(false)
    if (result.ok) {
      setSaved(true)
      return
    }
    const field = result.error.field?.split('.').pop() ?? 'form'
    const shownAt = field in draft.durations || field === 'defaultApiBaseUrl' || field === 'confirmedDefaultApiHost' || field === 'idleMinutes' ? field : 'form'
    setErrors({ [shownAt]: result.error.message })
  }

  const describe = (key: string): string => [errors[key] !== undefined ? `${uid}-${key}-error` : '', `${uid}-${key}-help`].filter(Boolean).join(' ')

  return (
    <section className="page" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <form className="settings-form" onSubmit={(event) => void submit(event)} noValidate>
        <fieldset>
          <legend>Timing</legend>
          {DURATIONS.map((spec) => (
            <div key={spec.key} className={`field field-row${errors[spec.key] !== undefined ? ' has-error' : ''}`}>
              <label htmlFor={`${uid}-${spec.key}`} className="field-label">
                {spec.label}
              </label>
              <span className="with-unit">
                <input
                  id={`${uid}-${spec.key}`}
                  className="input number"
                  spellCheck={false}
                  autoComplete="off"
                  value={draft.durations[spec.key]}
                  aria-invalid={errors[spec.key] !== undefined}
                  aria-describedby={describe(spec.key)}
                  onChange={(event) => setDuration(spec.key, event.target.value)}
                />
                {/* The unit a bare number counts in; "10 min" carries its own. */}
                <span className="unit">
                  {isBareNumber(draft.durations[spec.key]) ? spec.unit : ''}
                </span>
              </span>
              <ErrorText id={`${uid}-${spec.key}-error`} message={errors[spec.key]} alert={false} />
              <p id={`${uid}-${spec.key}-help`} className="field-help">
                {spec.help}
              </p>
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>Notifications</legend>
          <p className="field-help">Shown by the system, from the tray, while Larder runs.</p>
          {NOTIFICATIONS.map(({ key, label, help }) => (
            <div key={key} className="check">
              <input
                id={`${uid}-notify-${key}`}
                type="checkbox"
                checked={draft.notifications[key]}
                aria-describedby={`${uid}-notify-${key}-help`}
                onChange={(event) => {
                  setSaved(false)
                  const checked = event.target.checked
                  setDraft((previous) => ({ ...previous, notifications: { ...previous.notifications, [key]: checked } }))
                }}
              />
              <label htmlFor={`${uid}-notify-${key}`}>{label}</label>
              <span id={`${uid}-notify-${key}-help`} className="field-help inline">
                {help}
              </span>
            </div>
          ))}
        </fieldset>
        {draft.lock !== null ? (
          <LockFields
            idPrefix={uid}
            draft={draft.lock}
            error={errors['idleMinutes']}
            onChange={(lock) => {
              setSaved(false)
              setDraft((previous) => ({ ...previous, lock }))
            }}
          />
        ) : null}
        <fieldset>
          <legend>Apicbase</legend>
          <TextField
            id={`${uid}-defaultApiBaseUrl`}
            label="Default API base URL"
            error={errors['defaultApiBaseUrl']}
            errorStyle="plain"
            help="Used when a library is added without its own API base URL. Libraries already added keep theirs."
            inputClass="mono"
            type="url"
            spellCheck={false}
            value={draft.defaultApiBaseUrl}
            onChange={(event) => {
              setSaved(false)
              const value = event.target.value
              setDraft((previous) => ({ ...previous, defaultApiBaseUrl: value }))
              setErrors((previous) => ({ ...previous, confirmedDefaultApiHost: undefined }))
            }}
          />
          {otherHost !== null ? (
            <HostTrust
              id={`${uid}-trust`}
              host={otherHost}
              what="the client secret and tokens of every library added without its own URL"
              label={`I trust ${otherHost} with the client secret and tokens of the libraries added with this default`}
              checked={trustedHost === otherHost}
              onChange={(on) => {
                setSaved(false)
                setTrustedHost(on ? otherHost : '')
                setErrors((previous) => ({ ...previous, confirmedDefaultApiHost: undefined }))
              }}
              error={errors['confirmedDefaultApiHost']}
              disabled={saving}
            >
              {needsTrust === null ? <p>It is the default now. Each library added with it still asks you to confirm the host.</p> : undefined}
            </HostTrust>
          ) : null}
        </fieldset>
        {errors['form'] !== undefined ? (
          <div className="notice notice-error" role="alert">
            {errors['form']}
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={saving}>
            Save settings
          </button>
          <button
            type="button"
            className="button ghost"
            disabled={saving}
            onClick={() => {
              setDraft(draftFrom(settings))
              setErrors({})
              setSaved(false)
            }}
          >
            Undo changes
          </button>
          <span role="status" className="saved-note">
            {saved ? '✓ Saved' : ''}
          </span>
        </div>
      </form>
      <LockPassphraseSettings />
      <TerminalSessions />
      <TeamSection />
    </section>
  )
}
