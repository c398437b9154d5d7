import {execFileSync, spawnSync} from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {detectStartupFile} from '../../src/startup-file/detect.mts';
import {applyBlock, removeBlock} from '../../src/startup-file/edit.mts';
import {bundledEntry} from '../kit/bundled.mts';

const ID = 'fix-noproxy';
const BODY = 'export NO_PROXY="localhost,127.0.0.1,::1,0.0.0.0"\nexport no_proxy="localhost,127.0.0.1,::1,0.0.0.0"';
const BEGIN = `# >>> llm-network-runbooks:${ID} >>>`;
const END = `# <<< llm-network-runbooks:${ID} <<<`;

let root: string;
let counter = 0;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'startup-file-'));
});
afterAll(() => {
  fs.rmSync(root, {recursive: true, force: true});
});

/** A fresh directory per case, so backups of one case never meet another's. */
function freshDir(): string {
  const dir = path.join(root, `case-${counter++}`);
  fs.mkdirSync(dir);
  return dir;
}

function fileWith(content: string): string {
  const file = path.join(freshDir(), '.bashrc');
  fs.writeFileSync(file, content);
  return file;
}

const read = (file: string) => fs.readFileSync(file, 'utf8');
const isRoot = process.getuid?.() === 0;
const canMountReadOnly = isRoot && spawnSync('unshare', ['-m', 'true']).status === 0;
const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
// applyBlock in a child process, bundled (tests/kit/bundled.mts): no transpiling per start.
const APPLY_BLOCK = await bundledEntry('tests/startup-file/children/apply-block.mts');
// As root the permission case runs as nobody, who must be able to read the bundle and run node.
const canDropPrivileges = !isRoot || spawnSync(AS_NOBODY[0]!, [...AS_NOBODY.slice(1), 'test', '-r', APPLY_BLOCK, '-a', '-x', process.execPath]).status === 0;

/** applyBlock in a child process started through `prefix` (another user, another mount namespace);
 *  returns what it printed: 'written' or the error message. */
function applyInChild(prefix: string[], file: string): string {
  fs.chmodSync(root, 0o755);
  const [command, ...args] = [...prefix, process.execPath, APPLY_BLOCK, file, ID, 'export A="2"'];
  return execFileSync(command!, args, {encoding: 'utf8', env: {...process.env, HOME: path.dirname(file)}}).trim();
}
const namesIn = (dir: string) => fs.readdirSync(dir).sort();

// Startup-file contents: lines of arbitrary Unicode, shell lines, an existing NO_PROXY line, LF or
// CRLF endings, with or without a trailing newline, sometimes another runbook's marked block.
// A lone \r stays in: a file ending in one lacks a trailing newline all the same.
const unicodeLine = fc.string({unit: 'grapheme', maxLength: 30}).map((s) => s.replace(/\n/g, ''));
const shellLine = fc.constantFrom(
  'export NO_PROXY=localhost,10.0.0.0/8',
  "export http_proxy='http://proxy.corp:3128'",
  'alias ll="ls -l"  # 注释',
  'PS1="\\u@\\h\r"',
  '',
  '# >>> llm-network-runbooks:other >>>',
  '# <<< llm-network-runbooks:other <<<',
);
const contents = fc
  .record({
    lines: fc.array(fc.oneof(unicodeLine, shellLine), {maxLength: 8}),
    // LF, CRLF, \r alone, or mixed: each line's ending drawn on its own.
    eol: fc.constantFrom<string | null>('\n', '\r\n', '\r', null),
    mixed: fc.array(fc.constantFrom('\n', '\r\n', '\r'), {minLength: 8, maxLength: 8}),
    trailing: fc.boolean(),
  })
  .map(({lines, eol, mixed, trailing}) => lines.map((line, i) => line + (i < lines.length - 1 || trailing ? (eol ?? mixed[i]!) : '')).join(''));
const oldBlock = (eol: string) => [BEGIN, 'export NO_PROXY="old,value"', '# hand edit', END].join(eol) + eol;

