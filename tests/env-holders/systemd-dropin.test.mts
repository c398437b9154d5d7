// `env-holders fix --unit NAME`: the systemd drop-in that gives a service NO_PROXY, checked by
// systemd's own unit-file parser (`systemd-analyze verify`, which loads the unit with its drop-ins
// from SYSTEMD_UNIT_PATH and needs no running systemd), the restart line printed (never run), and
// undo. Also fix-noproxy --unit as an unprivileged user, whose drop-in goes to the user's units.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {DROPIN_NAME} from '../../src/env-holders/systemd-dropin.mts';
import {NETCHECK_BIN} from '../../src/extraction/emit.mts';
import {runClient, type Ran} from '../kit/processes.mts';
import {currentRunbooks, generatedFile} from '../kit/runbooks.mts';
import {clientEnv} from '../kit/stack.mts';

const NETCHECK = await generatedFile(NETCHECK_BIN);
const VALUE = 'localhost,127.0.0.1,::1,0.0.0.0,gpu-01';
const UNIT = '[Unit]\nDescription=evaluation job\n[Service]\nExecStart=/bin/sleep 1\n';

describe('env-holders fix --unit: a systemd drop-in', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, {recursive: true, force: true});
  });
  function home(): {env: NodeJS.ProcessEnv; units: string; dir: string} {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dropin-'));
    dirs.push(dir);
    const units = path.join(dir, '.config', 'systemd', 'user');
    fs.mkdirSync(units, {recursive: true});
    fs.writeFileSync(path.join(units, 'evaljob.service'), UNIT);
    return {env: clientEnv({HOME: dir}), units, dir};
  }
  const netcheck = (env: NodeJS.ProcessEnv, ...args: string[]): Promise<Ran> => runClient('node', [NETCHECK, 'env-holders', ...args], env);
  /** systemd-analyze's complaints about the unit and its drop-ins (it exits 0 on syntax it ignores). */
  const verify = (units: string) => runClient('systemd-analyze', ['verify', '--man=no', 'evaljob.service'], {...process.env, SYSTEMD_UNIT_PATH: `${units}:`});

  it('writes a drop-in systemd parses without a complaint, prints the restart line, and undo removes it', async () => {
    const {env, units} = home();
    const dropin = path.join(units, 'evaljob.service.d', DROPIN_NAME);
    const fixed = await netcheck(env, 'fix', '--no-proxy', VALUE, '--unit', 'evaljob', '--user');
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain(`wrote ${dropin}`);
    expect(fixed.stdout).toContain('now run: systemctl --user daemon-reload && systemctl --user restart evaljob.service');
    expect(fs.readFileSync(dropin, 'utf8')).toContain(`Environment="NO_PROXY=${VALUE}" "no_proxy=${VALUE}"\n`);

    const clean = await verify(units);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stderr).not.toContain(dropin);
    // The parser does read the drop-in: the same line with its quotes unbalanced is reported.
    const good = fs.readFileSync(dropin, 'utf8');
    fs.writeFileSync(dropin, good.replace(/^Environment=.*$/m, `Environment="NO_PROXY=${VALUE}`));
    expect((await verify(units)).stderr).toContain(`${dropin}:3: Invalid syntax`);
    fs.writeFileSync(dropin, good);

    expect((await netcheck(env, 'fix', '--no-proxy', VALUE, '--unit', 'evaljob.service', '--user')).stdout).toContain(`${dropin}: already in place`);
    const undone = await netcheck(env, 'undo');
    expect(undone.code, undone.stdout).toBe(0);
    expect(undone.stdout).toContain(`removed ${dropin}`);
    expect(fs.existsSync(path.dirname(dropin))).toBe(false);
    expect(fs.readdirSync(units)).toEqual(['evaljob.service']);
  });

  it('a drop-in edited by hand, or not written by the runbook, is never overwritten (exit 1)', async () => {
    const {env, units} = home();
    const dropin = path.join(units, 'evaljob.service.d', DROPIN_NAME);
    expect((await netcheck(env, 'fix', '--no-proxy', VALUE, '--unit', 'evaljob', '--user')).code).toBe(0);
    const edited = `${fs.readFileSync(dropin, 'utf8')}Environment=HF_HOME=/data/hf\n`;
    fs.writeFileSync(dropin, edited);
    const again = await netcheck(env, 'fix', '--no-proxy', `${VALUE},more`, '--unit', 'evaljob', '--user');
    expect(again.code).toBe(1);
    expect(again.stdout).toContain(`left ${dropin} alone: it changed since the runbook wrote it`);
    expect(fs.readFileSync(dropin, 'utf8')).toBe(edited);
    const other = path.join(units, 'other.service.d', DROPIN_NAME);
    fs.mkdirSync(path.dirname(other));
    fs.writeFileSync(other, '[Service]\nEnvironment=A=1\n');
    const foreign = await netcheck(env, 'fix', '--no-proxy', VALUE, '--unit', 'other', '--user');
    expect(foreign.code).toBe(1);
    expect(foreign.stdout).toContain(`left ${other} alone: it was not written by the runbook`);
    expect(fs.readFileSync(other, 'utf8')).toBe('[Service]\nEnvironment=A=1\n');
  });

  it('a bad unit name is a usage error (exit 2) and nothing is written', async () => {
    const {env, units} = home();
    const ran = await netcheck(env, 'fix', '--no-proxy', VALUE, '--unit', '../../etc/x', '--user');
    expect(ran.code).toBe(2);
    expect(ran.stderr.split('\n')[0]).toBe('runbook-netcheck: --unit ../../etc/x: not a unit name');
    expect(fs.readdirSync(units)).toEqual(['evaljob.service']);
  });

  it.skipIf(process.getuid?.() !== 0)('fix-noproxy --unit as an unprivileged user (started by root with setpriv): the drop-in goes to ~/.config/systemd/user; --undo takes it away', async () => {
    const {units, dir} = home();
    fs.chmodSync(dir, 0o777);
    fs.chmodSync(path.join(dir, '.config'), 0o777);
    fs.chmodSync(path.dirname(units), 0o777);
    fs.chmodSync(units, 0o777);
    fs.writeFileSync(path.join(dir, '.bashrc'), '# the user\'s own line\n', {mode: 0o666});
    const env = clientEnv({HOME: dir, SHELL: '/bin/bash', CI: 'true', http_proxy: 'http://127.0.0.1:9'});
    // The runbooks as the current sources make them, copied where nobody can read them.
    fs.cpSync(path.join(await currentRunbooks(), 'runbooks'), path.join(dir, 'runbooks'), {recursive: true});
    fs.chmodSync(path.join(dir, 'runbooks'), 0o755);
    const asNobody = (...args: string[]) => runClient('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, path.join(dir, 'runbooks/fix-noproxy.mjs'), ...args], env, 60_000);
    const ran = await asNobody('--only', 'holders', '--unit', 'evaljob', '--also', 'gpu-01', '--yes');
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
    const dropin = path.join(units, 'evaljob.service.d', DROPIN_NAME);
    expect(fs.readFileSync(dropin, 'utf8')).toContain(`Environment="NO_PROXY=${VALUE}" "no_proxy=${VALUE}"`);
    expect(ran.stdout).toContain('now run: systemctl --user daemon-reload && systemctl --user restart evaljob.service');
    const undone = await asNobody('--undo', '--yes');
    expect(undone.code, undone.stdout + undone.stderr).toBe(0);
    expect(fs.existsSync(dropin)).toBe(false);
  });
});
