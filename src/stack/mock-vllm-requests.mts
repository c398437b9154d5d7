// Validation of the JSON bodies the mock vLLM accepts. Each check returns either the parsed request
// or the OpenAI-style error (status + message) the real vLLM would answer with.

export interface GenerationRequest {
  kind: 'chat' | 'text';
  model: string;
  promptText: string;
  stream: boolean;
  includeUsage: boolean;
}

export type Checked = {ok: true; request: GenerationRequest} | {ok: false; status: number; message: string; param: string | null};

function fail(status: number, message: string, param: string | null = null): Checked {
  return {ok: false, status, message, param};
}

export function parseJsonBody(raw: string): {ok: true; value: unknown} | {ok: false; message: string} {
  try {
    return {ok: true, value: JSON.parse(raw)};
  } catch (error) {
    return {ok: false, message: `Malformed JSON body: ${(error as Error).message}`};
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function messageText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts = content.map((part) => (isRecord(part) && part.type === 'text' && typeof part.text === 'string' ? part.text : undefined));
  return texts.every((text) => text !== undefined) ? texts.join(' ') : undefined;
}

function commonFields(body: Record<string, unknown>, servedModel: string): {model: string; stream: boolean; includeUsage: boolean} | Checked {
  const model = body.model ?? servedModel;
  if (typeof model !== 'string') return fail(400, '`model` must be a string.', 'model');
  if (model !== servedModel) return fail(404, `The model \`${model}\` does not exist.`, 'model');
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return fail(400, '`stream` must be a boolean.', 'stream');
  const options = body.stream_options;
  const includeUsage = isRecord(options) && options.include_usage === true;
  return {model, stream: body.stream === true, includeUsage};
}

export function checkChatRequest(body: unknown, servedModel: string): Checked {
  if (!isRecord(body)) return fail(400, 'The request body must be a JSON object.');
  const messages = body.messages;
  if (messages === undefined) return fail(400, '`messages` is a required property.', 'messages');
  if (!Array.isArray(messages) || messages.length === 0) return fail(400, '`messages` must be a non-empty array.', 'messages');
  const texts: string[] = [];
  for (const message of messages) {
    const text = isRecord(message) && typeof message.role === 'string' ? messageText(message.content) : undefined;
    if (text === undefined) return fail(400, 'Each message needs a string `role` and a text `content`.', 'messages');
    texts.push(text);
  }
  const common = commonFields(body, servedModel);
  if ('ok' in common) return common;
  return {ok: true, request: {kind: 'chat', promptText: texts.join('\n'), ...common}};
}

export function checkCompletionRequest(body: unknown, servedModel: string): Checked {
  if (!isRecord(body)) return fail(400, 'The request body must be a JSON object.');
  const prompt = body.prompt;
  if (prompt === undefined) return fail(400, '`prompt` is a required property.', 'prompt');
  const promptText = typeof prompt === 'string' ? prompt : Array.isArray(prompt) && prompt.every((p) => typeof p === 'string') ? prompt.join('\n') : undefined;
  if (promptText === undefined) return fail(400, '`prompt` must be a string or an array of strings.', 'prompt');
  const common = commonFields(body, servedModel);
  if ('ok' in common) return common;
  return {ok: true, request: {kind: 'text', promptText, ...common}};
}
