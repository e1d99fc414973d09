# One image for every role: `triage api`, `triage worker --stages ...`, `triage start`.
FROM node:20-bookworm-slim
ENV CI=true NODE_ENV=production
WORKDIR /app
RUN npm install -g pnpm@10.34.8
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.json ./
COPY apps ./apps
COPY packages ./packages
COPY drizzle ./drizzle
COPY policy ./policy
COPY models ./models
RUN pnpm install --frozen-lockfile
USER node
ENTRYPOINT ["pnpm", "--silent", "triage"]
CMD ["start"]
