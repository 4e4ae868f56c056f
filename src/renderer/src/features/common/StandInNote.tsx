// Under a copy receipt in a host whose clipboard is a stand-in (the browser host): where the token really went.
import { copiesToStandIn, STAND_IN_CLIPBOARD_NOTE } from '../../lib/host-abilities.ts'
import { useApp } from '../../store/provider.tsx'
import './host-notes.css'

export function StandInNote(): React.JSX.Element | null {
  const standIn = useApp((state) => copiesToStandIn(state.appInfo))
  return standIn ? <p className="stand-in-note">{STAND_IN_CLIPBOARD_NOTE}</p> : null
}
