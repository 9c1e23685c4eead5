import { expect, test, Page } from "@playwright/test";
import { SCHOOL, actAsReader, commentBox, openComments } from "./helpers";

const CLINIC = "/articles/waiting-times-at-city-health-clinics-fall-for-the-first-time-in-five-years";

test.beforeEach(async ({ context }, testInfo) => {
  await actAsReader(context, testInfo.title);
});

async function signIn(page: Page, next = "/staff") {
  await page.goto(next);
  await expect(page).toHaveURL(/\/staff\/login\?next=/);
  await page.getByLabel("Email").fill("desk@copydesk.example");
  await page.getByLabel("Password").fill("playwright demo desk");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Staff desk" })).toBeVisible();
}

const unique = (what: string) => `${what} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test("a moderator approves one pending comment, rejects another, and signs out", async ({ page, browser }) => {
  // A reader writes two comments; both wait for moderation.
  const reader = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "198.51.100.201" } });
  const readerPage = await reader.newPage();
  await openComments(readerPage, SCHOOL);
  const keep = unique("Please publish the menus a week ahead.");
  const drop = unique("This one should not appear.");
  for (const text of [keep, drop]) {
    await commentBox(readerPage).getByLabel("Name").fill("Lena");
    await commentBox(readerPage).getByLabel("Comment").fill(text);
    await commentBox(readerPage).getByRole("button", { name: "Post comment" }).click();
    await expect(readerPage.locator(".comment-box .comment", { hasText: text })).toBeVisible();
  }
  await reader.close();

  await signIn(page, "/staff/comments");
  await expect(page).toHaveURL(/\/staff\/comments$/);
  const keepItem = page.locator(".queue-item", { hasText: keep });
  await expect(keepItem.getByText("Held: pre-moderation")).toBeVisible();
  await keepItem.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByRole("status").filter({ hasText: "1 comment approved." })).toBeVisible();

  const dropItem = page.locator(".queue-item", { hasText: drop });
  await dropItem.getByLabel("Reason (optional)").fill("Test of rejection");
  await dropItem.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByRole("status").filter({ hasText: "1 comment rejected." })).toBeVisible();
  await expect(page.locator(".queue-item", { hasText: drop })).toHaveCount(0);
  await page.goto("/staff/comments?queue=rejected");
  const rejected = page.locator(".queue-item", { hasText: drop });
  await expect(rejected).toBeVisible();
  await expect(rejected.getByText("Rejected", { exact: true })).toBeVisible();
  await page.goto("/staff/comments");

  // Readers see the approved comment and not the rejected one.
  const anonymous = await browser.newContext();
  const check = await anonymous.newPage();
  await check.goto(SCHOOL);
  await expect(check.locator("ol.comment-list > li.comment", { hasText: keep })).toBeVisible();
  await expect(check.getByText(drop)).toHaveCount(0);
  await anonymous.close();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("status")).toHaveText("You have signed out.");
  await page.goto("/staff/comments");
  await expect(page).toHaveURL(/\/staff\/login/);
});

test("keyboard shortcuts move through the queue and approve", async ({ page, browser }) => {
  const reader = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "198.51.100.202" } });
  const readerPage = await reader.newPage();
  await openComments(readerPage, SCHOOL);
  const text = unique("Approved from the keyboard.");
  await commentBox(readerPage).getByLabel("Name").fill("Kai");
  await commentBox(readerPage).getByLabel("Comment").fill(text);
  await commentBox(readerPage).getByRole("button", { name: "Post comment" }).click();
  await expect(readerPage.locator(".comment-box .comment", { hasText: text })).toBeVisible();
  await reader.close();

  await signIn(page, "/staff/comments?queue=pending");
  await expect(page.locator(".queue-live")).toBeVisible();
  // Wait for the queue island to hydrate, then walk to the comment with J.
  const items = page.locator(".queue-item");
  const target = page.locator(".queue-item", { hasText: text });
  await expect(target).toBeVisible();
  const index = await items.evaluateAll((els, t) => els.findIndex((e) => e.textContent!.includes(t)), text);
  await expect(async () => {
    await page.locator("body").click({ position: { x: 1, y: 1 } });
    await page.keyboard.press("j");
    await expect(items.first()).toBeFocused({ timeout: 500 });
  }).toPass();
  for (let i = 0; i < index; i++) await page.keyboard.press("j");
  await expect(target).toBeFocused();
  await page.keyboard.press("a");
  await expect(page.getByRole("status").filter({ hasText: "1 comment approved." })).toBeVisible();
  await expect(page.locator(".queue-item", { hasText: text })).toHaveCount(0);
});

test("the queue says so without a reload when new comments arrive", async ({ page, request }) => {
  await signIn(page, "/staff/comments?queue=pending");
  const changed = page.locator(".queue-changed");
  await expect(changed).toBeEmpty();
  const posted = await request.post(`${SCHOOL}/comments`, {
    headers: { "x-forwarded-for": "198.51.100.205" },
    form: { name: "Noor", body: unique("A comment that arrives while the queue is open.") },
    maxRedirects: 0,
  });
  expect(posted.status()).toBe(303);
  // The island checks the count every 15 seconds.
  await expect(changed).toContainText(/\d+ now waiting here\./, { timeout: 20_000 });
  await changed.getByRole("link", { name: "Reload" }).click();
  await expect(page.locator(".queue-item", { hasText: "A comment that arrives while the queue is open." }).first()).toBeVisible();
});

test("an editor applies a reader's correction and readers see the fix and the notice", async ({ page, request }) => {
  // Sent as the correction form posts it without JavaScript.
  const suggestion = await request.post(`${CLINIC}/correction`, {
    headers: { "x-forwarded-for": "198.51.100.203" },
    form: { quote: "recepcionists", prefix: "several clinics are already short of ", suffix: ". The board", kind: "typo", suggested: "receptionists", note: "Spelling", email: "" },
    maxRedirects: 0,
  });
  expect(suggestion.status()).toBe(303);

  await signIn(page, "/staff/corrections");
  const group = page.locator(".correction-group", { hasText: "recepcionists" });
  await expect(group.locator("mark")).toHaveText("recepcionists");
  await expect(group.locator(".correction-diff ins")).toHaveText("receptionists");
  await expect(group.getByLabel("Public note")).toHaveValue(/misspelled “receptionists” as “recepcionists”/);
  await group.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status")).toHaveText("The fix is saved as a new revision and the notice is published.");

  await page.goto(CLINIC);
  await expect(page.locator(".article-body")).toContainText("short of receptionists.");
  await expect(page.locator(".article-body")).not.toContainText("recepcionists");
  await expect(page.locator(".correction-notice")).toContainText(/^Correction, \d{1,2} \w+ \d{4}: An earlier version of this article misspelled/);
  await expect(page.locator(".dateline")).toContainText("Updated");
  await page.goto("/corrections");
  await expect(page.getByText(/misspelled “receptionists”/)).toBeVisible();
});

test("the staff pages have no accessibility violations", async ({ page }) => {
  // Thirteen pages, each checked twice, on a 2-core machine beside the other workers.
  test.setTimeout(90_000);
  const AxeBuilder = (await import("@axe-core/playwright")).default;
  await signIn(page, "/staff");
  const pages = [
    "/staff", "/staff/comments?queue=all", "/staff/comments/bans", "/staff/corrections?status=all", "/staff/audit",
    "/staff/settings", "/staff/articles", "/staff/articles/new", `/staff${CLINIC}/edit`, `/staff${CLINIC}/revisions`,
    "/staff/authors", "/staff/authors/marta-okonkwo", "/staff/login",
  ];
  for (const path of pages) {
    await page.goto(path);
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
    expect(results.violations.map((v) => `${path}: ${v.id}: ${v.help}`)).toEqual([]);
  }
});

/** The body field and the preview beside it, once the preview island follows typing. */
async function typeBody(page: Page, text: string, shown: RegExp) {
  const body = page.getByLabel("Text", { exact: true });
  await expect(async () => {
    await body.fill(text);
    await expect(page.locator(".preview-body")).toContainText(shown, { timeout: 2_000 });
  }).toPass();
}

test("an editor writes a draft with a live preview, publishes, edits, reads the history and unpublishes", async ({ page, browser }) => {
  const headline = unique("Ferry timetable changes");
  await signIn(page, "/staff/articles");
  await page.getByRole("link", { name: "New article" }).click();
  await page.getByLabel("Headline").fill(headline);
  await page.getByLabel("Byline").fill("Rui Okafor");
  await page.getByLabel("Topics").fill("Transport, Harbour");
  await typeBody(page, "The ferry will sail *twice* an hour.\n\nTickets stay the same price.", /twice an hour/);
  await expect(page.locator(".preview-body em")).toHaveText("twice");
  await expect(page.locator(".preview-status")).toHaveText("Showing your changes (not saved yet).");
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Draft created." })).toBeVisible();
  const slug = new URL(page.url()).pathname.split("/")[3];

  // Readers cannot see a draft.
  const reader = await browser.newContext();
  const readerPage = await reader.newPage();
  expect((await readerPage.goto(`/articles/${slug}`))!.status()).toBe(404);

  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Published: readers can see the article now." })).toBeVisible();
  await readerPage.goto(`/articles/${slug}`);
  await expect(readerPage.getByRole("heading", { level: 1 })).toHaveText(headline);
  await expect(readerPage.locator(".dateline")).not.toContainText("Updated");

  await typeBody(page, "The ferry will sail *three times* an hour.\n\nTickets stay the same price.", /three times/);
  await page.getByLabel("What changed (optional, kept in the history)").fill("New frequency from the operator");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved as a new revision." })).toBeVisible();
  await readerPage.reload();
  await expect(readerPage.locator(".article-body")).toContainText("three times an hour");
  await expect(readerPage.locator(".dateline")).toContainText("Updated");

  await page.getByRole("link", { name: "History" }).click();
  const latest = page.locator("#revision-2");
  await expect(latest).toContainText("by Demo Editor");
  await expect(latest).toContainText("Changed text: New frequency from the operator");
  await expect(latest.locator("ins")).toHaveText("*three times* ");
  await expect(latest.locator("del")).toHaveText("*twice* ");
  await expect(page.locator("#revision-1")).toContainText("Created");

  await page.getByRole("link", { name: "Back to the editor" }).click();
  await page.getByRole("button", { name: "Unpublish" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Unpublished" })).toBeVisible();
  expect((await readerPage.goto(`/articles/${slug}`))!.status()).toBe(404);
  await reader.close();
});

test("a suggestion across formatting opens the editor at its paragraph, then is accepted with a note", async ({ page, request }) => {
  const headline = unique("Mayor opens the harbour walk");
  await signIn(page, "/staff/articles/new");
  await page.getByLabel("Headline").fill(headline);
  await page.getByLabel("Byline").fill("Ada Quill");
  await page.getByLabel("Text", { exact: true }).fill("The walk is two kilometres long.\n\nMayor Ingrid *Halvorson* cut the ribbon.\n\nIt opens at dawn.");
  await page.getByRole("button", { name: "Create draft" }).click();
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Published" })).toBeVisible();
  const slug = new URL(page.url()).pathname.split("/")[3];

  const suggestion = await request.post(`/articles/${slug}/correction`, {
    headers: { "x-forwarded-for": "198.51.100.204" },
    form: { quote: "Ingrid Halvorson", prefix: "Mayor ", suffix: " cut the", kind: "typo", suggested: "Ingrid Halvorsen", note: "", email: "" },
    maxRedirects: 0,
  });
  expect(suggestion.status()).toBe(303);

  await page.goto("/staff/corrections");
  const group = page.locator(".correction-group", { hasText: headline });
  await group.getByRole("link", { name: "Open the editor at this paragraph" }).click();
  await expect(page.locator(".editor-pointer")).toHaveText("Mayor Ingrid *Halvorson* cut the ribbon.");
  // The island selects that paragraph in the text field.
  const body = page.getByLabel("Text", { exact: true });
  await expect(body).toBeFocused();
  const selected = await body.evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd));
  expect(selected).toBe("Mayor Ingrid *Halvorson* cut the ribbon.");

  await body.fill("The walk is two kilometres long.\n\nMayor Ingrid *Halvorsen* cut the ribbon.\n\nIt opens at dawn.");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page).toHaveURL(/\/staff\/corrections\?done=edited/);
  await expect(page.getByRole("status")).toHaveText("The article is saved. Accept the suggestion below to publish its note.");
  const decided = page.locator(".correction-group", { hasText: headline });
  await decided.getByRole("button", { name: "Accept and publish the note" }).click();
  await expect(page.getByRole("status")).toHaveText("Accepted; the notice is published.");

  await page.goto(`/articles/${slug}`);
  await expect(page.locator(".article-body")).toContainText("Mayor Ingrid Halvorsen cut the ribbon.");
  await expect(page.locator(".correction-notice")).toContainText("misspelled “Ingrid Halvorsen” as “Ingrid Halvorson”");
});

test("an editor schedules a draft, sees when it goes live, and cancels it", async ({ page, browser }) => {
  const AxeBuilder = (await import("@axe-core/playwright")).default;
  const headline = unique("Embargoed figures");
  await signIn(page, "/staff/articles/new");
  await page.getByLabel("Headline").fill(headline);
  await page.getByLabel("Byline").fill("Rui Okafor");
  await typeBody(page, "The figures show a surplus.", /surplus/);
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Draft created." })).toBeVisible();
  const slug = new URL(page.url()).pathname.split("/")[3];

  // Two minutes ahead, in UTC as the field says.
  const at = new Date(Date.now() + 120_000).toISOString().slice(0, 16);
  await page.getByLabel("Publish at (UTC)").fill(at);
  await page.getByRole("button", { name: "Schedule" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Scheduled: it will be published at the time set." })).toBeVisible();
  await expect(page.locator(".queue-meta").first()).toContainText("Scheduled for");
  await expect(page.getByLabel("Publish at (UTC)")).toHaveValue(at);
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
    expect(results.violations.map((v) => `${scheme}: ${v.id}: ${v.help}`)).toEqual([]);
  }
  const reader = await browser.newContext();
  expect((await (await reader.newPage()).goto(`/articles/${slug}`))!.status()).toBe(404);
  await reader.close();

  // A time already gone is refused with the reason, and the schedule stays as it was.
  await page.getByLabel("Publish at (UTC)").fill("2020-01-01T09:00");
  await page.getByRole("button", { name: "Change the time" }).click();
  await expect(page.getByRole("alert")).toContainText("The article was not scheduled");
  await expect(page.locator("#field-publish_at-error")).toContainText("That time has passed");

  await page.goto(`/staff/articles/${slug}/edit`);
  await page.getByRole("button", { name: "Cancel the schedule" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Schedule cancelled" })).toBeVisible();
  await expect(page.locator(".queue-meta").first()).toContainText("Draft, never published");
});

test("the inbox shows every kind of waiting work, and applying a suggestion tells its reporter in the outbox", async ({ page }) => {
  const AxeBuilder = (await import("@axe-core/playwright")).default;
  await signIn(page, "/staff/inbox");
  await expect(page.getByRole("heading", { name: "Inbox", exact: true })).toBeVisible();
  // The demo's waiting work: held and reported comments and a suggestion on one story.
  const story = page.locator(".inbox-story", { hasText: "Heat Pump Grants" });
  await expect(story.locator(".inbox-item[data-kind=comment]").first()).toBeVisible();
  await expect(story.locator(".inbox-item[data-kind=report]", { hasText: "reported as spam" })).toBeVisible();
  const suggestion = story.locator(".inbox-item[data-kind=suggestion]", { hasText: "2,430 applications" });
  await expect(suggestion).toContainText(/waited /);
  for (const path of ["/staff/inbox", "/staff/inbox?kind=suggestion", "/staff/outbox"]) {
    await page.goto(path);
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
      expect(results.violations.map((v) => `${path} ${scheme}: ${v.id}: ${v.help}`)).toEqual([]);
    }
  }
  await page.emulateMedia({ colorScheme: "light" });

  await page.goto("/staff/inbox?kind=suggestion");
  await page.locator(".inbox-item", { hasText: "2,430 applications" }).getByRole("link", { name: /^Decide/ }).click();
  await expect(page).toHaveURL(/\/staff\/corrections#group-\d+$/);
  const group = page.locator(".correction-group", { hasText: "2,430 applications" });
  await group.getByLabel("Public note").fill("An earlier version gave the wrong number of applications.");
  await group.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status")).toHaveText("The fix is saved as a new revision and the notice is published.");

  // No mail server in the demo: the reporter's message waits in the outbox, readable there.
  await page.goto("/staff/outbox");
  await expect(page.getByText(/Mail is not sent \(no COPYDESK_SMTP_URL\)/)).toBeVisible();
  const message = page.locator(".outbox-message", { hasText: "To reader@example.org" });
  await expect(message.getByRole("heading")).toHaveText("Your correction was published: Heat Pump Grants Draw Four Times More Applications Than Expected");
  await message.getByText("Read the message").click();
  await expect(message.locator(".outbox-text")).toContainText("2,340 applications");
  await expect(message.locator(".outbox-text")).toContainText("Correction: An earlier version gave the wrong number of applications.");
  await expect(message.locator(".outbox-text")).toContainText("/mail/unsubscribe?to=reader%40example.org&list=corrections&sig=");
});

test("a moderator turns a comment into a correction, and the desk answers under it once it is fixed", async ({ page }) => {
  const AxeBuilder = (await import("@axe-core/playwright")).default;
  await signIn(page, "/staff/comments?queue=approved");
  const item = page.locator(".queue-item", { hasText: "not 6.1 million" });
  await item.getByRole("link", { name: "Turn into a correction" }).click();
  await expect(page.getByRole("heading", { name: "Correction from a comment" })).toBeVisible();
  await expect(page.locator(".article-source")).toContainText("The programme will cost 6.1 million euros a year.");
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
    expect(results.violations.map((v) => `${scheme}: ${v.id}: ${v.help}`)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: "light" });

  // Words that are not in the story are refused, with what was typed kept.
  await page.getByLabel("Words in the article that are wrong").fill("6.2 million euros");
  await page.getByLabel("What it should say").fill("6.4 million euros");
  await page.getByRole("button", { name: "Send to the corrections desk" }).click();
  await expect(page.getByRole("alert")).toHaveText("Please check the highlighted fields.");
  await expect(page.locator("#field-quote-error")).toContainText("These words are not in the article");
  await expect(page.getByLabel("What it should say")).toHaveValue("6.4 million euros");
  await page.getByLabel("Words in the article that are wrong").fill("6.1 million euros");
  await page.getByRole("button", { name: "Send to the corrections desk" }).click();
  await expect(page).toHaveURL(/\/staff\/corrections\?done=from-comment#group-\d+$/);
  await expect(page.getByRole("status")).toHaveText("The suggestion from the comment is on the desk.");

  const group = page.locator(".correction-group", { hasText: "6.1 million euros" });
  await expect(group.getByRole("link", { name: "a comment by Lena Hoffmann" })).toBeVisible();
  await group.getByLabel("Public note").fill("An earlier version gave the programme's cost as 6.1 million euros a year.");
  await group.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status")).toHaveText("The fix is saved as a new revision and the notice is published.");

  await page.goto("/staff/corrections?status=accepted");
  const fixed = page.locator(".correction-group", { hasText: "6.1 million euros" });
  await fixed.getByRole("button", { name: /^Reply “Corrected: An earlier version gave the programme's cost/ }).click();
  await expect(page.getByRole("status")).toHaveText("The reply is posted under the comment.");
  await expect(page.locator(".correction-group", { hasText: "6.1 million euros" }).getByRole("link", { name: "Answered under the comment" })).toBeVisible();

  await page.goto("/articles/free-school-lunches-extended-to-all-primary-pupils");
  await expect(page.locator(".article-body")).toContainText("The programme will cost 6.4 million euros a year.");
  // The innermost match: the comment it answers contains it too.
  const reply = page.locator("li.comment", { hasText: "Corrected: An earlier version gave the programme's cost" }).last();
  await expect(reply).toBeVisible();
  await expect(reply).toContainText("Staff");
});
