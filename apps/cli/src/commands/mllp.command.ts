import { z } from 'zod';
import { ConfigError } from '@triage/config';
import { openRuntime } from '../runtime.ts';
import { onShutdown, startMllp } from '../serve.ts';
import type { Command } from './command.ts';

const args = z.object({ port: z.coerce.number().int().min(1).max(65535).optional() }).strict();

/** The HL7 v2 listener alone (no HTTP API), for a deployment that puts it on its own hosts or ports. */
export const mllpCommand: Command<typeof args> = {
  name: ['mllp'],
  usage: 'mllp [--port N]                      the HL7 v2 MLLP listener only (default MLLP_PORT, 2575)',
  args,
  async run(a, { config }) {
    const port = a.port ?? config.MLLP_PORT;
    if (port === 0) throw new ConfigError('MLLP_PORT is 0: give the port the listener should take (--port N)');
    const rt = await openRuntime(config, 'triage-mllp', { embeddedRedis: false });
    const server = (await startMllp(rt, { port }))!;
    onShutdown(rt, () => server.close());
    return -1;
  },
};
