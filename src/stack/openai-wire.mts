// The OpenAI/vLLM wire format the mock vLLM speaks: response bodies, stream chunks and error bodies.
// Replies are deterministic (an echo of the prompt) so tests can assert on them.

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export type ErrorType = 'BadRequestError' | 'NotFoundError' | 'MethodNotAllowedError' | 'PayloadTooLargeError' | 'InternalServerError' | 'ServiceUnavailableError';

export interface ErrorBody {
  error: {message: string; type: ErrorType | string; param: string | null; code: number};
}

export function errorBody(status: number, message: string, param: string | null = null): ErrorBody {
  return {error: {message, type: errorTypeFor(status), param, code: status}};
}

function errorTypeFor(status: number): string {
  const types: Record<number, ErrorType> = {
    400: 'BadRequestError',
    404: 'NotFoundError',
    405: 'MethodNotAllowedError',
    413: 'PayloadTooLargeError',
    500: 'InternalServerError',
    503: 'ServiceUnavailableError',
  };
  return types[status] ?? 'APIError';
}

/** Whitespace-separated words stand in for tokens: cheap, deterministic, good enough for `usage`. */
export function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

export function usageFor(promptText: string, completionText: string): Usage {
  const prompt_tokens = countTokens(promptText);
  const completion_tokens = countTokens(completionText);
  return {prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens};
}

export function replyText(model: string, prompt: string): string {
  const words = prompt.split(/\s+/).filter(Boolean).slice(0, 32).join(' ');
  return `Mock reply from ${model}: ${words}`;
}

/** Splits the reply into stream pieces: one per word, keeping the separating spaces. */
export function streamPieces(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [];
}

export function modelList(model: string, created: number, maxModelLen: number, ownedBy = 'vllm') {
  return {
    object: 'list',
    data: [{id: model, object: 'model', created, owned_by: ownedBy, root: model, parent: null, max_model_len: maxModelLen}],
  };
}

export function chatCompletion(id: string, model: string, created: number, content: string, usage: Usage) {
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [{index: 0, message: {role: 'assistant', content}, logprobs: null, finish_reason: 'stop'}],
    usage,
  };
}

export function textCompletion(id: string, model: string, created: number, text: string, usage: Usage) {
  return {
    id,
    object: 'text_completion',
    created,
    model,
    choices: [{index: 0, text, logprobs: null, finish_reason: 'stop'}],
    usage,
  };
}

export type StreamKind = 'chat' | 'text';

/** One SSE chunk; `piece` undefined with a finish reason is the closing chunk. */
export function streamChunk(
  kind: StreamKind,
  id: string,
  model: string,
  created: number,
  piece: {content?: string; role?: boolean; finish?: boolean},
  usage?: Usage,
) {
  const finish_reason = piece.finish ? 'stop' : null;
  const choice =
    kind === 'chat'
      ? {index: 0, delta: deltaFor(piece), logprobs: null, finish_reason}
      : {index: 0, text: piece.content ?? '', logprobs: null, finish_reason};
  const object = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  return {id, object, created, model, choices: [choice], ...(usage ? {usage} : {})};
}

function deltaFor(piece: {content?: string; role?: boolean}) {
  if (piece.role) return {role: 'assistant', content: ''};
  return piece.content === undefined ? {} : {content: piece.content};
}

/** The usage-only chunk OpenAI and vLLM send when `stream_options.include_usage` is true. */
export function usageChunk(kind: StreamKind, id: string, model: string, created: number, usage: Usage) {
  const object = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  return {id, object, created, model, choices: [], usage};
}
