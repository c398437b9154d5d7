// The loopback ports local model servers listen on by default, and how each names itself in its
// answers. `runbook-netcheck services` probes the ports; the name comes from the answer's shape,
// not from the port (SGLang started with --port 8000 is still SGLang). The mock stack's personas
// (src/stack/personas.mts) answer with these shapes.

export type ServerName = 'vLLM' | 'ms-swift (swift deploy)' | 'SGLang' | 'LMDeploy' | 'Ollama' | 'llama.cpp server' | 'TGI' | 'LM Studio' | 'Xinference';

/** Default ports, each with the servers that use it by default. TGI: text-generation-launcher's
 *  default is 3000; its container listens on 80 and the docs publish it as 8080. */
export const SERVICE_PORTS: readonly {port: number; servers: string}[] = [
  {port: 8000, servers: 'vLLM, swift deploy'},
  {port: 30000, servers: 'SGLang'},
  {port: 23333, servers: 'LMDeploy'},
  {port: 11434, servers: 'Ollama'},
  {port: 8080, servers: 'llama.cpp server, TGI (docker -p 8080:80)'},
  {port: 3000, servers: 'TGI (text-generation-launcher)'},
  {port: 80, servers: 'TGI (inside its container)'},
  {port: 1234, servers: 'LM Studio'},
  {port: 9997, servers: 'Xinference'},
];

/** `owned_by` of the entries of GET /v1/models, as each server's source sets it. Ollama's
 *  OpenAI-compatible list says `library`; TGI is told by GET /info. */
export const OWNED_BY: Readonly<Record<string, ServerName>> = {
  'vllm': 'vLLM',
  'swift': 'ms-swift (swift deploy)',
  'sglang': 'SGLang',
  'lmdeploy': 'LMDeploy',
  'library': 'Ollama',
  'llamacpp': 'llama.cpp server',
  'organization_owner': 'LM Studio',
  'xinference': 'Xinference',
};
