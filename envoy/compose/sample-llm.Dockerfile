# The sample LLM of host-test/src/cli/ on 127.0.0.1:8000, for envoy/docker-compose.yaml.
# Build context: the repository root (only the two files below are sent: see the .dockerignore
# next to this file).
FROM node:20-slim
WORKDIR /app
# ESM (the sources use top-level await) and tsx, the same version as the repository's.
RUN echo '{"private":true,"type":"module"}' > package.json \
 && npm install --no-save --no-audit --no-fund tsx@4.23.15
COPY host-test/src/cli/sample-llm.ts host-test/src/cli/serve-sample.ts host-test/src/cli/
USER node
CMD ["node", "--import", "tsx", "host-test/src/cli/serve-sample.ts", "--port", "8000"]
