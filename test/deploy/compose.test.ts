import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { SERVER_NODE_FLAGS } from '../../src/node-flags.js'

/**
 * Static guards for the container files; test/container/check.sh builds and runs them for real.
 * These catch, without Docker, the edits that would only fail on a machine with an engine: v2-only
 * compose syntax (the check also runs under docker-compose 1.29), BuildKit-only Dockerfile syntax
 * (the legacy builder is used there), and a balancer that would stop seeing new replicas.
 */
type Obj = Record<string, any>
const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')

const compose = parse(read('docker-compose.yml')) as Obj
const nginx = read('deploy/nginx/nginx.conf').replace(/#.*$/gm, '')
const dockerfile = read('Dockerfile')
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))

describe('docker-compose.yml', () => {
  const api = compose.services.api as Obj
  const lb = compose.services.nginx as Obj

  it('uses only syntax docker-compose 1.29 also reads', () => {
    expect(compose.version).toBeUndefined()
    expect(compose.include).toBeUndefined()
    expect(read('docker-compose.yml')).not.toMatch(/!reset|!override|develop:/)
  })

  it('runs 2 api replicas by default, with a healthcheck and cpu and memory limits', () => {
    expect(String(api.deploy.replicas)).toMatch(/^(2|\$\{API_REPLICAS:-2\})$/)
    expect(api.healthcheck.test.join(' ')).toContain('/healthz')
    expect(api.deploy.resources.limits.cpus).toBeDefined()
    expect(api.deploy.resources.limits.memory).toBeDefined()
    // replicas cannot share one host port or one container name
    expect(api.ports).toBeUndefined()
    expect(api.container_name).toBeUndefined()
    expect(Object.keys(api.environment)).toEqual(expect.arrayContaining(['WORKERS', 'MAX_QUEUE']))
  })

  it('starts the balancer only when the api is healthy and publishes its port', () => {
    expect(lb.depends_on.api.condition).toBe('service_healthy')
    expect(lb.ports).toHaveLength(1)
    expect(lb.volumes.join(' ')).toContain('deploy/nginx/nginx.conf:/etc/nginx/nginx.conf')
  })
})

describe('deploy/nginx/nginx.conf', () => {
  it('re-resolves the replicas through Docker\'s DNS on every request', () => {
    expect(nginx).toMatch(/resolver\s+127\.0\.0\.11\b[^;]*valid=\d+s/)
    // a literal host in proxy_pass would be resolved once at start-up
    const target = /proxy_pass\s+([^;]+);/.exec(nginx)?.[1]
    expect(target).toMatch(/^\$\w+$/)
    expect(nginx).toMatch(new RegExp(`set\\s+\\${target}\\s+http://api:3000;`))
  })

  it('lets a 32 MiB body through and names the replica that answered', () => {
    const size = /client_max_body_size\s+(\d+)m;/.exec(nginx)?.[1]
    expect(Number(size)).toBeGreaterThanOrEqual(32)
    expect(nginx).toMatch(/add_header\s+X-Upstream\s+\$upstream_addr/)
  })
})

describe('Dockerfile', () => {
  it('builds with the legacy builder: no BuildKit-only syntax', () => {
    expect(dockerfile).not.toMatch(/^# *syntax=/m)
    expect(dockerfile).not.toMatch(/--mount=|<<\s*['"]?EOF/)
  })

  it('runs node directly as the non-root user with a fetch healthcheck', () => {
    const runtime = instructions.slice(instructions.map((l) => l.startsWith('FROM ')).lastIndexOf(true))
    expect(runtime).toContain('USER node')
    expect(runtime).toContain('EXPOSE 3000')
    expect(runtime.find((l) => l.startsWith('HEALTHCHECK'))).toMatch(/fetch\(.*\/healthz/)
    expect(runtime.at(-1)).toBe(`CMD ${JSON.stringify(['node', ...SERVER_NODE_FLAGS, 'dist/server.js']).replaceAll(',', ', ')}`)
    expect(runtime.join('\n')).toMatch(/NODE_ENV=production/)
  })

  it('skips onnxruntime-node\'s CUDA download and keeps one platform\'s binaries', () => {
    expect(dockerfile).toMatch(/ONNXRUNTIME_NODE_INSTALL=skip/)
    expect(dockerfile).toMatch(/napi-v\*\/darwin/)
    expect(dockerfile).toMatch(/napi-v\*\/win32/)
  })
})
