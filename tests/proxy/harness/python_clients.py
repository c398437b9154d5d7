"""Runs one request per case with the real Python clients, each case under its own environment.

stdin: {"runs": [{"client": ..., "tag": ..., "cases": [{"id": ..., "url": ..., "env": {...}}]}]}:
every run of one PYTHONPATH in one process (the interpreter and the libraries start once).
stdout: one JSON object per line: {"tag", "client", "id", "body"} or {..., "stage", "error"}, and
last {"versions": {module: __version__}} of the client libraries this process imported.
urllib, requests and aiohttp read os.environ on every request and httpx when a client is created,
so setting os.environ per case is what a fresh process would see.
"""
import asyncio
import json
import os
import sys
import traceback

PROXY_NAMES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
TIMEOUT = 5
SSL_CONTEXT = None
LIBRARIES = ("requests", "httpx", "httpx2", "aiohttp", "openai", "socks")
# One event loop for every aiohttp request: asyncio.run would make a loop and a resolver thread
# pool per case, and aiohttp reads the environment per request, not per loop.
LOOP = asyncio.new_event_loop()


def set_environment(case_env):
    for name in list(os.environ):
        if name.lower() in PROXY_NAMES or name == "REQUEST_METHOD":
            del os.environ[name]
    os.environ.update(case_env)


def run_urllib(url):
    import urllib.request
    opener = urllib.request.build_opener()
    with opener.open(url, timeout=TIMEOUT) as response:
        return response.read().decode()


def run_requests(url):
    import requests
    return requests.get(url, timeout=TIMEOUT).text


def create_httpx(module_name="httpx"):
    import importlib
    module = importlib.import_module(module_name)
    # One SSL context for every client: loading the CA bundle per client costs ~0.2 s, and the
    # proxy mounts do not depend on it.
    global SSL_CONTEXT
    if SSL_CONTEXT is None:
        import ssl
        SSL_CONTEXT = ssl.create_default_context()
    return module.Client(timeout=TIMEOUT, verify=SSL_CONTEXT)


def create_openai(url):
    # The SDK as EvalScope uses it: its own httpx (openai 1.x/2.x) or httpx2 (3.x) client, made
    # when the OpenAI object is; GET base_url/models, whose path still names the case.
    import openai
    return openai.OpenAI(base_url=url, api_key="EMPTY", max_retries=0, timeout=TIMEOUT)


def run_aiohttp(url, trust_env):
    import aiohttp

    async def fetch():
        async with aiohttp.ClientSession(trust_env=trust_env, timeout=aiohttp.ClientTimeout(total=TIMEOUT)) as session:
            async with session.get(url) as response:
                return await response.text()

    return LOOP.run_until_complete(fetch())


def observe(client, url):
    """(stage, result): stage 'create' when building the client failed, 'request' otherwise."""
    if client in ("httpx", "httpx2"):
        try:
            http_client = create_httpx(client)
        except Exception:
            return "create", traceback.format_exc(limit=1)
        with http_client:
            return "request", http_client.get(url).text
    if client == "openai":
        try:
            sdk = create_openai(url)
        except Exception:
            return "create", traceback.format_exc(limit=1)
        return "request", repr(sdk.models.list())
    if client == "urllib":
        return "request", run_urllib(url)
    if client == "requests":
        return "request", run_requests(url)
    if client == "aiohttp":
        return "request", run_aiohttp(url, False)
    if client == "aiohttp-trust-env":
        return "request", run_aiohttp(url, True)
    raise ValueError(f"unknown client {client}")


def main():
    job = json.load(sys.stdin)
    for run in job["runs"]:
        client = run["client"]
        for case in run["cases"]:
            set_environment(case["env"])
            url = case["url"].replace("CLIENT", run["tag"])
            record = {"tag": run["tag"], "client": client, "id": case["id"]}
            try:
                stage, result = observe(client, url)
                record.update({"stage": "create", "error": result} if stage == "create" else {"body": result})
            except Exception as error:
                # The SDK wraps the transport's error ("Connection error."): keep its cause.
                cause = f"; cause: {error.__cause__!r}" if error.__cause__ else ""
                record.update({"stage": "request", "error": f"{type(error).__name__}: {error!r}{cause}"})
            print(json.dumps(record), flush=True)
    imported = {name: sys.modules[name].__version__ for name in LIBRARIES if hasattr(sys.modules.get(name), "__version__")}
    print(json.dumps({"versions": imported}), flush=True)


if __name__ == "__main__":
    main()
