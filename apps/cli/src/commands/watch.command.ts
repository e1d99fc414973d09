import { statSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '@triage/config';
import { openRuntime } from '../runtime.ts';
import { onShutdown } from '../serve.ts';
import { startWatchDirs } from '../watch-folder.ts';
import type { Command } from './command.ts';

const args = z
  .object({
    dirs: z.array(z.string().min(1)),
    'stable-ms': z.coerce.number().int('must be an integer').positive('must be positive').optional(),
  })
  .strict();

/** Fax-server folders alone (no workers, no API): `triage worker` also watches WATCH_DIRS, this is for a host of its own. */
export const watchCommand: Command<typeof args> = {
  name: ['watch'],
  usage: 'watch [DIR...] [--stable-ms N]        take complete files from fax-server folders (default WATCH_DIRS) into intake',
  args,
  positionals: 'dirs',
  async run(a, { config }) {
    const dirs = a.dirs.length ? a.dirs : config.WATCH_DIRS;
    if (!dirs.length) throw new ConfigError('watch needs a folder: triage watch DIR (or set WATCH_DIRS)');
    // Refuse a mistyped folder before opening anything (a share that is not mounted yet looks the same).
    for (const d of dirs) if (!statSync(d, { throwIfNoEntry: false })?.isDirectory()) throw new ConfigError(`${d} is not a folder`);
    const rt = await openRuntime(config, 'triage-watch', { embeddedRedis: false });
    const watch = startWatchDirs(rt, dirs, a['stable-ms'] === undefined ? {} : { stableMs: a['stable-ms'] });
    onShutdown(rt, () => watch.close());
    return -1;
  },
};