describe('applyBlock / removeBlock properties', () => {
  it('applying twice equals applying once, and the second apply makes no backup', () => {
    fc.assert(
      fc.property(contents, (content) => {
        const file = fileWith(content);
        const first = applyBlock(file, ID, BODY, 'bash');
        const once = read(file);
        const second = applyBlock(file, ID, BODY, 'bash');
        expect(first.changed).toBe(true);
        expect(second).toEqual({changed: false});
        expect(read(file)).toBe(once);
        expect(namesIn(path.dirname(file)).filter((n) => n.includes('.bak-'))).toHaveLength(1);
      }),
      {numRuns: 60},
    );
  });

  it('apply then remove restores the original byte for byte', () => {
    fc.assert(
      fc.property(contents, (content) => {
        const file = fileWith(content);
        applyBlock(file, ID, BODY, 'bash');
        const removed = removeBlock(file, ID);
        expect(removed.changed).toBe(true);
        expect(fs.readFileSync(file)).toEqual(Buffer.from(content));
        expect(read(removed.backup!)).toContain(BEGIN);
      }),
      {numRuns: 60},
    );
  });

  it('changes no byte outside the block: the old content is a prefix, then at most one line break', () => {
    fc.assert(
      fc.property(contents, (content) => {
        const file = fileWith(content);
        applyBlock(file, ID, BODY, 'bash');
        const after = read(file);
        expect(after.startsWith(content)).toBe(true);
        const added = after.slice(content.length);
        // The file's convention: CRLF when most lines end so, or when its lines end in \r alone.
        const crlf = content.split('\r\n').length - 1;
        const lf = content.split('\n').length - 1 - crlf;
        const cr = content.split('\r').length - 1 - crlf;
        const eol = crlf > lf || (lf === 0 && cr > 0) ? '\r\n' : '\n';
        const needsBreak = content !== '' && !content.endsWith('\n');
        expect(added.startsWith(needsBreak ? eol + BEGIN : BEGIN)).toBe(true);
        expect(added.endsWith(END + eol)).toBe(true);
        expect(added.split(eol).filter((line) => line.includes('llm-network-runbooks:'))).toHaveLength(2);
        expect(added.split(eol).every((line) => !line.includes('\r') && (eol === '\n' || line === '' || line.startsWith('#') || line.endsWith(' #')))).toBe(true);
      }),
      {numRuns: 60},
    );
  });

  it('replaces an old marked block in place, keeping everything around it', () => {
    fc.assert(
      fc.property(contents, contents, fc.constantFrom('\n', '\r\n'), (before, after, eol) => {
        const head = before === '' || before.endsWith('\n') ? before : before + eol;
        const original = head + oldBlock(eol) + after;
        const file = fileWith(original);
        const result = applyBlock(file, ID, BODY, 'bash');
        const text = read(file);
        expect(result.changed).toBe(true);
        expect(read(result.backup!)).toBe(original);
        expect(text.startsWith(head + BEGIN + eol)).toBe(true);
        expect(text.endsWith(END + eol + after)).toBe(true);
        // A CRLF block's command lines end in a comment that takes the \r.
        expect(text).toContain(`export NO_PROXY="localhost,127.0.0.1,::1,0.0.0.0"${eol === '\r\n' ? ' #' : ''}${eol}`);
        expect(text).not.toContain('old,value');
        expect(removeBlock(file, ID).changed).toBe(true);
        expect(read(file)).toBe(head + after);
      }),
      {numRuns: 60},
    );
  });

  it('a second apply with another body replaces the block, and remove still restores the original', () => {
    fc.assert(
      fc.property(contents, (content) => {
        const file = fileWith(content);
        applyBlock(file, ID, BODY, 'bash');
        applyBlock(file, ID, 'export NO_PROXY="gpu01"', 'bash');
        expect(read(file).match(/llm-network-runbooks:fix-noproxy >>>/g)).toHaveLength(1);
        expect(read(file)).toContain('export NO_PROXY="gpu01"');
        removeBlock(file, ID);
        expect(read(file)).toBe(content);
      }),
      {numRuns: 40},
    );
  });
});

