import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getFreePort,
  startBrokerDomain,
  type BrokerDomain,
} from '../../../../test/support/index.js';

/**
 * `GET /x/{id}` for every route Fastify really dispatches to (Nest's controllers, mounted), read
 * from its route tree: one line per node, four columns deeper per level, a node's path continuing
 * its parent's (the tree leaves out the `/` before a wildcard). HEAD is Fastify's own answer for
 * each GET, not a route of the broker.
 */
function servedRoutes(domain: BrokerDomain): string[] {
  const tree = domain.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false });
  const paths: string[] = [];
  return tree.split('\n').flatMap((line) => {
    const node = /^([│ ]*)[├└]── (\S+) \(([A-Z, ]+)\)$/u.exec(line);
    if (node === null) {
      return [];
    }
    const [, indent, segment, methods] = node;
    const depth = indent.length / 4;
    const parent = depth === 0 ? '' : paths[depth - 1];
    paths[depth] = segment === '*' && !parent.endsWith('/') ? `${parent}/*` : parent + segment;
    return methods
      .split(', ')
      .filter((method) => method !== 'HEAD')
      .map((method) => `${method} ${openApiPath(paths[depth])}`);
  });
}

/** Fastify parameters (`:id`, a trailing `*` the discovery controller names `path`) in OpenAPI form. */
function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{path}');
}

async function documentedRoutes(domain: BrokerDomain): Promise<string[]> {
  const response = await fetch(`${domain.issuer}/openapi.json`);
  expect(response.status).toBe(200);
  const document = (await response.json()) as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
  };
  expect(document.openapi).toMatch(/^3\./);
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

describe('the OpenAPI document matches the routes the broker serves', () => {
  let root: BrokerDomain;
  let tenant: BrokerDomain;

  beforeAll(async () => {
    root = await startBrokerDomain();
    const port = await getFreePort();
    tenant = await startBrokerDomain({
      issuerPort: port,
      configOverrides: { issuer: `http://127.0.0.1:${port}/tenant-a` },
    });
  });
  afterAll(() => Promise.all([root?.close(), tenant?.close()]));

  it('documents every served route and nothing else (issuer without a path)', async () => {
    const served = servedRoutes(root);
    expect(served).toContain('POST /token');
    expect(served).toContain('GET /openapi.json');
    expect((await documentedRoutes(root)).sort()).toEqual([...new Set(served)].sort());
  });

  it('documents the routes under the issuer path, well-known and health at the root', async () => {
    const served = servedRoutes(tenant);
    expect(served).toContain('POST /tenant-a/token');
    expect(served).toContain('GET /.well-known/oauth-authorization-server');
    expect((await documentedRoutes(tenant)).sort()).toEqual([...new Set(served)].sort());
  });

  it('describes the token endpoint: form body, DPoP header, token and error responses', async () => {
    const document = (await (await fetch(`${root.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
      servers: { url: string }[];
    };
    const token = document.paths['/token'].post as {
      requestBody: { content: Record<string, unknown> };
      parameters: { name: string; in: string }[];
      responses: Record<string, unknown>;
    };
    expect(Object.keys(token.requestBody.content)).toEqual(['application/x-www-form-urlencoded']);
    expect(token.parameters).toContainEqual(
      expect.objectContaining({ name: 'DPoP', in: 'header' }),
    );
    expect(Object.keys(token.responses)).toEqual(expect.arrayContaining(['200', '400', '401']));
    expect(document.servers).toEqual([{ url: root.issuer }]);
  });
});
