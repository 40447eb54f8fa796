import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_OPERATIONS, buildOpenApiDocument } from './openapi';

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * The public API as the route files under app/api/v1 declare it: URL path (route groups left out,
 * `[id]` as `{id}`) → the HTTP methods the file exports. Read from the tree, not from a list, so a
 * new route file or method that the document lacks fails the test below.
 */
function routesOnDisk(root = path.join(process.cwd(), 'app/api/v1')): Map<string, string[]> {
  const routes = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('_')) walk(full);
      } else if (entry.name === 'route.ts') {
        const segments = path
          .relative(path.join(process.cwd(), 'app'), dir)
          .split(path.sep)
          .filter((segment) => !/^\(.*\)$/.test(segment))
          .map((segment) => segment.replace(/^\[(?:\.\.\.)?(.+)\]$/, '{$1}'));
        const source = fs.readFileSync(full, 'utf8');
        const methods = HTTP_METHODS.filter((method) =>
          new RegExp(
            `export\\s+(?:const|(?:async\\s+)?function)\\s+${method}\\b|export\\s*\\{[^}]*\\b${method}\\b`,
          ).test(source),
        );
        routes.set(`/${segments.join('/')}`, methods);
      }
    }
  };
  walk(root);
  return routes;
}

function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refs(item, found));
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') found.push(child);
      else refs(child, found);
    }
  }
  return found;
}

describe('buildOpenApiDocument', () => {
  const doc = buildOpenApiDocument('http://tarmo.test');
  it('describes every operation of the API', () => {
    for (const op of API_OPERATIONS)
      expect(doc.paths[op.path]?.[op.method], `${op.method} ${op.path}`).toBeDefined();
  });
  it('documents every route file under app/api/v1 and each method it exports, and nothing that is not there', () => {
    const onDisk = routesOnDisk();
    expect(onDisk.size).toBeGreaterThan(5);
    for (const [route, methods] of onDisk) {
      expect(methods.length, `${route} exports no HTTP method`).toBeGreaterThan(0);
      for (const method of methods)
        expect(
          doc.paths[route]?.[method.toLowerCase()],
          `${method} ${route} is missing from openapi.json`,
        ).toBeDefined();
    }
    for (const [route, operations] of Object.entries(doc.paths)) {
      if (!route.startsWith('/api/v1/')) continue;
      for (const method of Object.keys(operations))
        expect(
          onDisk.get(route),
          `${method.toUpperCase()} ${route} is documented but has no route file`,
        ).toContain(method.toUpperCase());
    }
  });

  it('generates components from the zod schemas, and every $ref resolves', () => {
    const schemas = doc.components.schemas as Record<
      string,
      { properties?: Record<string, { type?: string; format?: string }> }
    >;
    expect(schemas.CustomerUpsert?.properties?.email?.format).toBe('email');
    expect(schemas.ConsentAction?.properties?.action).toMatchObject({ enum: ['grant', 'withdraw'] });
    for (const ref of refs(doc)) {
      expect(ref.startsWith('#/components/schemas/'), ref).toBe(true);
      expect(schemas[ref.replace('#/components/schemas/', '')], ref).toBeDefined();
    }
  });
});