describe('applyBlock / removeBlock behaviour', () => {
  it('keeps CRLF line endings in a CRLF file (each command line ending in a comment that takes the \\r) and writes fish syntax for fish', () => {
    const file = fileWith('set -gx EDITOR vim\r\nset -gx LANG zh_CN.UTF-8');
    applyBlock(file, ID, BODY, 'fish');
    expect(read(file)).toBe(
      'set -gx EDITOR vim\r\nset -gx LANG zh_CN.UTF-8\r\n' +
        `${BEGIN} [newline added above]\r\n` +
        'set -gx NO_PROXY "localhost,127.0.0.1,::1,0.0.0.0" #\r\n' +
        'set -gx no_proxy "localhost,127.0.0.1,::1,0.0.0.0" #\r\n' +
        `${END}\r\n`,
    );
  });

  it('the written block is valid for the real bash: a fresh shell sees the variables', () => {
    const file = fileWith('export FOO=1');
    applyBlock(file, ID, BODY, 'bash');
    const out = execFileSync('bash', ['--noprofile', '--norc', '-c', `. "${file}"; printf '%s|%s|%s' "$FOO" "$NO_PROXY" "$no_proxy"`], {encoding: 'utf8'});
    expect(out).toBe('1|localhost,127.0.0.1,::1,0.0.0.0|localhost,127.0.0.1,::1,0.0.0.0');
  });

  it('creates a missing file (and its directory) with the umask mode, without a backup', () => {
    const file = path.join(freshDir(), '.config', 'fish', 'config.fish');
    const result = applyBlock(file, ID, BODY, 'fish');
    expect(result).toEqual({changed: true});
    expect(read(file)).toBe(`${BEGIN}\nset -gx NO_PROXY "localhost,127.0.0.1,::1,0.0.0.0"\nset -gx no_proxy "localhost,127.0.0.1,::1,0.0.0.0"\n${END}\n`);
    const umask = process.umask();
    expect(fs.statSync(file).mode & 0o777).toBe(0o666 & ~umask);
    expect(removeBlock(file, ID).changed).toBe(true);
    expect(read(file)).toBe('');
  });

  it('keeps the file mode, and removing from a missing file or a file without the block changes nothing', () => {
    const file = fileWith('umask 077\n');
    fs.chmodSync(file, 0o600);
    const {backup} = applyBlock(file, ID, BODY, 'bash');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(backup!).mode & 0o777).toBe(0o600);
    expect(path.basename(backup!)).toMatch(/^\.bashrc\.bak-\d{14}(-\d+)?$/);
    removeBlock(file, ID);
    expect(removeBlock(file, ID)).toEqual({changed: false});
    expect(removeBlock(path.join(freshDir(), 'missing'), ID)).toEqual({changed: false});
  });

  it('gives every backup a unique name', () => {
    const file = fileWith('x\n');
    const backups = ['A', 'B', 'C'].map((v) => applyBlock(file, ID, `export V="${v}"`, 'bash').backup);
    expect(new Set(backups).size).toBe(3);
    expect(read(backups[1]!)).toContain('export V="A"');
  });

  it('keeps the first backup and the last five: never the only copy of the original', () => {
    const file = fileWith('the original\n');
    const made = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'].map((v) => applyBlock(file, ID, `export V="${v}"`, 'bash').backup!);
    const left = namesIn(path.dirname(file)).filter((n) => n.includes('.bak-'));
    expect(left).toEqual([made[0], ...made.slice(-5)].map((b) => path.basename(b)).sort());
    expect(read(made[0]!)).toBe('the original\n');
    expect(read(made.at(-1)!)).toContain('export V="G"');
  });

  it('keeps bytes that are not UTF-8 around the block, and remove restores them', () => {
    const original = Buffer.from('# caf\xe9 \xff\r\nexport A=1\r\n', 'latin1');
    const file = path.join(freshDir(), '.bashrc');
    fs.writeFileSync(file, original);
    applyBlock(file, ID, 'export NO_PROXY="h\u00e9te.example"', 'bash');
    const after = fs.readFileSync(file);
    expect(after.subarray(0, original.length)).toEqual(original);
    expect(after.subarray(original.length).toString('utf8')).toBe(`${BEGIN}\r\nexport NO_PROXY="h\u00e9te.example" #\r\n${END}\r\n`);
    removeBlock(file, ID);
    expect(fs.readFileSync(file)).toEqual(original);
  });

  it('follows a symlink: the target is edited, the link stays a link', () => {
    const dir = freshDir();
    const dotfiles = path.join(dir, 'dotfiles');
    fs.mkdirSync(dotfiles);
    fs.writeFileSync(path.join(dotfiles, 'bashrc'), 'export A=1\n');
    const link = path.join(dir, '.bashrc');
    fs.symlinkSync('dotfiles/bashrc', link);
    const {backup} = applyBlock(link, ID, BODY, 'bash');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe('dotfiles/bashrc');
    expect(read(path.join(dotfiles, 'bashrc'))).toContain(BEGIN);
    expect(path.dirname(backup!)).toBe(dotfiles);
    removeBlock(link, ID);
    expect(read(path.join(dotfiles, 'bashrc'))).toBe('export A=1\n');
  });

  it('a dangling symlink: its target is created, the link kept', () => {
    const dir = freshDir();
    const link = path.join(dir, '.zshrc');
    fs.symlinkSync('real-zshrc', link);
    applyBlock(link, ID, BODY, 'zsh');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(read(path.join(dir, 'real-zshrc'))).toContain(END);
  });

  it('refuses a directory, a symlink loop, a read-only file, two blocks and an unterminated block, writing nothing', () => {
    const dir = freshDir();
    const asDir = path.join(dir, '.bashrc');
    fs.mkdirSync(asDir);
    expect(() => applyBlock(asDir, ID, BODY, 'bash')).toThrow(/^cannot edit .*\.bashrc: it is a directory, not a file$/);

    const loop = path.join(dir, 'loop');
    fs.symlinkSync('loop', loop);
    expect(() => applyBlock(loop, ID, BODY, 'bash')).toThrow(/symlink loop/);

    const readOnly = path.join(dir, 'ro-rc');
    fs.writeFileSync(readOnly, 'export A=1\n');
    fs.chmodSync(readOnly, 0o444);
    expect(() => applyBlock(readOnly, ID, BODY, 'bash')).toThrow(/read-only \(mode 444\)/);
    expect(read(readOnly)).toBe('export A=1\n');

    const twice = path.join(dir, 'twice');
    fs.writeFileSync(twice, oldBlock('\n') + oldBlock('\n'));
    expect(() => applyBlock(twice, ID, BODY, 'bash')).toThrow(/has 2 .* blocks/);
    const open = path.join(dir, 'open');
    fs.writeFileSync(open, `${BEGIN}\nexport A=1\n`);
    expect(() => removeBlock(open, ID)).toThrow(/no closing marker/);
    expect(() => applyBlock(path.join(dir, 'x'), 'Bad Id', BODY, 'bash')).toThrow(/invalid block id/);
    expect(() => applyBlock(path.join(dir, 'x'), ID, 'echo hi', 'fish')).toThrow(/cannot write this line for fish/);

    expect(namesIn(dir)).toEqual(['.bashrc', 'loop', 'open', 'ro-rc', 'twice']);
  });

  it.skipIf(!canDropPrivileges)('an unprivileged user: a read-only directory and a file owned by someone else give a clear error', () => {
    // Root may write everywhere, so the permission checks are exercised as the real user nobody.
    const dir = freshDir();
    fs.chmodSync(dir, 0o755);
    const rc = path.join(dir, '.bashrc');
    fs.writeFileSync(rc, 'export A=1\n');
    fs.chmodSync(rc, 0o666);
    const asUser = (file: string) =>
      applyInChild(isRoot ? AS_NOBODY : [], file);
    if (!isRoot) fs.chmodSync(dir, 0o555);
    try {
      expect(asUser(rc)).toBe(`cannot edit ${rc}: permission denied`);
      fs.chmodSync(rc, 0o644);
      expect(asUser(rc)).toBe(`cannot edit ${rc}: permission denied`);
    } finally {
      fs.chmodSync(dir, 0o755);
    }
    expect(read(rc)).toBe('export A=1\n');
    expect(namesIn(dir)).toEqual(['.bashrc']);
  });

  it.skipIf(!canMountReadOnly)('a read-only file system (a read-only bind mount in a private mount namespace) gives a clear error', () => {
    const dir = freshDir();
    const rc = path.join(dir, '.bashrc');
    fs.writeFileSync(rc, 'export A=1\n');
    const message = applyInChild(['unshare', '-m', 'sh', '-c', 'mount --bind -o ro "$0" "$0" && exec "$@"', dir], rc);
    expect(message).toBe(`cannot edit ${rc}: the file system is read-only`);
    expect(read(rc)).toBe('export A=1\n');
    expect(namesIn(dir)).toEqual(['.bashrc']);
  });
});

