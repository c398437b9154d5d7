// The mock vLLM can answer as the other local model servers readers run, so that CI checks
// `runbook-netcheck services` against each: the same OpenAI-compatible API (vLLM, swift deploy,
// SGLang, LMDeploy, llama.cpp, LM Studio, Xinference and Ollama all serve /v1), with the `owned_by`
// each server's /v1/models carries and the routes that tell the others apart: Ollama's /api/tags
// and `GET /` text, TGI's /info, llama.cpp's /health JSON, LM Studio's /api/v0/models.
import type * as http from 'node:http';

export const PERSONAS = ['vllm', 'swift', 'sglang', 'lmdeploy', 'ollama', 'llamacpp', 'tgi', 'lmstudio', 'xinference'] as const;
export type Persona = (typeof PERSONAS)[number];

/** `owned_by` in GET /v1/models (TGI: its model id, as its router sets it). */
export function ownedBy(persona: Persona, model: string): string {
  const owners: Record<Persona, string> = {
    vllm: 'vllm', swift: 'swift', sglang: 'sglang', lmdeploy: 'lmdeploy', ollama: 'library',
    llamacpp: 'llamacpp', tgi: model, lmstudio: 'organization_owner', xinference: 'xinference',
  };
  return owners[persona];
}

type Send = (res: http.ServerResponse, status: number, body: unknown) => void;

/** The persona's own GET routes, answered before the common ones; null when it has none for `path`. */
export function personaRoute(persona: Persona, path: string, model: string, send: Send): ((res: http.ServerResponse) => void) | null {
  const routes: Partial<Record<Persona, Record<string, (res: http.ServerResponse) => void>>> = {
    ollama: {
      '/': (res) => void res.writeHead(200, {'content-type': 'text/plain; charset=utf-8'}).end('Ollama is running'),
      '/api/tags': (res) => send(res, 200, {models: [{name: `${model}:latest`, model: `${model}:latest`, size: 4_000_000_000, details: {format: 'gguf'}}]}),
      '/api/version': (res) => send(res, 200, {version: '0.0.0-mock'}),
    },
    tgi: {'/info': (res) => send(res, 200, {model_id: model, model_dtype: 'torch.float16', max_input_tokens: 4095, version: '0.0.0-mock', router: 'text-generation-router'})},
    llamacpp: {'/health': (res) => send(res, 200, {status: 'ok'})},
    lmstudio: {'/api/v0/models': (res) => send(res, 200, {object: 'list', data: [{id: model, object: 'model', type: 'llm', state: 'loaded'}]})},
  };
  return routes[persona]?.[path] ?? null;
}
