import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A partition's throughput ceiling in front of Azurite, for the bench (target 5). Azure
 * Table storage serves each partition up to a target (2,000 entities a second) and answers
 * `503 Server Busy` above it, which the storage client retries after a backoff; Azurite has
 * no such limit, and on this machine its one thread, the app and the load generator share
 * two cores, so more partitions cannot show more throughput by themselves. This proxy gives
 * every partition a ceiling of its own, scaled down below what the machine can do: each
 * request waits its partition's turn, costing one turn per entity it writes (an entity
 * group transaction as many as it holds) and one per read. It models the capacity, not the
 * 503s: a request over the ceiling is delayed instead of refused and retried.
 */
export interface PartitionCeiling {
  /** A connection string like Azurite's, through the proxy. */
  readonly connectionString: string;
  /** Entities counted per partition (`{table}/{partition key}`). */
  readonly counted: ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

/** The partition a request addresses and the entities it costs (null: not a partition's). */
/** A key as OData quotes it in a URL (`''` for `'`), or as JSON quotes it in a body. */
const inUrl = (quoted: string | undefined) => quoted?.replace(/''/g, "'");
const inJson = (quoted: string | undefined) =>
  quoted === undefined ? undefined : (JSON.parse(`"${quoted}"`) as string);

export function partitionCost(
  method: string,
  path: string,
  body: string,
): { partition: string; entities: number } | null {
  const url = decodeURIComponent(path);
  if (url.includes('/$batch')) {
    const entities = body.match(/^(POST|PUT|PATCH|MERGE|DELETE) /gm)?.length ?? 0;
    const batchTable = /^(?:POST|PUT|PATCH|MERGE|DELETE) \S*\/([A-Za-z0-9]+)[(?\s]/m.exec(body);
    const key =
      inUrl(/PartitionKey='((?:[^']|'')*)'/.exec(body)?.[1]) ??
      inJson(/"PartitionKey":\s*"((?:[^"\\]|\\.)*)"/.exec(body)?.[1]);
    if (key === undefined || batchTable?.[1] === undefined || entities === 0) return null;
    return { partition: `${batchTable[1]}/${key}`, entities };
  }
  const table = /^\/[^/]+\/([A-Za-z0-9]+)/.exec(url)?.[1];
  if (table === undefined || table === 'Tables') return null;
  const key =
    inUrl(/PartitionKey='((?:[^']|'')*)'/.exec(url)?.[1]) ??
    inUrl(/PartitionKey eq '((?:[^']|'')*)'/.exec(url)?.[1]) ??
    (method === 'POST'
      ? inJson(/"PartitionKey":\s*"((?:[^"\\]|\\.)*)"/.exec(body)?.[1])
      : undefined);
  return key === undefined ? null : { partition: `${table}/${key}`, entities: 1 };
}

export async function startPartitionCeiling(
  azuriteConnectionString: string,
  entitiesPerSecond: number,
): Promise<PartitionCeiling> {
  const endpoint = /TableEndpoint=([^;]+)/.exec(azuriteConnectionString)?.[1];
  if (!endpoint) throw new Error('no TableEndpoint in the connection string');
  const target = new URL(endpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  /** Per partition, when its next turn is free (performance.now()). */
  const freeAt = new Map<string, number>();
  const counted = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const cost = partitionCost(req.method ?? 'GET', req.url ?? '/', body.toString('utf8'));
      let wait = 0;
      if (cost) {
        const now = performance.now();
        const start = Math.max(now, freeAt.get(cost.partition) ?? 0);
        freeAt.set(cost.partition, start + (cost.entities * 1000) / entitiesPerSecond);
        counted.set(cost.partition, (counted.get(cost.partition) ?? 0) + cost.entities);
        wait = start - now;
      }
      const forward = () => {
        const upstream = http.request(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: target.host },
            agent,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', (error) => {
          res.writeHead(502);
          res.end(String(error));
        });
        upstream.end(body);
      };
      if (wait > 0) setTimeout(forward, wait);
      else forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const through = new URL(endpoint);
  through.port = String(port);
  return {
    connectionString: azuriteConnectionString.replace(
      endpoint,
      through.toString().replace(/\/$/, ''),
    ),
    counted,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
