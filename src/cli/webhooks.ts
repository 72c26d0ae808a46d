import type { Viewer } from '../services/access';
import type { Services } from '../services/registry';
import { KijiError, toGlobalId } from '../services/shared';
import { WEBHOOK_EVENTS } from '../services/webhooks';
import { parseCommandArgs, UsageError } from './args';

export const WEBHOOKS_USAGE =
  'webhooks add <url> --events <e1,e2> [--json] | list [--json] | remove <id> | enable <id> | replay <id> [--since <ISO date>] | purge [--days <n>]';

/** Whoever runs the CLI on the server's machine administers it (as `kiji keys` does). */
const CLI_ADMIN: Viewer = { role: 'admin', keyId: null, keyName: 'cli' };

/**
 * `kiji webhooks …`: the CLI face of the admins' webhook mutations. `withServices` opens the
 * database for the command and closes it after. Endpoints are shown by their global ID (the one
 * GraphQL takes); commands take it or the endpoint's key (`ep_…`).
 */
export async function runWebhooksCommand(argv: string[], withServices: <T>(work: (services: Services) => Promise<T>) => Promise<T>): Promise<number> {
  const [action, ...rest] = argv;
  const { values, positionals } = parseCommandArgs(rest, { events: { type: 'string' }, since: { type: 'string' }, days: { type: 'string' }, json: { type: 'boolean' } });
  const print = (value: unknown, text: string) => process.stdout.write(values.json ? JSON.stringify(value, null, 2) + '\n' : text);
  const one = (what: string) => {
    if (positionals.length !== 1) throw new UsageError(`webhooks ${action} needs exactly one ${what}`);
    return positionals[0];
  };
  const endpointId = () => {
    const id = one('endpoint id');
    return id.startsWith('ep_') ? toGlobalId('WebhookEndpoint', id) : id;
  };
  const shown = <T extends { id: string }>(endpoint: T): T => ({ ...endpoint, id: toGlobalId('WebhookEndpoint', endpoint.id) });
  const run = async (work: (services: Services) => Promise<number>) => {
    try {
      return await withServices(work);
    } catch (error) {
      if (!(error instanceof KijiError) || error instanceof UsageError) throw error;
      // NOT_FOUND, a refused URL, …: said plainly, exit 1.
      process.stderr.write(`kiji webhooks: ${error.message}\n`);
      return 1;
    }
  };
  if (action === 'add') {
    const url = one('URL');
    if (!values.events) throw new UsageError(`webhooks add needs --events, some of: ${WEBHOOK_EVENTS.join(',')}`);
    const events = String(values.events)
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    return run(async (services) => {
      const created = await services.webhooks.create(CLI_ADMIN, url, events);
      const endpoint = shown(created.endpoint);
      const secret = created.secret;
      print(
        { ...endpoint, secret },
        `Added webhook endpoint ${endpoint.id} for ${endpoint.events.join(', ')}.\nIts signing secret, for the receiver; store it now, it is not shown again:\n${secret}\n`,
      );
      return 0;
    });
  }
  if (action === 'list') {
    return run(async (services) => {
      const endpoints = (await services.webhooks.list(CLI_ADMIN)).map(shown);
      const line = (e: (typeof endpoints)[number]) =>
        `${e.id}  ${e.enabled ? 'enabled ' : 'disabled'}  ${e.url}  ${e.events.join(',')}${e.disabledReason ? `  (${e.disabledReason})` : ''}\n`;
      print(endpoints, endpoints.map(line).join(''));
      return 0;
    });
  }
  if (action === 'remove') {
    const id = endpointId();
    return run(async (services) => {
      await services.webhooks.remove(CLI_ADMIN, id);
      process.stdout.write(`removed ${id}\n`);
      return 0;
    });
  }
  if (action === 'enable') {
    const id = endpointId();
    return run(async (services) => {
      await services.webhooks.enable(CLI_ADMIN, id);
      process.stdout.write(`enabled ${id}; its held deliveries go out again (\`kiji webhooks replay ${id}\` for failed ones)\n`);
      return 0;
    });
  }
  if (action === 'replay') {
    const id = endpointId();
    const since = values.since === undefined ? null : new Date(String(values.since));
    if (since && Number.isNaN(since.getTime())) throw new UsageError('--since must be an ISO 8601 date, e.g. 2026-05-01T00:00:00Z');
    return run(async (services) => {
      const count = await services.webhooks.replay(CLI_ADMIN, id, since);
      process.stdout.write(`queued ${count} failed deliveries of ${id} again (sent once the endpoint is enabled)\n`);
      return 0;
    });
  }
  if (action === 'purge') {
    if (positionals.length !== 0) throw new UsageError('webhooks purge takes no arguments but --days');
    const days = values.days === undefined ? null : Number(values.days);
    if (days !== null && !(Number.isInteger(days) && days >= 0 && days <= 3650)) throw new UsageError('--days must be a whole number of days from 0 to 3650');
    return run(async (services) => {
      const retention = days ?? services.webhooks.retentionDays;
      const count = await services.webhooks.purge(CLI_ADMIN, retention);
      process.stdout.write(`purged ${count} delivered, failed or held deliveries of events older than ${retention} days\n`);
      return 0;
    });
  }
  throw new UsageError('webhooks needs an action: add, list, remove, enable, replay or purge');
}
