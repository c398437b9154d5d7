# Downloads with the real huggingface_hub client (HF_ENDPOINT comes from the environment) and prints
# what landed on disk as JSON: {"snapshot": path, "files": {name: sha256}} or {"error": ExceptionClass}.
#   hf-download.py snapshot REPO_ID CACHE_DIR
#   hf-download.py file REPO_ID FILENAME CACHE_DIR
import hashlib
import json
import os
import sys

from huggingface_hub import hf_hub_download, snapshot_download


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    mode, repo_id = sys.argv[1], sys.argv[2]
    try:
        if mode == "snapshot":
            folder = snapshot_download(repo_id=repo_id, cache_dir=sys.argv[3])
            names = sorted(os.listdir(folder))
            print(json.dumps({"snapshot": folder, "files": {n: digest(os.path.join(folder, n)) for n in names}}))
        else:
            path = hf_hub_download(repo_id=repo_id, filename=sys.argv[3], cache_dir=sys.argv[4])
            print(json.dumps({"snapshot": os.path.dirname(path), "files": {sys.argv[3]: digest(path)}}))
    except Exception as error:  # the test asserts on the client's own exception class
        print(json.dumps({"error": type(error).__name__}))


main()
