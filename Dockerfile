# PinPoint: multi-stage image (docs/deploy.md). Not built on the test machine (no Docker there).

# --- build: all dependencies (patch-package applies patches/ on install), the production build, then only the
# production dependencies are kept (pruned in place, so the patched files stay patched).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# --- runtime: the app as the unprivileged `node` user.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=root:root /app /app
# The only place the app writes: the embedded database, the generated cookie secret, local uploads.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Not `npm start`, which would build again: the build was made above.
CMD ["node", "--import", "tsx", "server/index.ts"]
