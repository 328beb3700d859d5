import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { clusterMetricsSource, isClusterWorker, runSupervisor } from './cluster.js'
import { ConfigError, describeConfig, loadConfig } from './config.js'
import { missingNodeFlags, SERVER_NODE_FLAGS } from './node-flags.js'

/**
 * Reads the environment, listens, and shuts down gracefully: on SIGTERM/SIGINT the server stops
 * accepting (503 while closing), every accepted job finishes and is answered, the worker pool
 * closes, and the process exits 0 — within SHUTDOWN_GRACE_MS, else it exits 1. Runs as PID 1.
 * With PROCESSES > 1 this process supervises that many such servers on one port (cluster.ts).
 */
async function main(): Promise<void> {
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`convserve: ${error.message}`)
      process.exit(2)
    }
    throw error
  }
  if (config.processes > 1 && !isClusterWorker()) {
    runSupervisor(config)
    return
  }
  const app = await buildApp(config, {
    logger: { level: config.logLevel },
    ...(isClusterWorker() ? { clusterMetrics: clusterMetricsSource } : {}),
  })
  closeWithGrace({ delay: config.shutdownGraceMs }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down: finishing accepted jobs')
    await app.close()
  })
  await app.listen({ port: config.port, host: config.host })
  app.log.info({ config: describeConfig(config) }, 'convserve ready')
  const missing = missingNodeFlags()
  if (missing.length > 0) {
    app.log.warn(
      { missing, expected: `node ${SERVER_NODE_FLAGS.join(' ')} dist/server.js` },
      'started without the V8 flags convserve is tuned for: large requests will cost more garbage collection (docs/performance.md)',
    )
  }
}

void main()
