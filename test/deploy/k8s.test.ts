import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse, parseAllDocuments } from 'yaml'

/**
 * deploy/k8s is never applied to a cluster in CI, so the fields that make a rollout safe are pinned
 * here: a typo in a probe path or a selector would otherwise only show up in production.
 */
type Obj = Record<string, any>

const dir = new URL('../../deploy/k8s/', import.meta.url)
const load = (file: string): Obj => {
  const docs = parseAllDocuments(readFileSync(new URL(file, dir), 'utf8'))
  expect(docs).toHaveLength(1)
  return docs[0]!.toJS() as Obj
}

const deployment = load('deployment.yaml')
const service = load('service.yaml')
const hpa = load('hpa.yaml')
const pdb = load('pdb.yaml')
const pod = deployment.spec.template.spec as Obj
const container = pod.containers[0] as Obj
const httpPort = (container.ports as Obj[]).find((p) => p.name === 'http')!

/** a probe's port may be named or numeric; either way it must be the container's port */
const probePort = (probe: Obj): number => {
  const port = probe.httpGet.port
  return typeof port === 'string' ? (container.ports as Obj[]).find((p) => p.name === port)?.containerPort : port
}
const envValue = (name: string): string | undefined => (container.env as Obj[]).find((e) => e.name === name)?.value

describe('deployment.yaml', () => {
  it('is an apps/v1 Deployment of one container listening on the port the server uses', () => {
    expect(deployment.apiVersion).toBe('apps/v1')
    expect(deployment.kind).toBe('Deployment')
    expect(pod.containers).toHaveLength(1)
    expect(httpPort.containerPort).toBe(3000)
    // PORT, when set, must agree with containerPort (the Dockerfile's default is 3000 too).
    expect(envValue('PORT') ?? '3000').toBe(String(httpPort.containerPort))
  })

  it('selects its own pods', () => {
    expect(deployment.spec.template.metadata.labels).toMatchObject(deployment.spec.selector.matchLabels)
  })

  it('probes readiness on /readyz and liveness on /healthz at the container port', () => {
    expect(container.readinessProbe.httpGet.path).toBe('/readyz')
    expect(container.livenessProbe.httpGet.path).toBe('/healthz')
    expect(probePort(container.readinessProbe)).toBe(3000)
    expect(probePort(container.livenessProbe)).toBe(3000)
    if (container.startupProbe) expect(container.startupProbe.httpGet.path).toBe('/healthz')
  })

  it('requests and limits cpu and memory, with one worker per limited core', () => {
    for (const kind of ['requests', 'limits']) {
      expect(container.resources[kind].cpu).toBeDefined()
      expect(container.resources[kind].memory).toBeDefined()
    }
    expect(Number(envValue('WORKERS'))).toBe(Number(container.resources.limits.cpu))
  })

  it('runs as the non-root node user on a read-only root filesystem with a writable /tmp', () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true)
    expect(pod.securityContext.runAsUser).toBe(1000)
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false)
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true)
    expect(container.securityContext.capabilities.drop).toContain('ALL')
    const tmp = (container.volumeMounts as Obj[]).find((m) => m.mountPath === '/tmp')
    expect(tmp).toBeDefined()
    const volume = (pod.volumes as Obj[]).find((v) => v.name === tmp!.name)
    expect(volume?.emptyDir).toBeDefined()
  })

  it('pauses in preStop before SIGTERM and leaves time for the graceful close', () => {
    const command = container.lifecycle.preStop.exec.command as string[]
    expect(command[0]).toBe('sleep')
    const pause = Number(command[1])
    expect(pause).toBeGreaterThan(0)
    const graceMs = Number(envValue('SHUTDOWN_GRACE_MS') ?? 10_000)
    // Kubernetes counts the preStop hook inside terminationGracePeriodSeconds.
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(pause + graceMs / 1000)
  })

  it('keeps capacity during a rollout', () => {
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0)
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2)
  })
})

describe('service.yaml', () => {
  it('selects the Deployment\'s pods and targets the container port', () => {
    expect(service.kind).toBe('Service')
    expect(deployment.spec.template.metadata.labels).toMatchObject(service.spec.selector)
    const port = service.spec.ports[0] as Obj
    expect([httpPort.name, httpPort.containerPort]).toContain(port.targetPort)
  })
})

describe('hpa.yaml', () => {
  it('scales the Deployment on CPU utilization with autoscaling/v2', () => {
    expect(hpa.apiVersion).toBe('autoscaling/v2')
    expect(hpa.kind).toBe('HorizontalPodAutoscaler')
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name })
    const cpu = (hpa.spec.metrics as Obj[]).find((m) => m.type === 'Resource' && m.resource.name === 'cpu')
    expect(cpu?.resource.target.type).toBe('Utilization')
    expect(cpu?.resource.target.averageUtilization).toBeGreaterThan(0)
    expect(cpu?.resource.target.averageUtilization).toBeLessThanOrEqual(100)
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2)
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas)
  })
})

describe('pdb.yaml and kustomization.yaml', () => {
  it('the disruption budget covers the Deployment\'s pods', () => {
    expect(pdb.apiVersion).toBe('policy/v1')
    expect(deployment.spec.template.metadata.labels).toMatchObject(pdb.spec.selector.matchLabels)
  })

  it('the kustomization lists every manifest and renames the Deployment\'s image', () => {
    const kustomization = parse(readFileSync(new URL('kustomization.yaml', dir), 'utf8')) as Obj
    expect([...kustomization.resources].sort()).toEqual(['deployment.yaml', 'hpa.yaml', 'pdb.yaml', 'service.yaml'])
    const imageName = String(container.image).split(':')[0]
    expect((kustomization.images as Obj[]).map((i) => i.name)).toContain(imageName)
  })
})
