// The health check of an OpenAI-compatible service, as the guide's three curl commands do it and
// through the same proxy settings: the model list, one chat answer, one streamed answer. Each
// result says ok or failed, how long it took, why, and what the guide advises for that error.
import type {Env} from '../io/index.mts';
import {classify, curlRequest, type Finding, type HttpResult} from './http-check.mts';

export const SERVICE_CHECKS = ['models', 'chat', 'stream'] as const;
export type ServiceCheck = (typeof SERVICE_CHECKS)[number];

/** `auto`: the first model /v1/models lists. */
export const AUTO_MODEL = 'auto';

export interface ServiceOptions {
  base: string;
  model: string;
  timeoutS: number;
  env: Env;
}

export interface CheckResult extends Finding {
  check: ServiceCheck;
  ms: number;
}

function endpoint(base: string, route: string): string {
  return `${base.replace(/\/+$/, '')}${route}`;
}

function servedModels(result: HttpResult): string[] | null {
  try {
    const data = (JSON.parse(result.body) as {data?: {id?: unknown}[]}).data;
    return Array.isArray(data) ? data.map((m) => m.id).filter((id): id is string => typeof id === 'string') : null;
  } catch {
    return null;
  }
}

async function listModels(options: ServiceOptions): Promise<{result: HttpResult; finding: Finding; models: string[]}> {
  const result = await curlRequest({url: endpoint(options.base, '/v1/models'), env: options.env, timeoutS: options.timeoutS, route: {via: 'env'}});
  const finding = classify(result, options.timeoutS);
  const models = finding.ok ? servedModels(result) : null;
  if (finding.ok && !models) return {result, models: [], finding: {ok: false, problem: 'http-error', summary: `HTTP ${result.status} but not a model list`, advice: 'is this an OpenAI-compatible service? the URL is the base, without /v1', see: 'health-check'}};
  return {result, finding, models: models ?? []};
}

function chatBody(model: string, stream: boolean): object {
  return {model, messages: [{role: 'user', content: 'ping'}], max_tokens: 8, ...(stream ? {stream: true} : {})};
}

function chatAnswer(result: HttpResult): string | null {
  try {
    const reply = JSON.parse(result.body) as {object?: string; choices?: {message?: {content?: unknown}}[]};
    const content = reply.choices?.[0]?.message?.content;
    return reply.object === 'chat.completion' && typeof content === 'string' ? content : null;
  } catch {
    return null;
  }
}

/** The text of the `data:` events before `data: [DONE]`, or null when the stream did not end with it. */
function streamedText(result: HttpResult): {events: number; text: string} | null {
  const events = result.body.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6).trim());
  if (events.at(-1) !== '[DONE]') return null;
  let text = '';
  for (const event of events.slice(0, -1)) {
    try {
      const delta = (JSON.parse(event) as {choices?: {delta?: {content?: unknown}}[]}).choices?.[0]?.delta?.content;
      if (typeof delta === 'string') text += delta;
    } catch {
      return null;
    }
  }
  return {events: events.length - 1, text};
}

async function resolveModel(options: ServiceOptions): Promise<{model: string} | {failure: Finding}> {
  if (options.model !== AUTO_MODEL) return {model: options.model};
  const listed = await listModels(options);
  if (!listed.finding.ok) return {failure: {...listed.finding, summary: `cannot read the served model from /v1/models: ${listed.finding.summary}`}};
  if (listed.models.length === 0) return {failure: {ok: false, problem: 'http-error', summary: '/v1/models lists no model', advice: 'the service has loaded no model yet: read its log', see: 'health-check'}};
  return {model: listed.models[0]};
}

async function checkModels(options: ServiceOptions): Promise<Finding> {
  const {finding, models} = await listModels(options);
  if (!finding.ok) return finding;
  if (options.model !== AUTO_MODEL && !models.includes(options.model)) {
    return {ok: false, problem: 'http-error', summary: `${options.model} is not served (served: ${models.join(', ') || 'none'})`, advice: 'use the exact served name (--served_model_name), as /v1/models lists it', see: 'health-check'};
  }
  return {ok: true, summary: `GET /v1/models lists ${models.join(', ')}`};
}

async function checkChat(options: ServiceOptions, stream: boolean): Promise<Finding> {
  const resolved = await resolveModel(options);
  if ('failure' in resolved) return resolved.failure;
  const url = endpoint(options.base, '/v1/chat/completions');
  const result = await curlRequest({url, env: options.env, timeoutS: options.timeoutS, route: {via: 'env'}, json: chatBody(resolved.model, stream)});
  const finding = classify(result, options.timeoutS);
  if (!finding.ok) return {...finding, summary: `model ${resolved.model}: ${finding.summary}`};
  const what = `POST /v1/chat/completions${stream ? ' (stream)' : ''} with model ${resolved.model}`;
  if (stream) {
    const streamed = streamedText(result);
    if (!streamed) return {ok: false, problem: 'http-error', summary: `${what}: the stream did not end with data: [DONE]`, advice: 'a proxy or the service cut the stream: run it with curl -N and read the events', see: 'health-check'};
    return {ok: true, summary: `${what}: ${streamed.events} events, then data: [DONE] (${JSON.stringify(streamed.text.slice(0, 60))})`};
  }
  const answer = chatAnswer(result);
  if (answer === null) return {ok: false, problem: 'http-error', summary: `${what}: HTTP ${result.status} but not a chat.completion`, advice: 'is this an OpenAI-compatible service? read the body with curl', see: 'health-check'};
  return {ok: true, summary: `${what}: ${JSON.stringify(answer.slice(0, 60))}`};
}

export async function checkService(check: ServiceCheck, options: ServiceOptions): Promise<CheckResult> {
  const started = performance.now();
  const finding = check === 'models' ? await checkModels(options) : await checkChat(options, check === 'stream');
  return {...finding, check, ms: Math.round(performance.now() - started)};
}
