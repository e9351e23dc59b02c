import { describe, expect, test } from "vitest";
import { buildOpenApiDocument } from "../../api/openapi.js";

describe("the OpenAPI document", () => {
  const document = buildOpenApiDocument("1.2.3") as {
    info: { version: string };
    paths: Record<string, Record<string, { parameters?: { name: string; schema: Record<string, unknown> }[] }>>;
    components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
  };

  test("every query parameter of every route is documented with a type", () => {
    expect(document.info.version).toBe("1.2.3");
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const operation of Object.values(operations)) {
        for (const parameter of operation.parameters ?? [])
          expect(parameter.schema.type, `${path} ${parameter.name}`).toBeDefined();
      }
    }
    const related = document.paths["/posts/{id}/related"]?.["get"]?.parameters?.map((parameter) => parameter.name);
    expect(related).toEqual(["id", "limit", "minScore", "stack", "tools", "difficulty", "scenario", "code_language"]);
  });

  test("answers are described as components, referenced by the paths", () => {
    expect(Object.keys(document.components.schemas).sort()).toEqual(
      [
        "DraftBody",
        "Error",
        "FacetValuesAnswer",
        "Health",
        "Post",
        "RelatedAnswer",
        "SearchAnswer",
        "Unhealthy",
      ].sort(),
    );
    expect(Object.keys(document.components.schemas["SearchAnswer"]?.properties ?? {})).toEqual([
      "hits",
      "total",
      "page",
      "limit",
      "facets",
    ]);
    expect(JSON.stringify(document)).not.toContain("$defs");
  });
});
