# postindex, production image: `postindex watch` (indexer) and `postindex serve` (API).
# Build stage: install with dev dependencies, compile TypeScript and bundle the CLI, then drop dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
# No optional dependencies: the embedded Meilisearch binary is not used in containers (MEILI_URL is).
RUN npm ci --omit=optional --ignore-scripts --no-audit --no-fund
COPY src src
COPY indexer indexer
COPY cli cli
COPY api api
COPY bin bin
COPY scripts scripts
RUN npm run build && npm prune --omit=dev --omit=optional

# Runtime stage: only what runs, as the unprivileged `node` user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    POSTINDEX_DATA_DIR=/data \
    PORT=7800
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules node_modules
COPY --from=build --chown=node:node /app/dist dist
COPY --from=build --chown=node:node /app/bin bin
COPY --from=build --chown=node:node /app/api/public api/public
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 7800
ENTRYPOINT ["node", "bin/postindex.js"]
CMD ["serve"]
