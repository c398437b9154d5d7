// Runs one request per case with Node's global fetch and undici's EnvHttpProxyAgent, each case
// under its own process.env (EnvHttpProxyAgent reads it when constructed, fetch never does).
// stdin: {"undici": "/path/to/undici", "proxyVariables": [...], "clients": [...], "cases": [...]};
// stdout: JSON lines. proxyVariables: src/proxy's list, removed before each case sets its own.
import {createRequire} from 'node:module';

const job = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (chunk) => (text += chunk)).on('end', () => resolve(text));
}));
const undici = job.undici ? createRequire(import.meta.url)(job.undici) : undefined;

function setEnvironment(env) {
  for (const name of Object.keys(process.env)) {
    if (job.proxyVariables.includes(name) || name === 'REQUEST_METHOD') delete process.env[name];
  }
  Object.assign(process.env, env);
}

async function observe(client, url) {
  const signal = AbortSignal.timeout(5000);
  if (client === 'node-fetch') return {body: await (await fetch(url, {signal})).text()};
  let agent;
  try {
    agent = new undici.EnvHttpProxyAgent();
  } catch (error) {
    return {stage: 'create', error: String(error)};
  }
  try {
    const response = await undici.request(url, {dispatcher: agent, signal});
    return {body: await response.body.text()};
  } finally {
    await agent.close();
  }
}

for (const testCase of job.cases) {
  setEnvironment(testCase.env);
  for (const client of job.clients) {
    const record = {client, id: testCase.id};
    try {
      Object.assign(record, await observe(client, testCase.url.replace('CLIENT', client)));
    } catch (error) {
      Object.assign(record, {stage: 'request', error: `${error}; cause: ${error.cause?.code ?? error.cause ?? ''}`});
    }
    process.stdout.write(JSON.stringify(record) + '\n');
  }
}
