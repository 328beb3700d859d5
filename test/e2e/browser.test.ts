import { mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.js'
import playground from '../../src/http/plugins/playground.js'

/**
 * Swagger UI and the playground in a real headless Chromium (Debian's `chromium`). Screenshots go
 * to test-results/ for a person to look at; the assertions read the DOM.
 */
const SHOTS = 'test-results'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync']

async function start(apiKeys: string[] = []): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp({ workers: 1, apiKeys })
  // until the app registers the page itself
  if (!app.hasRoute({ method: 'GET', url: '/' })) await app.register(playground)
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` }
}

let browser: Browser
let server: { app: FastifyInstance; url: string }

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS })
  server = await start()
})

afterAll(async () => {
  await browser?.close()
  await server?.app.close()
})

/** A page that records uncaught errors and console errors (the tests expect none). */
async function openPage(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } })
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  await page.goto(url)
  return { page, errors }
}

const squash = (s: string | null) => (s ?? '').replace(/\s+/g, '')

describe('Swagger UI', () => {
  it('renders /docs and runs the default /conv2d example: 200 and [[19,25],[37,43]]', async () => {
    const { page } = await openPage(`${server.url}/docs`)
    const op = page.locator('.opblock-post', { has: page.locator('.opblock-summary-path', { hasText: /^\/conv2d$/ }) })
    await op.locator('.opblock-summary').click()
    // "Try it out" is a no-op when the UI is configured with tryItOutEnabled (then it shows "Cancel")
    const tryIt = op.getByRole('button', { name: 'Try it out' })
    await op.getByRole('button', { name: /^(Try it out|Cancel)$/ }).first().waitFor()
    if (await tryIt.isVisible()) await tryIt.click()
    await op.getByRole('button', { name: 'Execute' }).click()
    const live = op.locator('.live-responses-table')
    await expect.poll(async () => squash(await live.locator('tr.response .response-col_status').first().textContent())).toBe('200')
    expect(squash(await live.locator('tr.response .response-col_description pre').first().textContent())).toContain('[[19,25],[37,43]]')
    await page.screenshot({ path: `${SHOTS}/swagger-conv2d.png`, fullPage: false })
    await page.close()
  })
})

describe('playground', () => {
  it('opens on the cross-correlation example, computed and drawn, with no page errors', async () => {
    const { page, errors } = await openPage(server.url)
    await expect.poll(() => page.locator('#output').getAttribute('data-json')).toBe('[[19,25],[37,43]]')
    await page.locator('#figure svg [data-grid="output"]').first().waitFor()
    expect(await page.locator('#figure svg [data-grid="output"][data-highlight="true"]').getAttribute('data-value')).toBe('19')
    expect(await page.locator('#sums li').allTextContents()).toEqual([
      '[0, 0]0×0 + 1×1 + 3×2 + 4×3 = 19',
      '[0, 1]1×0 + 2×1 + 4×2 + 5×3 = 25',
      '[1, 0]3×0 + 4×1 + 6×2 + 7×3 = 37',
      '[1, 1]4×0 + 5×1 + 7×2 + 8×3 = 43',
    ])
    await page.screenshot({ path: `${SHOTS}/playground-correlation.png`, fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  })

  it('shows the stride example, and a click on an output cell highlights its window and its sum', async () => {
    const { page, errors } = await openPage(server.url)
    await expect.poll(() => page.locator('#output').getAttribute('data-json')).toBe('[[19,25],[37,43]]')
    await page.getByRole('button', { name: 'Stride', exact: true }).click()
    await expect.poll(() => page.locator('#output').getAttribute('data-json')).toBe('[[0,8],[6,8]]')

    await page.locator('#figure [data-grid="output"][data-row="1"][data-col="1"]').click()
    const highlighted = page.locator('#figure [data-grid="output"][data-highlight="true"]')
    await expect.poll(async () => `${await highlighted.getAttribute('data-row')},${await highlighted.getAttribute('data-col')}`).toBe('1,1')
    const window = await page.locator('#figure [data-grid="input"][data-window="true"]').evaluateAll((cells) =>
      cells.map((c) => `${c.getAttribute('data-row')},${c.getAttribute('data-col')}`),
    )
    expect(window).toEqual(['2,1', '2,2', '3,1', '3,2'])
    expect(await page.locator('#sums li[aria-selected="true"]').textContent()).toBe('[1, 1]7×0 + 8×1 + 0×2 + 0×3 = 8')
    expect(await page.locator('#figure svg').textContent()).toContain('7×0 + 8×1 + 0×2 + 0×3 = 8')
    await page.screenshot({ path: `${SHOTS}/playground-stride.png`, fullPage: true })
    expect(errors).toEqual([])
    await page.close()
  })

  it('draws every textbook example without an error', async () => {
    const { page, errors } = await openPage(server.url)
    await page.locator('#figure svg').waitFor()
    const labels = await page.locator('#examples button').allTextContents()
    expect(labels).toHaveLength(11)
    for (const label of labels) {
      await page.getByRole('button', { name: label, exact: true }).click()
      await expect.poll(() => page.locator('#examples button[aria-pressed="true"]').textContent()).toBe(label)
      await expect.poll(() => page.locator('#figure svg title').textContent()).toBeTruthy()
      // polled: the previous example's figure has a title too until the new one replaces it
      if (label.startsWith('Transposed')) await expect.poll(() => page.locator('#figure svg title').textContent()).toMatch(/^Transposed convolution: output \[0, 0\]/)
      await expect.poll(() => page.locator('#run').isDisabled()).toBe(false)
      expect(await page.locator('#error').isHidden()).toBe(true)
      const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '-')
      await page.screenshot({ path: `${SHOTS}/example-${slug}.png`, fullPage: true })
    }
    expect(errors).toEqual([])
    await page.close()
  })

  it('shows an API error readably, with its code and message', async () => {
    const { page } = await openPage(server.url)
    await page.locator('#figure svg').waitFor()
    await page.locator('#kernel').fill('[[1, 2, 3, 4]]')
    await page.locator('#run').click()
    const box = page.locator('#error')
    await box.waitFor({ state: 'visible' })
    expect(await box.locator('strong').textContent()).toMatch(/^400 [A-Z_]+$/)
    expect(await box.textContent()).toMatch(/kernel/i)
    await page.screenshot({ path: `${SHOTS}/playground-error.png` })
    await page.close()
  })
})

describe('playground with API keys set', () => {
  it('is served without a key, and computes once the key is typed', async () => {
    const keyed = await start(['s3cret'])
    try {
      const { page } = await openPage(keyed.url)
      await page.locator('#error').waitFor({ state: 'visible' })
      expect(await page.locator('#error strong').textContent()).toMatch(/^401/)
      await page.locator('#apiKey').fill('s3cret')
      await page.locator('#run').click()
      await expect.poll(() => page.locator('#output').getAttribute('data-json')).toBe('[[19,25],[37,43]]')
      expect(await page.locator('#error').isHidden()).toBe(true)
      await page.close()
    } finally {
      await keyed.app.close()
    }
  })
})
