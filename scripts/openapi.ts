/**
 * Writes openapi/openapi.json from the app's schemas (`npm run openapi`). A test fails when the
 * committed file differs from what the app generates.
 */
import { writeFile, mkdir } from 'node:fs/promises'
import { buildApp } from '../src/app.js'

const app = await buildApp({ workers: 1 })
await app.ready()
const document = `${JSON.stringify(app.swagger(), null, 2)}\n`
await mkdir(new URL('../openapi/', import.meta.url), { recursive: true })
await writeFile(new URL('../openapi/openapi.json', import.meta.url), document)
await app.close()
console.log('wrote openapi/openapi.json')
