// fix-noproxy's persist step as users run it (`node runbooks/fix-noproxy.mjs --only persist …`):
// what the startup file sets survives a run from a shell that lacks it, concurrent runs keep every
// entry, a held lock makes a run wait or refuse, a hand edit survives a re-run and stops --undo.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {freshShellEnv} from '../../src/startup-file/fresh-shell.mts';
import {runClient} from '../kit/processes.mts';
import {runRunbook, tempHome, type Home} from '../kit/runbooks.mts';

const LOOPBACK = ['localhost', '127.0.0.1', '::1', '0.0.0.0'];
const homes: Home[] = [];
afterEach(() => homes.splice(0).forEach((home) => home.remove()));

function home(bashrc: string): Home {
  const made = tempHome({}, bashrc);
  homes.push(made);
  return made;
}

const persist = (h: Home, ...args: string[]) => runRunbook('fix-noproxy', ['--only', 'persist', '--yes', ...args], h.env);
const entries = (value: string | undefined) => (value ?? '').split(',').filter(Boolean);

describe('what the startup file sets survives a fix run', () => {
  it('a NO_PROXY exported in ~/.bashrc is kept when the running shell lacks it', async () => {
    const h = home('export NO_PROXY=corp.example.com\n');
    expect(h.env.NO_PROXY).toBeUndefined();
    const ran = await persist(h);
    expect(ran.code, ran.stderr).toBe(0);
    const fresh = await freshShellEnv('bash', h.rc, h.env);
    expect(entries(fresh.NO_PROXY)).toEqual(['corp.example.com', ...LOOPBACK]);
    expect(entries(fresh.no_proxy)).toEqual(['corp.example.com', ...LOOPBACK]);
  });

  it('--rc naming a zsh file while running under bash: the zsh file\'s entry is read by zsh and kept', async () => {
    const h = home('# bash\n');
    const zshrc = path.join(h.dir, '.zshrc');
    fs.writeFileSync(zshrc, 'typeset -x NO_PROXY\nNO_PROXY=corp.example.com\n');
    const ran = await persist(h, '--rc', zshrc);
    expect(ran.code, ran.stderr).toBe(0);
    expect(h.env.SHELL).toBe('/bin/bash');
    const fresh = await freshShellEnv('zsh', zshrc, h.env);
    expect(entries(fresh.NO_PROXY)).toEqual(['corp.example.com', ...LOOPBACK]);
    expect(fs.readFileSync(h.rc, 'utf8')).toBe('# bash\n');
  });

  it('a file that sources another: the sourced entry is kept; an entry clients crash on is dropped and said', async () => {
    const h = home('');
    fs.writeFileSync(path.join(h.dir, 'proxy.sh'), 'export NO_PROXY="[::1],build.internal"\r\n');
    fs.writeFileSync(h.rc, `. ${path.join(h.dir, 'proxy.sh')}\n`);
    const ran = await persist(h);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/note: dropped \[::1\] from NO_PROXY: .*InvalidURL/);
    expect(entries((await freshShellEnv('bash', h.rc, h.env)).NO_PROXY)).toEqual(['build.internal', ...LOOPBACK]);
  });
});

