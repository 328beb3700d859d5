# convserve: multi-stage image. Plain Dockerfile syntax only (no RUN --mount, no heredocs), so the
# legacy builder (DOCKER_BUILDKIT=0) builds it as well as BuildKit does.
#
# Layer order is for the cache: package files first, then `npm ci`, then the sources — editing a
# .ts file rebuilds only the `tsc` layer, not the 300 MB dependency download.

# Node 24: the active LTS line (22 is in maintenance), and faster here where the service spends
# its time besides the kernel: S2 with one client 5.0–5.2 ms end to end on Node 24, 5.2–5.8 on
# Node 22, 5.5–6.2 on Node 20; the worker's base64 codec 0.45–0.47 ms against 0.55–0.96
# (docs/performance.md, "Node 24 in the image").
ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: dev dependencies + tsc ------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# onnxruntime-node's postinstall would fetch CUDA libraries; the CPU library ships in the package.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: `prepare` (= tsc) cannot run before the sources are copied, and the only other
# install scripts (onnxruntime-node's CUDA download, protobufjs' CLI check) are not needed to build.
RUN npm ci --ignore-scripts --no-audit --no-fund
# tsconfig.build.json compiles the server; tsconfig.web.json the playground's browser modules.
COPY tsconfig*.json ./
COPY src ./src
RUN npm run build

# ---- deps: production dependencies only, trimmed -----------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip NODE_ENV=production
COPY package.json package-lock.json .npmrc ./
# onnxruntime-node carries every platform's library (~290 MB: darwin, win32, linux arm64 + x64);
# keep only this image's linux architecture. protobufjs (via onnx-proto, which loads only
# protobufjs/minimal) ships its pbjs/pbts code generator with its own node_modules; source maps, type
# declarations and docs are not needed to run either.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && arch="$(node -p process.arch)" \
 && ort=node_modules/onnxruntime-node/bin \
 && rm -rf "$ort"/napi-v*/darwin "$ort"/napi-v*/win32 \
 && for d in "$ort"/napi-v*/linux/*; do [ "$(basename "$d")" = "$arch" ] || rm -rf "$d"; done \
 && test -f "$ort"/napi-v*/linux/"$arch"/onnxruntime_binding.node \
 && rm -rf node_modules/protobufjs/cli \
 && find node_modules \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \
      -o -name '*.md' -o -name '*.markdown' \) -type f -delete \
 && rm -rf /root/.npm /tmp/*

# ---- runtime ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE}
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
# glibc malloc: tensor-sized blocks (up to 64 MiB) come from its reused heap instead of a fresh
# mmap each time, so a request's buffers do not page-fault in anew. Measured here: S1 through
# onnxruntime fell into a 12 ms mode instead of 2.3 ms in 20–140 of 150 calls with glibc's
# defaults, 6–9 with this; base64-encoding S2's output took 3.2 ms, with this 0.05 ms.
ENV GLIBC_TUNABLES=glibc.malloc.mmap_threshold=67108864:glibc.malloc.trim_threshold=536870912
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
# The playground page (index.html, css); its modules are in dist/public.
COPY public ./public
COPY package.json ./
# Files stay owned by root and read-only to the service user: the process cannot rewrite its code.
USER node
EXPOSE 3000
# Slim images have no curl: Node's own fetch. PORT is read so an overridden port stays healthy.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node itself is PID 1 (not `npm start`, which does not forward signals): server.ts installs the
# SIGTERM/SIGINT handlers (close-with-grace), so `docker stop` ends it as soon as in-flight jobs finish.
# The V8 flag (src/node-flags.ts says why) is accepted only on the command line, not in NODE_OPTIONS.
CMD ["node", "--initial-old-space-size=128", "dist/server.js"]
