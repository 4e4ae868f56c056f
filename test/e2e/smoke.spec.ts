import { test, expect } from '@playwright/test'
import { resolve } from 'node:path'
import { serveFolder, type StaticServer } from '../support/static-server.ts'

let server: StaticServer

test.beforeAll(async () => {
  server = await serveFolder(resolve('out/renderer'))
})
test.afterAll(async () => {
  await server.close()
})

test('the built renderer shows the app name and the empty state', async ({ page }) => {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  await page.goto(server.url)
  await expect(page.getByRole('heading', { level: 1, name: 'Larder' })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'No libraries yet' })).toBeVisible()
  await expect(page.getByText('Library Settings → API Settings')).toBeVisible()
  expect(errors).toEqual([])
})
