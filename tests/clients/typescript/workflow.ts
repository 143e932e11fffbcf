// A short workflow through openapi-fetch with the types openapi-typescript generates from
// openapi/openapi.json, with `createClient<paths, "application/json">()`: a client for the JSON
// answers (the list and the create also answer NDJSON, which a typed client has no use for,
// and which would otherwise join each answer's type as an alternative). scripts/check-clients
// type-checks it under `tsc --strict` next to the generated `schema.d.ts`, then runs it:
//
//     node workflow.js BASE_URL ADMIN_TOKEN FORM.json FISCAL_YEAR UNIT_CODE
//
// It prints one line per step and exits non-zero at the first step that goes wrong.

import { readFileSync } from "node:fs";
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Document = components["schemas"]["EvaluationDocument"];
type Page = components["schemas"]["Page"];
type Client = ReturnType<typeof client>;

function check(condition: boolean, what: string): void {
  if (!condition) {
    console.log(`typescript: FAILED: ${what}`);
    process.exit(1);
  }
  console.log(`typescript: ok: ${what}`);
}

function client(baseUrl: string, token?: string) {
  return createClient<paths, "application/json">({
    baseUrl,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
}

/** One page of the list, the first without a cursor. */
async function listPage(anyone: Client, cursor?: string): Promise<Page | undefined> {
  const { data } = await anyone.GET("/api/v1/evaluations", {
    params: { query: { limit: 1, ...(cursor ? { cursor } : {}) } },
  });
  return data;
}

async function main(): Promise<void> {
  const [baseUrl, adminToken, formPath, year, code] = process.argv.slice(2);
  const admin = client(baseUrl, adminToken);
  const anyone = client(baseUrl);

  const unitToken = await admin.POST("/api/v1/tokens", {
    body: { role: "unit", units: [code], label: "typescript client" },
  });
  check(unitToken.response.status === 201 && !!unitToken.data, "issue a unit token");
  const reviewerToken = await admin.POST("/api/v1/tokens", { body: { role: "reviewer" } });
  check(reviewerToken.response.status === 201 && !!reviewerToken.data, "issue a reviewer token");
  const unit = client(baseUrl, unitToken.data!.secret);
  const reviewer = client(baseUrl, reviewerToken.data!.secret);

  const form = JSON.parse(readFileSync(formPath, "utf-8")) as Document;
  const body: Document = { ...form, fiscal_year: Number(year), unit: { ...form.unit, code } };
  const created = await unit.POST("/api/v1/evaluations", { body });
  check(created.response.status === 201 && !!created.data, "create a form with the unit token");
  // A 201 is the stored form; the 207 of the same operation answers an NDJSON body.
  const stored = created.data as components["schemas"]["StoredEvaluation"];
  check(stored.version === 1 && stored.status === "draft", "it is a draft, v1");
  check(created.response.headers.get("etag") === '"1"', "its ETag is its version");
  // The funds block and its weight may be absent (a draft, or a form printed without 分值);
  // the example prints its own.
  const weight = stored.funds?.weight;
  check(typeof weight === "string", "a returned figure is a string");

  const id = stored.id;
  const submitted = await unit.POST("/api/v1/evaluations/{id}/submit", {
    params: { path: { id }, header: { "If-Match": '"1"' } },
  });
  check(submitted.data?.status === "submitted", "submit without a body");
  const approved = await reviewer.POST("/api/v1/evaluations/{id}/approve", {
    params: { path: { id }, header: { "If-Match": '"2"' } },
  });
  check(approved.data?.status === "approved", "approve without a body");

  const read = await anyone.GET("/api/v1/evaluations/{id}", { params: { path: { id } } });
  check(read.data?.version === 3, "read the approved form without a token");
  const history = await reviewer.GET("/api/v1/evaluations/{id}/history", {
    params: { path: { id } },
  });
  const roles = (history.data ?? []).map((entry) => entry.actor.role);
  check(roles.join() === "unit,unit,reviewer", "the history names the actors' roles");

  const workbook = await anyone.GET("/api/v1/evaluations/{id}/form.xlsx", {
    params: { path: { id } },
    parseAs: "arrayBuffer",
  });
  const bytes = new Uint8Array(workbook.data ?? new ArrayBuffer(0));
  check(bytes[0] === 0x50 && bytes[1] === 0x4b, "download form.xlsx as bytes");
  const csv = await anyone.GET("/api/v1/evaluations.csv", {
    params: { query: { fiscal_year: [Number(year)] } },
    parseAs: "text",
  });
  check((csv.data ?? "").split("\n").length === 3, "download the list as CSV");

  const seen: number[] = [];
  let pages = 0;
  for (let cursor: string | undefined; ; ) {
    const page: Page | undefined = await listPage(anyone, cursor);
    if (!page) {
      check(false, "list a page");
      return;
    }
    seen.push(...page.items.map((item) => item.id));
    pages += 1;
    cursor = page.next_cursor ?? undefined;
    if (!cursor) break;
  }
  check(
    seen.includes(id) && new Set(seen).size === seen.length && pages >= 3,
    `page through the list (${pages} pages, ${seen.length} forms)`,
  );
}

main().catch((error: unknown) => {
  console.log(`typescript: FAILED: ${String(error)}`);
  process.exit(1);
});
