// The reference row for the keystroke figure: the same keystrokes into a bare page holding one <input> and nothing
// else, measured the same way (keydown → the frame after the input was handled, painted), in the same browser and
// run. What Chromium itself takes on this machine to show a typed character: the floor the list's figure sits on.
import type { Browser } from '@playwright/test'
import { installRecorder } from '../dashboard-page.ts'
import { typeKeystrokes } from './measure-page.ts'
import { KEYSTROKES, VIEWPORT, type KeystrokeResult } from './settings.ts'

/** One input with the search box's id (the recorder times keys in `#library-search`), no script, no style. */
const BARE_PAGE = '<!doctype html><html lang="en"><meta charset="utf-8"><title>bare input</title><input id="library-search" type="search" aria-label="Search"></html>'

export async function measureBareInput(browser: Browser, server: string): Promise<KeystrokeResult> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 })
  try {
    const page = await context.newPage()
    const url = new URL('bare-input.html', server).href
    await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: BARE_PAGE }))
    await page.addInitScript(installRecorder)
    await page.goto(url)
    return await typeKeystrokes(page, KEYSTROKES.map(() => false))
  } finally {
    await context.close()
  }
}