describe('detectStartupFile', () => {
  it('maps $SHELL to the startup file, honouring ZDOTDIR, and says why when it assumes bash', () => {
    expect(detectStartupFile({SHELL: '/bin/bash', HOME: '/h'})).toEqual({shell: 'bash', file: '/h/.bashrc'});
    expect(detectStartupFile({SHELL: '/usr/bin/zsh', HOME: '/h'})).toEqual({shell: 'zsh', file: '/h/.zshrc'});
    expect(detectStartupFile({SHELL: '/usr/bin/zsh', HOME: '/h', ZDOTDIR: '/z'})).toEqual({shell: 'zsh', file: '/z/.zshrc'});
    expect(detectStartupFile({SHELL: '/usr/local/bin/fish', HOME: '/h'})).toEqual({shell: 'fish', file: '/h/.config/fish/config.fish'});
    expect(detectStartupFile({SHELL: '/bin/tcsh', HOME: '/h'})).toMatchObject({shell: 'bash', file: '/h/.bashrc', reason: expect.stringMatching(/tcsh is not bash/)});
    expect(detectStartupFile({HOME: '/h'}).reason).toMatch(/SHELL is not set/);
    expect(() => detectStartupFile({SHELL: '/bin/bash'})).toThrow(/HOME is not set/);
  });
});
