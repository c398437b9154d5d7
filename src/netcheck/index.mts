// The executable runbooks/lib/bin/runbook-netcheck (CommonJS bundle): the command line of cli.mts.
import {runNetcheck} from './cli.mts';

runNetcheck(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
