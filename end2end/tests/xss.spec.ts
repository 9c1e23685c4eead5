import { APIRequestContext, expect, request, test, Page } from "@playwright/test";
import { PAYLOADS } from "./xss-payloads";

// Every payload goes through every field a reader can write: comment name, body and email,
// report note, correction suggestion, note and email. Then the pages that show them are
// opened in Chromium: no script may run and each payload must read exactly as typed.
const ARTICLE = "/articles/record-field-of-11-000-runners-expected-for-kellsbury-marathon";
const STAFF = { email: "desk@copydesk.example", password: "playwright demo desk" };

// An address of one's own per payload: public writes are rate-limited per reader.
const reader = (i: number, field: number) => ({ "x-forwarded-for": `198.18.${field}.${i + 1}` });
// Emails cannot hold spaces or a second "@"; the payloads that can be one become the local part.
const asEmail = (payload: string) => (/[\s@]/.test(payload) ? "" : `${payload}@example.org`);
const EMAILS = PAYLOADS.map(asEmail).filter((e) => e !== "");

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ baseURL }) => {
  expect(PAYLOADS.length).toBeGreaterThanOrEqual(50);
  expect(EMAILS.length).toBeGreaterThanOrEqual(15);
  const api = await request.newContext({ baseURL, maxRedirects: 0 });
  // As the desk's own page sends it: a staff session needs the site named.
  const staff = await request.newContext({ baseURL, maxRedirects: 0, extraHTTPHeaders: { origin: baseURL! } });
  const signedIn = await staff.post("/staff/login", { form: { ...STAFF, next: "/staff" } });
  expect(signedIn.status()).toBe(303);
  // Published at once on this article, so the payloads reach its public page.
  const slug = ARTICLE.split("/").pop()!;
  expect((await staff.post("/staff/settings/article", { form: { slug, mode: "post" } })).status()).toBe(303);

  for (const [i, payload] of PAYLOADS.entries()) {
    const posted = await api.post(`${ARTICLE}/comments`, {
      headers: reader(i, 1),
      form: { name: payload, email: asEmail(payload), body: payload, website: "" },
    });
    expect(posted.status(), `comment ${payload}`).toBe(303);
    const suggested = await api.post(`${ARTICLE}/correction`, {
      headers: reader(i, 2),
      form: { quote: "", kind: "other", suggested: payload, note: payload, email: asEmail(payload), website: "" },
    });
    expect(suggested.status(), `suggestion ${payload}`).toBe(303);
  }
  const page = await (await api.get(ARTICLE)).text();
  const target = page.match(/id="comment-(\d+)"/)![1];
  for (const [i, payload] of PAYLOADS.entries()) {
    const reported = await api.post(`${ARTICLE}/comments/${target}/report`, {
      headers: reader(i, 3),
      form: { reason: "other", note: payload },
    });
    expect(reported.status(), `report ${payload}`).toBe(303);
  }
  await api.dispose();
  await staff.dispose();
});

/// Opens each of `paths` and returns their visible text, failing on any sign of a script
/// having run or of markup having been made from reader text.
async function visibleText(page: Page, paths: string[]): Promise<string> {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  let text = "";
  for (const path of paths) {
    const response = await page.goto(path);
    if (response?.status() === 404) continue;
    expect(response?.status(), path).toBe(200);
    await page.waitForLoadState("networkidle");
    const found = await page.evaluate(() => {
      const w = window as any;
      const handlers = [...document.querySelectorAll("*")].flatMap((el) =>
        [...el.attributes].filter((a) => a.name.startsWith("on")).map((a) => `${el.tagName} ${a.name}`),
      );
      const scriptUrls = [...document.querySelectorAll("[href],[src],[action],[data],[formaction]")].filter((el) =>
        ["href", "src", "action", "data", "formaction"].some((n) => /^\s*(javascript|data):/i.test(el.getAttribute(n) ?? "")),
      );
      const foreign = document.querySelectorAll("main iframe, main object, main embed, main svg script, main img[src='x']");
      return {
        flagged: w.__xss !== undefined,
        handlers,
        scriptUrls: scriptUrls.map((el) => el.outerHTML.slice(0, 80)),
        foreign: foreign.length,
        text: document.body.innerText,
      };
    });
    expect(found.flagged, `${path}: a payload set window.__xss`).toBe(false);
    expect(found.handlers, `${path}: event handler attributes`).toEqual([]);
    expect(found.scriptUrls, `${path}: javascript: or data: URLs`).toEqual([]);
    expect(found.foreign, `${path}: elements made from payloads`).toBe(0);
    text += found.text + "\n";
  }
  expect(dialogs, "no alert, confirm or prompt opened").toEqual([]);
  return text;
}

const missing = (text: string, expected: string[]) => expected.filter((p) => !text.includes(p));

async function signIn(page: Page) {
  await page.goto("/staff/login?next=/staff");
  await page.getByLabel("Email").fill(STAFF.email);
  await page.getByLabel("Password").fill(STAFF.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Staff desk" })).toBeVisible();
}

test("comment names and bodies show verbatim on the article page and run nothing", async ({ page }) => {
  const text = await visibleText(page, [ARTICLE, `${ARTICLE}?cpage=2`, `${ARTICLE}?cpage=3`]);
  expect(missing(text, PAYLOADS)).toEqual([]);
  // The reader-facing pages around it stay clean too.
  await visibleText(page, ["/", "/corrections", `${ARTICLE}/correction`]);
});

test("the staff queues show every reader field verbatim and run nothing", async ({ page }) => {
  await signIn(page);
  const queues = await visibleText(page, [
    "/staff/comments?queue=all",
    "/staff/comments?queue=all&page=2",
    "/staff/comments?queue=all&page=3",
    "/staff/comments?queue=reported",
  ]);
  expect(missing(queues, PAYLOADS), "names and bodies").toEqual([]);
  expect(missing(queues, EMAILS), "emails").toEqual([]);
  const reported = await visibleText(page, ["/staff/comments?queue=reported"]);
  expect(missing(reported, PAYLOADS), "report notes").toEqual([]);
});

test("the correction desk shows every suggestion, note and email verbatim and runs nothing", async ({ page }) => {
  await signIn(page);
  const desk = await visibleText(page, ["/staff/corrections"]);
  expect(missing(desk, PAYLOADS)).toEqual([]);
  expect(missing(desk, EMAILS)).toEqual([]);
});
