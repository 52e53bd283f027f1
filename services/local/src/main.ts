import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createLogger, loadConfig } from '@lukema/platform';
import { defaultDirs, runSupervisor } from './supervisor.js';

// `npm start`: every Lukema service and the simulated head-end until Ctrl-C;
// `npm start -- --once`: the finite demo with its summary (demo.ts).
if (process.argv.includes('--once')) {
  await import('./demo.js');
} else {
  const USAGE = `usage: npm start [-- options]
  runs the registry, the ingest worker(s), the rights API with its export worker and the
  simulated head-end and customer system (a backlog, then live pushes) until Ctrl-C
options:
  --once           the finite demo instead (see npm start -- --once --help)
  --points N       metering points (default 2000)
  --days D         days of backlog before the live pushes (default 3)
  --every S        seconds between live pushes (default 3)
  --workers N      ingest workers in the consumer group (default 1)
  --logs DIR       folder of the services' JSON logs (default logs/ in the clone)
  --run-dir DIR    folder of the pid files (default $LUKEMA_DATA/run)
  --targets FILE   Prometheus targets file to write (default
                   $LUKEMA_DATA/prometheus/targets/lukema.json)`;
  const { values } = parseArgs({
    options: {
      points: { type: 'string', default: '2000' },
      days: { type: 'string', default: '3' },
      every: { type: 'string', default: '3' },
      workers: { type: 'string', default: '1' },
      logs: { type: 'string' },
      'run-dir': { type: 'string' },
      targets: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const config = loadConfig(process.env);
  const dirs = defaultDirs(root, config.dataDir);
  // Paths given are from where `npm start` was run (npm runs the script in services/local).
  const here = config.callerDir ?? process.cwd();
  const logDir = values.logs ? resolve(here, values.logs) : dirs.logDir;
  const logger = createLogger({
    level: config.logLevel,
    name: 'local',
    file: `${logDir}/local.log`,
  });
  await runSupervisor(config, logger, {
    root,
    logDir,
    runDir: values['run-dir'] ? resolve(here, values['run-dir']) : dirs.runDir,
    workers: Number(values.workers),
    targetsFile: values.targets
      ? resolve(here, values.targets)
      : join(config.ops.prometheusTargetsDir, 'lukema.json'),
    feedArgs: ['--points', values.points, '--days', values.days, '--every', values.every],
  });
  logger.flush();
  process.exit(0);
}
