# One image for every role: `triage api`, `triage worker --stages ...`, `triage start`.
FROM node:20-bookworm-slim
ENV CI=true
WORKDIR /app
# The native OCR engine (OCR_ENGINE=auto picks it when installed): faster per core than tesseract.js on dense pages.
RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng && rm -rf /var/lib/apt/lists/*
RUN npm install -g pnpm@10.34.8
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.json ./
COPY apps ./apps
COPY packages ./packages
COPY drizzle ./drizzle
COPY policy ./policy
COPY models ./models
# Dev dependencies included: the app runs TypeScript through tsx (also in the parser threads).
RUN pnpm install --frozen-lockfile --prod=false
# The API serves the review UI at /review from apps/review-ui/dist.
RUN pnpm build:ui
ENV NODE_ENV=production
USER node
# node itself as PID 1, not pnpm: pnpm exits on SIGTERM before the app has drained, and costs ~150 MB per process.
ENTRYPOINT ["node", "--import", "tsx", "apps/cli/src/main.ts"]
CMD ["start"]
