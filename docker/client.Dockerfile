# A client machine with the tools the guides use: curl and Python requests (Debian packages).
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates python3 python3-requests && rm -rf /var/lib/apt/lists/*
CMD ["bash"]
