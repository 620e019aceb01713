# syntax=docker/dockerfile:1
# Drainscope's container image: the Next.js standalone server and the bundled `drainscope` CLI on a
# slim Node 20, as a non-root numeric user, for a read-only root filesystem (writes go to /data and
# /tmp only). No HEALTHCHECK: in Kubernetes the probes come from the Deployment (deploy/base).
#
# The app folder is assembled by bin/build-image-app.sh, the same script `npm run check:standalone`
# (run by .ci/run) uses before it starts the result from a clean directory as a non-root user with this
# file's runtime ENV lines, so this recipe cannot rot unnoticed on machines without a Docker engine.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 compiles from source.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
# `npm install` with the committed lockfile, never `npm ci` (see docs/stack-notes pitfall 1).
RUN npm install --no-audit --no-fund
COPY . .
RUN bash bin/build-image-app.sh /out

FROM ${NODE_IMAGE} AS runtime
# 65532: a numeric non-root user with no entry in /etc/passwd, so `runAsNonRoot` can verify it.
RUN mkdir -p /data && chown 65532:65532 /data && chmod 0750 /data
COPY --from=build --chown=0:0 /out /app
WORKDIR /app
ENV NODE_ENV=production
ENV NEXT_TELEMETRY_DISABLED=1
ENV HOME=/tmp
ENV DRAINSCOPE_NEXT_SERVER=/app/server.js
ENV DRAINSCOPE_DATA_DIR=/data
ENV DRAINSCOPE_HOST=0.0.0.0
ENV PORT=3000
USER 65532:65532
VOLUME ["/data"]
EXPOSE 3000
ENTRYPOINT ["node", "/app/cli.mjs"]
CMD ["start"]
