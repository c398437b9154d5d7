// A Hugging Face Hub stand-in (what HF_ENDPOINT points at): the routes huggingface_hub's
// snapshot_download / hf_hub_download call, read from the client's source (hf_api.py model_info and
// list_repo_tree, file_download.py get_hf_file_metadata), plus plain file URLs for curl.
//   GET       /api/models/{repo}                    repo info: sha + siblings (blobs=true adds sizes, LFS)
//   GET       /api/models/{repo}/revision/{rev}     the same at a revision
//   GET       /api/models/{repo}/tree/{rev}         file listing (newer clients list files here)
//   HEAD/GET  /{repo}/resolve/{rev}/{filename}      the file, with X-Repo-Commit, ETag, Content-Length,
//                                                   and X-Linked-Etag / X-Linked-Size for LFS files
// Errors carry the Hub's X-Error-Code header, which the client turns into its typed exceptions.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {allowOnly, listen, pathSegments, sendFile, sendJson, sendText, type ListenOptions, type RunningServer} from './http.mts';
import {sha256} from '../../io/hash.mts';
import {commitId, gitBlobId, lfsPointer, TINY_MODEL_REPO_ID, tinyModelFiles, type RepoFile} from './tiny-model.mts';

export interface HfEndpointOptions extends ListenOptions {
  /** Repositories to serve, by repo id; defaults to the tiny model under TINY_MODEL_REPO_ID. */
  repos?: Record<string, RepoFile[]>;
}

export interface RunningHfEndpoint extends RunningServer {
  /** The commit each repo's `main` resolves to. */
  commits: Record<string, string>;
}

interface HostedFile extends RepoFile {
  /** Git blob id of what git stores: the file itself, or its LFS pointer. */
  blobId: string;
  /** The ETag the Hub reports for the file's content: blob id, or sha256 for LFS files. */
  etag: string;
  pointerSize?: number;
}

interface HostedRepo {
  id: string;
  commit: string;
  files: Map<string, HostedFile>;
}

const CREATED_AT = '2026-01-01T00:00:00.000Z';

function host(id: string, files: RepoFile[]): HostedRepo {
  const hosted = files.map((file): HostedFile => {
    if (!file.lfs) return {...file, blobId: gitBlobId(file.bytes), etag: gitBlobId(file.bytes)};
    const pointer = lfsPointer(file.bytes);
    return {...file, blobId: gitBlobId(pointer), etag: sha256(file.bytes), pointerSize: pointer.length};
  });
  return {id, commit: commitId(files), files: new Map(hosted.map((f) => [f.path, f]))};
}

function lfsInfo(file: HostedFile): {size: number; sha256: string; pointerSize: number} | undefined {
  return file.lfs ? {size: file.bytes.length, sha256: file.etag, pointerSize: file.pointerSize ?? 0} : undefined;
}

function repoInfo(repo: HostedRepo, withBlobs: boolean): unknown {
  const siblings = [...repo.files.values()].map((f) =>
    withBlobs ? {rfilename: f.path, size: f.bytes.length, blobId: f.blobId, lfs: lfsInfo(f)} : {rfilename: f.path},
  );
  return {
    id: repo.id,
    modelId: repo.id,
    sha: repo.commit,
    private: false,
    gated: false,
    disabled: false,
    downloads: 0,
    likes: 0,
    tags: ['safetensors', 'llama'],
    library_name: 'transformers',
    createdAt: CREATED_AT,
    lastModified: CREATED_AT,
    siblings,
  };
}

function treeEntries(repo: HostedRepo): unknown[] {
  return [...repo.files.values()].map((f) => {
    const lfs = lfsInfo(f);
    return {
      type: 'file',
      oid: f.blobId,
      size: f.bytes.length,
      path: f.path,
      ...(lfs === undefined ? {} : {lfs: {oid: lfs.sha256, size: lfs.size, pointerSize: lfs.pointerSize}}),
    };
  });
}

