// Moves focus to an element once the render that shows it is done: after a failed check, keyboard users land on
// the field that needs them. Asking again for the same element works too (a counter, not the id, triggers it).
import { useCallback, useEffect, useRef, useState } from 'react'

export function useFocusRequest(): (elementId: string) => void {
  const target = useRef<string | null>(null)
  const [asked, setAsked] = useState(0)
  useEffect(() => {
    if (target.current === null) return
    document.getElementById(target.current)?.focus()
    target.current = null
  }, [asked])
  return useCallback((elementId: string) => {
    target.current = elementId
    setAsked((count) => count + 1)
  }, [])
}
