// What a person does to a rendered form in the component tests: type into a field found by its label, press a key.
import type { HTMLElement } from 'happy-dom'
import { page, settle, type Rendered } from './render.ts'

/** Types into an input as a person would: React sees an input event with the new value. */
export async function type(input: HTMLElement, value: string): Promise<void> {
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value')?.set
  if (!setter) throw new Error('not an input')
  setter.call(input, value)
  input.dispatchEvent(new Event('input', { bubbles: true }) as never)
  await settle()
}

/** The input a <label> names. */
export function field(view: Rendered, label: string): HTMLElement {
  const found = view.all('label').find((element) => element.textContent.trim() === label)
  const id = found?.getAttribute('for')
  const input = id ? view.all('input').find((element) => element.id === id) : undefined
  if (!input) throw new Error(`no field "${label}" in: ${view.root.textContent}`)
  return input
}

/** A key pressed on `target` (the focused element), as the browser sends it: keydown, bubbling. */
export async function press(target: HTMLElement | null, key: string, options: { readonly shiftKey?: boolean } = {}): Promise<void> {
  const on = target ?? (page().body as unknown as HTMLElement)
  const { KeyboardEvent } = page().defaultView as unknown as { KeyboardEvent: new (type: string, init: object) => Event }
  on.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...options }) as never)
  await settle()
}

/** The element that has the focus now. */
export function focused(): HTMLElement | null {
  return page().activeElement as HTMLElement | null
}