describe('hand edits inside the block', () => {
  it('a re-run keeps a host the user added; --undo then refuses without --force, naming the line and the backup', async () => {
    const h = home('export EDITOR=vi\n');
    expect((await persist(h)).code).toBe(0);
    fs.writeFileSync(h.rc, fs.readFileSync(h.rc, 'utf8').replaceAll('0.0.0.0"', '0.0.0.0,mine.lan"'));
    const rerun = await persist(h, '--also', 'gpu-01');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(entries((await freshShellEnv('bash', h.rc, h.env)).NO_PROXY)).toEqual([...LOOPBACK, 'mine.lan', 'gpu-01']);

    fs.writeFileSync(h.rc, fs.readFileSync(h.rc, 'utf8').replace('export no_proxy=', 'export no_proxy=extra.lan,'));
    const edited = fs.readFileSync(h.rc, 'utf8');
    const refused = await runRunbook('fix-noproxy', ['--undo', '--yes'], h.env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(`left block fix-noproxy-persist in ${h.rc} alone: it was edited by hand`);
    expect(refused.stdout).toMatch(/line 3 is now: export no_proxy=extra\.lan,"localhost/);
    expect(refused.stdout).toMatch(/the runbook wrote: export no_proxy="localhost/);
    const backup = /the file before the runbook's last change is (\S+);/.exec(refused.stdout)?.[1];
    expect(fs.readFileSync(backup!, 'utf8')).toContain('mine.lan');
    expect(fs.readFileSync(h.rc, 'utf8')).toBe(edited);

    const forced = await runRunbook('fix-noproxy', ['--undo', '--yes', '--force'], h.env);
    expect(forced.code, forced.stdout).toBe(0);
    expect(fs.readFileSync(h.rc, 'utf8')).toBe('export EDITOR=vi\n');
  }, 60_000);
});

describe('concurrent runs', () => {
  it('six concurrent --also hostN runs keep all six hosts; backups stay bounded (first + last 5)', async () => {
    const h = home('export NO_PROXY=corp.example.com\n');
    const hosts = ['host1', 'host2', 'host3', 'host4', 'host5', 'host6'];
    const runs = await Promise.all(hosts.map((host) => persist(h, '--also', host)));
    for (const ran of runs) expect(ran.code, ran.stderr).toBe(0);
    const fresh = entries((await freshShellEnv('bash', h.rc, h.env)).NO_PROXY);
    expect(fresh).toEqual(expect.arrayContaining(['corp.example.com', ...LOOPBACK, ...hosts]));
    expect(fs.readFileSync(h.rc, 'utf8').match(/>>> llm-network-runbooks:fix-noproxy-persist >>>/g)).toHaveLength(1);
    const backups = fs.readdirSync(h.dir).filter((name) => name.startsWith('.bashrc.bak-'));
    expect(backups.length).toBeGreaterThan(0);
    expect(backups.length).toBeLessThanOrEqual(6);
    expect(fs.readdirSync(h.dir).filter((name) => name.includes('.lock') || name.includes('.tmp-'))).toEqual([]);
  }, 120_000);

  it('a lock held by a live process: the run waits RUNBOOK_LOCK_WAIT seconds, then refuses (exit 2) and changes nothing', async () => {
    const h = home('export NO_PROXY=corp.example.com\n');
    const lock = path.join(h.dir, '.bashrc.llm-network-runbooks.lock');
    fs.writeFileSync(lock, `${process.pid}\n`);
    const ran = await runRunbook('fix-noproxy', ['--only', 'persist', '--yes'], {...h.env, RUNBOOK_LOCK_WAIT: '1'});
    expect(ran.code).toBe(2);
    expect(ran.stderr.trim().split('\n')).toHaveLength(1);
    expect(ran.stderr).toMatch(new RegExp(`refused: ${h.rc.replace(/[.]/g, '\\.')} is being changed by another run \\(pid ${process.pid}, lock .*\\); waited 1 s`));
    expect(fs.readFileSync(h.rc, 'utf8')).toBe('export NO_PROXY=corp.example.com\n');
    expect(fs.readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('a lock left by a killed run (its pid is gone) is taken over', async () => {
    const h = home('');
    const gone = await runClient('sh', ['-c', 'echo $$'], process.env);
    fs.writeFileSync(path.join(h.dir, '.bashrc.llm-network-runbooks.lock'), gone.stdout);
    const ran = await persist(h);
    expect(ran.code, ran.stderr).toBe(0);
    expect(fs.readFileSync(h.rc, 'utf8')).toContain('export NO_PROXY="localhost,127.0.0.1,::1,0.0.0.0"');
    expect(fs.readdirSync(h.dir).filter((name) => name.includes('.lock'))).toEqual([]);
  });
});
