# One image for every Lukema service; the command chooses which one runs
# (infra/docker/entrypoint.sh): `docker run lukema ingest`, `… registry`, `… api`, …
# Build from the clone's root: docker build -t lukema .

# 1. Dependencies, from the lockfile only (cached until it changes).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/platform/package.json packages/platform/
COPY schemas/package.json schemas/
COPY services/api/package.json services/api/
COPY services/headend-sim/package.json services/headend-sim/
COPY services/ingest/package.json services/ingest/
COPY services/local/package.json services/local/
COPY services/provision/package.json services/provision/
COPY services/registry/package.json services/registry/
COPY services/rollup/package.json services/rollup/
COPY bench/package.json bench/
COPY test/package.json test/
RUN npm ci --no-audit --no-fund --loglevel=error

# 2. Sources, checked: the image is only built from code that typechecks.
FROM deps AS build
COPY tsconfig.base.json tsconfig.json ./
COPY packages packages
COPY schemas schemas
COPY services services
COPY bench bench
COPY test test
RUN npx tsc -b packages/core packages/platform schemas services/ingest services/registry services/api services/provision services/headend-sim

# 3. What runs: the sources (run through tsx), their dependencies, no build output, no
# tests, as the unprivileged `node` user.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    LUKEMA_DATA=/data \
    LUKEMA_LISTEN_HOST=0.0.0.0
WORKDIR /app
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/package.json /app/tsconfig.base.json ./
COPY --from=build /app/packages packages
COPY --from=build /app/schemas schemas
COPY --from=build /app/services services
COPY infra/docker/entrypoint.sh /usr/local/bin/lukema
RUN mkdir -p /data && chown node:node /data \
  && find packages schemas services -name dist -type d -prune -exec rm -rf {} +
USER node
VOLUME ["/data"]
EXPOSE 18080 18091 18092
ENTRYPOINT ["/usr/local/bin/lukema"]
CMD ["api"]
