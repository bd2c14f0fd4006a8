/**
 * The deployment files that cannot run here (no Docker on the test machine; docs/deploy.md says so): compose.yaml
 * parses, wires the app to its PostgreSQL and S3-compatible store with matching names and credentials, and names only
 * variables the README documents; the Dockerfile is multi-stage, runs as a non-root user and checks /healthz; the
 * systemd units in docs/deploy.md set only documented variables and pass `systemd-analyze verify` (where installed).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const readme = fs.readFileSync("README.md", "utf8");
/** Variables in the README's Configuration table: rows starting "| `NAME` |" (also "| `A` / `B` |"). */
const documented = new Set(
  readme
    .split("\n")
    .filter((line) => /^\| `[A-Z][A-Z0-9_]+`/.test(line))
    .flatMap((line) => [...line.split("|")[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1])),
);

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  entrypoint?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
}

describe("compose.yaml", () => {
  const compose = parse(fs.readFileSync("compose.yaml", "utf8")) as { services: Record<string, Service> };
  const { app, postgres, minio, bucket } = compose.services;

  it("has the app, PostgreSQL 15 and an S3-compatible store", () => {
    expect(app.build).toBeDefined();
    expect(postgres.image).toBe("postgres:15");
    expect(minio.image).toMatch(/minio/);
    expect(Object.keys(app.depends_on ?? {})).toEqual(expect.arrayContaining(["postgres", "bucket"]));
  });

  it("names only variables the README documents", () => {
    expect(documented.size).toBeGreaterThan(20);
    const names = Object.keys(app.environment ?? {});
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((n) => !documented.has(n))).toEqual([]);
  });

  it("wires the app to the database, the store and the bucket it creates", () => {
    const env = app.environment!;
    const db = new URL(env.DATABASE_URL);
    expect(db.hostname).toBe("postgres");
    expect(decodeURIComponent(db.username)).toBe(postgres.environment!.POSTGRES_USER);
    expect(decodeURIComponent(db.password)).toBe(postgres.environment!.POSTGRES_PASSWORD);
    expect(db.pathname).toBe(`/${postgres.environment!.POSTGRES_DB}`);
    expect(new URL(env.S3_ENDPOINT).hostname).toBe("minio");
    expect(env.AWS_ACCESS_KEY_ID).toBe(minio.environment!.MINIO_ROOT_USER);
    expect(env.AWS_SECRET_ACCESS_KEY).toBe(minio.environment!.MINIO_ROOT_PASSWORD);
    const script = (bucket.entrypoint ?? []).join(" ");
    expect(script).toContain(`local/${env.S3_BUCKET}`);
    expect(script).toContain(`${env.AWS_ACCESS_KEY_ID} ${env.AWS_SECRET_ACCESS_KEY}`);
    // The cookie secret is never a committed value.
    expect(env.SESSION_SECRET).toMatch(/^\$\{SESSION_SECRET:\?/);
  });
});

describe("Dockerfile", () => {
  const text = fs.readFileSync("Dockerfile", "utf8");
  const stages = text.split(/^FROM /m).slice(1);

  it("builds in one stage and runs the production dependencies as a non-root user in another", () => {
    expect(stages.length).toBe(2);
    expect(stages[0]).toMatch(/RUN npm ci/);
    expect(stages[0]).toMatch(/npm run build/);
    expect(stages[0]).toMatch(/npm prune --omit=dev/);
    const runtime = stages[1];
    expect(runtime).toMatch(/COPY --from=build/);
    const user = /^USER (\S+)/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user);
    expect(runtime).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
    expect(runtime).toMatch(/^CMD \["node", "--import", "tsx", "server\/index.ts"\]/m);
  });

  it("leaves local dependencies, builds and data out of the build context", () => {
    const ignored = fs.readFileSync(".dockerignore", "utf8").split("\n");
    expect(ignored).toEqual(expect.arrayContaining(["node_modules", "build", "data", ".env"]));
  });
});

describe("docs/deploy.md", () => {
  it("the systemd unit sets only documented variables", () => {
    const deploy = fs.readFileSync("docs/deploy.md", "utf8");
    const names = [...deploy.matchAll(/^Environment=([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(3);
    expect(names.filter((n) => !documented.has(n))).toEqual([]);
  });

  it.skipIf(!fs.existsSync("/usr/bin/systemd-analyze"))("its systemd units pass systemd-analyze verify", () => {
    const deploy = fs.readFileSync("docs/deploy.md", "utf8");
    const blocks = [...deploy.matchAll(/```ini\n([\s\S]*?)```/g)].map((m) => m[1]);
    const names = ["pinpoint.service", "pinpoint-backup.service", "pinpoint-backup.timer"];
    expect(blocks).toHaveLength(names.length);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinpoint-units-"));
    try {
      const files = names.map((name, i) => {
        fs.writeFileSync(path.join(dir, name), blocks[i]);
        return path.join(dir, name);
      });
      // Throws (with systemd's complaint) when a unit has a bad setting.
      execFileSync("systemd-analyze", ["verify", "--man=no", ...files], { stdio: "pipe" });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
