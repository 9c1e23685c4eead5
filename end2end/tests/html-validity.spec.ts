// Every kind of page, reader and staff, as the server sends it, checked with the W3C Nu HTML
// checker (npm `vnu-jar`, run on the machine's Java): no errors allowed.
import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TRAM } from "./helpers";

const READER_PAGES = [
  "/",
  "/?page=2",
  TRAM,
  `${TRAM}?reply=1`,
  `${TRAM}/correction`,
  "/topics/transport",
  "/corrections",
  "/search",
  "/search?q=tram",
  "/authors/marta-okonkwo",
  "/search?q=qwertyuiop",
  "/articles/this-story-does-not-exist",
  "/staff/login",
  "/mail/unsubscribe?to=reader%40example.org&list=corrections&sig=not-a-signature",
];
const STAFF_PAGES = [
  "/staff",
  "/staff/comments",
  "/staff/comments?queue=all",
  "/staff/comments/bans",
  "/staff/corrections",
  "/staff/articles",
  "/staff/articles/new",
  `/staff${TRAM}/edit`,
  `/staff${TRAM}/revisions`,
  "/staff/settings",
  "/staff/audit",
  "/staff/team",
  "/staff/account",
  "/staff/dictionary",
  "/staff/authors",
  "/staff/authors/marta-okonkwo",
  "/staff/media",
  "/staff/inbox",
  "/staff/outbox",
];

type Message = { type: string; subType?: string; message: string; url: string; lastLine?: number; extract?: string };

/** The Nu checker's errors (and files it could not read) over all `files`. */
function nuErrors(files: string[]): Message[] {
  // With --exit-zero-always the checker reports only through its JSON, here on stdout.
  const jar = "node_modules/vnu-jar/build/dist/vnu.jar";
  const out = execFileSync("java", ["-jar", jar, "--format", "json", "--exit-zero-always", "--stdout", ...files], {
    maxBuffer: 64 * 1024 * 1024,
  }).toString();
  const { messages } = JSON.parse(out) as { messages: Message[] };
  return messages.filter((m) => m.type === "error" || m.type === "non-document-error");
}

test("every page kind is valid HTML by the W3C Nu checker", async ({ playwright, baseURL }) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), "copydesk-nu-"));
  const files: string[] = [];
  const save = (name: string, html: string) => {
    const file = join(dir, `${files.length}-${name.replace(/[^a-z0-9]+/gi, "_")}.html`);
    writeFileSync(file, html);
    files.push(file);
  };
  const reader = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": "198.51.100.77" } });
  for (const path of READER_PAGES) {
    const response = await reader.get(path);
    expect([200, 404], path).toContain(response.status());
    save(path, await response.text());
  }
  const staff = await playwright.request.newContext({ baseURL, maxRedirects: 0, extraHTTPHeaders: { origin: baseURL! } });
  const signedIn = await staff.post("/staff/login", {
    form: { email: "desk@copydesk.example", password: "playwright demo desk", next: "/staff" },
  });
  expect(signedIn.status()).toBe(303);
  for (const path of STAFF_PAGES) {
    const response = await staff.get(path);
    expect(response.status(), path).toBe(200);
    save(path, await response.text());
  }
  // A draft's editor, with its schedule form.
  const draft = await staff.post("/staff/articles", {
    form: { title: `Validity draft ${Date.now()}`, slug: "", byline: "Desk", topics: "", body: "Text." },
  });
  expect(draft.status()).toBe(303);
  save("draft-editor", await (await staff.get(draft.headers()["location"].split("?")[0])).text());
  // Turning a comment into a correction, from the first link the queue gives.
  const queue = await (await staff.get("/staff/comments?queue=approved")).text();
  const fromComment = queue.match(/\/staff\/comments\/\d+\/correction/);
  expect(fromComment, "the queue links to it").not.toBeNull();
  save("comment-correction", await (await staff.get(fromComment![0])).text());
  // The article as a signed-in editor reads it, too.
  save("staff-reading", await (await staff.get(TRAM)).text());
  try {
    const errors = nuErrors(files).map((m) => `${m.url.split("/").pop()}:${m.lastLine}: ${m.message} [${m.extract ?? ""}]`);
    expect(errors, errors.join("\n")).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
