# The mock vLLM (and the blackhole proxy) from this repository's src/stack, bundled by esbuild into
# one file for a slim Node 20 image. Build context: the repository root (see compose.yaml).
FROM node:20-slim AS build
WORKDIR /build
RUN npm install --no-save --no-audit --no-fund esbuild@0.28.2
COPY src/stack/ src/stack/
RUN npx esbuild src/stack/serve.mts --bundle --platform=node --format=esm --target=node20 --outfile=/out/serve.mjs

FROM node:20-slim
COPY --from=build /out/serve.mjs /app/serve.mjs
USER node
ENTRYPOINT ["node", "/app/serve.mjs"]
CMD ["mock-vllm", "--host", "0.0.0.0", "--port", "8000"]
