import { describe, expect, it } from 'vitest';
import { API_OPERATIONS, buildOpenApiDocument } from './openapi';

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
