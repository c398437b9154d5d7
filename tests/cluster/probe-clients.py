# Run on a node inside a fresh interactive shell: requests each URL with curl, wget and the Python
# clients, with the environment that shell exported, and prints one line `PROBE <json>`:
# {url: {client: {status, body}}}. The caller tells direct answers from the proxy's error page.
import asyncio, json, subprocess, sys, urllib.request

def run(argv):
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    return {'status': done.returncode, 'body': (done.stdout + done.stderr)[:300]}

def urllib_get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return {'status': r.status, 'body': r.read(300).decode('utf-8', 'replace')}
    except urllib.error.HTTPError as e:
        return {'status': e.code, 'body': e.read(300).decode('utf-8', 'replace')}
    except Exception as e:
        return {'status': -1, 'body': repr(e)[:300]}

def requests_get(url):
    import requests
    try:
        r = requests.get(url, timeout=10)
        return {'status': r.status_code, 'body': r.text[:300]}
    except Exception as e:
        return {'status': -1, 'body': repr(e)[:300]}

def httpx_get(url):
    import httpx
    try:
        r = httpx.get(url, timeout=10)
        return {'status': r.status_code, 'body': r.text[:300]}
    except Exception as e:
        return {'status': -1, 'body': repr(e)[:300]}

def aiohttp_get(url):
    import aiohttp
    async def main():
        async with aiohttp.ClientSession(trust_env=True) as s:
            async with s.get(url, timeout=aiohttp.ClientTimeout(total=10)) as r:
                return {'status': r.status, 'body': (await r.text())[:300]}
    try:
        return asyncio.run(main())
    except Exception as e:
        return {'status': -1, 'body': repr(e)[:300]}

result = {}
for url in sys.argv[1:]:
    result[url] = {
        'curl': run(['curl', '-sS', '--max-time', '10', url]),
        'wget': run(['wget', '-q', '-O', '-', '--content-on-error', '--timeout=10', '--tries=1', url]),
        'urllib': urllib_get(url),
        'requests': requests_get(url),
        'httpx': httpx_get(url),
        'aiohttp-trust-env': aiohttp_get(url),
    }
print('PROBE ' + json.dumps(result))
