// The fixed ports a person meets: the guides' http://127.0.0.1:8000 (vLLM's default) and the ports
// compose.yaml publishes. The process stack used by tests takes ephemeral ports instead.
export const WELL_KNOWN_PORTS = {
  mockVllm: 8000,
  squid: 3128, // Squid's default http_port
  blackhole: 3129,
} as const;
