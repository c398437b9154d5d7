"""The version of each client library every PYTHONPATH gives, from its package metadata: no
library is imported, so one short process answers for every folder (an import costs ~0.3 s each).

stdin: {"paths": {key: [folder, ...]}, "distributions": {module: distribution}};
stdout: {key: {module: version or null}}. A folder comes before the interpreter's own path, as
PYTHONPATH does, so the first distribution found is the one an import would load.
"""
import json
import sys
from importlib.metadata import distributions

job = json.load(sys.stdin)
found = {}
for key, folders in job["paths"].items():
    search = [*folders, *sys.path]
    found[key] = {}
    for module, name in job["distributions"].items():
        first = next(iter(distributions(name=name, path=search)), None)
        found[key][module] = first.version if first else None
print(json.dumps(found))
