# syntax=docker/dockerfile:1
# One image for every Baton domain; the domain is chosen by the config file named in BATON_CONFIG.

FROM node:20-bookworm-slim AS build
# sqlite3 has no prebuilt binary for every platform: node-gyp needs python3, make and g++.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Manifests first so the dependency layer is cached across source changes. Scripts are skipped
# here (the root "prepare" script builds, and the sources are not copied yet); sqlite3's native
# addon is then built explicitly.
COPY package.json package-lock.json ./
COPY libs/chain/package.json libs/chain/
COPY libs/chain/bin libs/chain/bin
COPY libs/chain-nest/package.json libs/chain-nest/
COPY libs/config/package.json libs/config/
COPY libs/agent/package.json libs/agent/
RUN npm ci --ignore-scripts --no-audit --no-fund \
  && npm rebuild sqlite3
COPY . .
RUN npm run build \
  && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
  BATON_CONFIG=/etc/baton/config.yaml
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/libs/chain/package.json libs/chain/
COPY --from=build /app/libs/chain/dist libs/chain/dist
COPY --from=build /app/libs/chain/bin libs/chain/bin
COPY --from=build /app/libs/chain-nest/package.json libs/chain-nest/
COPY --from=build /app/libs/chain-nest/dist libs/chain-nest/dist
COPY --from=build /app/libs/config/package.json libs/config/
COPY --from=build /app/libs/config/dist libs/config/dist
# Writable only where state lives (an SQLite file when no PostgreSQL URL is configured).
RUN mkdir -p /var/lib/baton && chown node:node /var/lib/baton
USER node
EXPOSE 4000
# --max-semi-space-size: see apps/demo/server-node-flags.ts
CMD ["node", "--max-semi-space-size=32", "dist/apps/broker/src/main.js"]