function hubError(req: IncomingMessage, res: ServerResponse, code: string, message: string, extra: Record<string, string> = {}): void {
  sendJson(req, res, 404, {error: message}, {'X-Error-Code': code, 'X-Error-Message': message, ...extra});
}

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

function contentType(path: string): string {
  const ext = Object.keys(CONTENT_TYPES).find((e) => path.endsWith(e));
  return ext === undefined ? 'application/octet-stream' : CONTENT_TYPES[ext];
}

function serveFile(req: IncomingMessage, res: ServerResponse, repo: HostedRepo, filename: string): void {
  const file = repo.files.get(filename);
  if (file === undefined) {
    hubError(req, res, 'EntryNotFound', `${filename} does not exist in ${repo.id}`, {'X-Repo-Commit': repo.commit});
    return;
  }
  sendFile(req, res, file.bytes, {
    'Content-Type': contentType(file.path),
    ETag: `"${file.etag}"`,
    'X-Repo-Commit': repo.commit,
    ...(file.lfs ? {'X-Linked-Etag': `"${file.etag}"`, 'X-Linked-Size': String(file.bytes.length)} : {}),
  });
}

/** Splits "{repo}{tail}" by the longest hosted repo id that prefixes it. */
function matchRepo(repos: HostedRepo[], path: string): {repo: HostedRepo; tail: string} | null {
  const repo = repos.find((r) => path === r.id || path.startsWith(`${r.id}/`));
  return repo === undefined ? null : {repo, tail: path.slice(repo.id.length)};
}

export async function startHfEndpoint({repos, ...listenOptions}: HfEndpointOptions = {}): Promise<RunningHfEndpoint> {
  const hosted = Object.entries(repos ?? {[TINY_MODEL_REPO_ID]: tinyModelFiles()})
    .map(([id, files]) => host(id, files))
    .sort((a, b) => b.id.length - a.id.length);

  const atRevision = (req: IncomingMessage, res: ServerResponse, repo: HostedRepo, rev: string): boolean => {
    if (rev === 'main' || rev === repo.commit) return true;
    hubError(req, res, 'RevisionNotFound', `Invalid rev id: ${rev}`);
    return false;
  };

  const server = await listen((req, res, url) => {
    if (!allowOnly(req, res, ['GET', 'HEAD'])) return;
    const segments = pathSegments(url);
    if (segments === null) {
      sendText(res, 400, `malformed percent-encoding in ${url.pathname}\n`);
      return;
    }
    const api = segments[0] === 'api' && segments[1] === 'models';
    const match = matchRepo(hosted, (api ? segments.slice(2) : segments).join('/'));
    if (match === null) {
      hubError(req, res, 'RepoNotFound', `Repository not found: ${url.pathname}`);
      return;
    }
    const {repo, tail} = match;
    const [, kind, rev, ...rest] = tail.split('/');
    if (api && tail === '') {
      sendJson(req, res, 200, repoInfo(repo, url.searchParams.get('blobs') === 'true'));
    } else if (api && kind === 'revision' && rev !== undefined && rest.length === 0) {
      if (atRevision(req, res, repo, rev)) sendJson(req, res, 200, repoInfo(repo, url.searchParams.get('blobs') === 'true'));
    } else if (api && kind === 'tree' && rev !== undefined) {
      // The tiny repos are flat: only the root folder exists.
      if (!atRevision(req, res, repo, rev)) return;
      if (rest.length > 0) hubError(req, res, 'EntryNotFound', `${rest.join('/')} is not a folder of ${repo.id}`);
      else sendJson(req, res, 200, treeEntries(repo));
    } else if (!api && kind === 'resolve' && rev !== undefined && rest.length > 0) {
      if (atRevision(req, res, repo, rev)) serveFile(req, res, repo, rest.join('/'));
    } else {
      hubError(req, res, 'EntryNotFound', `No route for ${url.pathname}`);
    }
  }, listenOptions);

  return {...server, commits: Object.fromEntries(hosted.map((r) => [r.id, r.commit]))};
}
