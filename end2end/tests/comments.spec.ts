import { expect, test, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { BUDGET, LIBRARY, SCHOOL, TRAM, actAsReader, commentBox, openComments } from "./helpers";

test.beforeEach(async ({ context }, testInfo) => {
  await actAsReader(context, testInfo.title);
});

/** A comment text no other test writes. */
const unique = (what: string) => `${what} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function write(page: Page, name: string, body: string) {
  const form = commentBox(page);
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Comment").fill(body);
  await form.getByRole("button", { name: "Post comment" }).click();
}

test("a comment on a pre-moderated article waits, and only its author sees it", async ({ page, browser }) => {
  await openComments(page, SCHOOL);
  const text = unique("Will the lunches include a vegetarian choice every day?");
  await write(page, "Hana", text);
  await expect(page.getByRole("status").filter({ hasText: "Your comment is awaiting moderation." })).toBeVisible();
  const mine = page.locator(".comment-box .comment", { hasText: text });
  await expect(mine.getByText("Awaiting moderation")).toBeVisible();
  await expect(commentBox(page).getByLabel("Comment")).toHaveValue("");
  await expect(commentBox(page).getByLabel("Name")).toHaveValue("Hana");

  // After a reload the server shows it to this browser, marked pending.
  await page.reload();
  const listed = page.locator("ol.comment-list > li.comment-pending", { hasText: text });
  await expect(listed.getByText("Awaiting moderation")).toBeVisible();

  // Another reader does not see it.
  const other = await browser.newContext();
  const stranger = await other.newPage();
  await stranger.goto(SCHOOL);
  await expect(stranger.locator("#comments")).toBeVisible();
  await expect(stranger.getByText(text)).toHaveCount(0);
  await other.close();
});

test("on a post-moderated article the comment is in the list at once", async ({ page }) => {
  await openComments(page, LIBRARY);
  const text = unique("Sunday opening will help students a lot. See www.example.org/hours");
  await write(page, "Omar", text);
  await expect(page.getByRole("status").filter({ hasText: "Your comment is published." })).toBeVisible();
  await expect(page.locator(".comment-box .comment", { hasText: text })).toBeVisible();
  await page.reload();
  const listed = page.locator("ol.comment-list > li.comment", { hasText: text });
  await expect(listed).toBeVisible();
  await expect(listed.getByText("Awaiting moderation")).toHaveCount(0);
  await expect(listed.getByRole("link", { name: "www.example.org/hours" })).toHaveAttribute("rel", "nofollow ugc noopener");
  await expect(page.getByRole("heading", { name: /^Comments \([1-9]\d*\)$/ })).toBeVisible();
});

test("errors appear next to their fields and the text is kept", async ({ page }) => {
  await openComments(page, SCHOOL);
  const form = commentBox(page);
  await form.getByLabel("Comment").fill("A comment without a name");
  await form.getByLabel("Email", { exact: true }).fill("not-an-address");
  await form.getByRole("button", { name: "Post comment" }).click();
  await expect(form.getByText("Enter your name.")).toBeVisible();
  await expect(form.getByText("Enter an email address like name@example.org, or leave it empty.")).toBeVisible();
  await expect(form.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Name")).toBeFocused();
  await expect(form.getByLabel("Name")).toHaveAttribute("aria-describedby", /comment-name-error/);
  await expect(form.getByLabel("Comment")).toHaveValue("A comment without a name");
  // The server refuses what the browser let through, in the same place.
  await form.getByLabel("Name").fill("Ines");
  await form.getByLabel("Email", { exact: true }).fill("");
  await form.getByLabel("Comment").fill("x".repeat(10) + "\u0007");
  await form.getByRole("button", { name: "Post comment" }).click();
  await expect(form.getByText("Your comment contains characters we cannot accept.")).toBeVisible();
});

test("a reader replies to a comment and sees the reply under it", async ({ page }) => {
  await openComments(page, TRAM);
  const first = page.locator("#comment-1");
  await first.getByRole("button", { name: "Reply" }).first().click();
  const form = page.getByRole("form", { name: "Reply to Marit Olsen" });
  await expect(form.getByLabel("Name")).toBeFocused();
  // The copied form is checked in place like the one under the article.
  await form.getByRole("button", { name: "Post reply" }).click();
  await expect(form.getByText("Enter your name.")).toBeVisible();
  await expect(form.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  const text = unique("The depot site floods every spring, so I hope they raise it.");
  await form.getByLabel("Name").fill("Teodor");
  await form.getByLabel("Comment").fill(text);
  await form.getByRole("button", { name: "Post reply" }).click();
  await expect(form).toHaveCount(0);
  await expect(first.getByRole("status").first()).toHaveText("Your comment is awaiting moderation.");
  await expect(first.locator(".replies .comment", { hasText: text }).first()).toBeVisible();
  await page.reload();
  // Stored as a reply to that comment: nested under it.
  await expect(page.locator("#comment-1 > ol.replies > li.comment-pending", { hasText: text })).toBeVisible();
});

test("Reply and Report open in place, one at a time, and Cancel gives the focus back", async ({ page }) => {
  await openComments(page, TRAM);
  const first = page.locator("#comment-1");
  const reply = first.getByRole("button", { name: "Reply" }).first();
  const report = first.getByRole("button", { name: "Report" }).first();
  await expect(reply).toHaveAttribute("aria-expanded", "false");
  await reply.click();
  await expect(reply).toHaveAttribute("aria-expanded", "true");
  const form = page.getByRole("form", { name: "Reply to Marit Olsen" });
  await expect(form).toBeVisible();
  // Opening Report closes Reply: one form under a comment at a time.
  await report.click();
  await expect(form).toHaveCount(0);
  await expect(reply).toHaveAttribute("aria-expanded", "false");
  await expect(report).toHaveAttribute("aria-expanded", "true");
  const reportForm = page.getByRole("form", { name: "Report this comment" });
  await reportForm.getByRole("link", { name: "Cancel" }).click();
  await expect(reportForm).toHaveCount(0);
  await expect(report).toBeFocused();
  await expect(report).toHaveAttribute("aria-expanded", "false");
  // The page did not reload or navigate.
  await expect(page).not.toHaveURL(/report=/);
});

test("a reader reports a comment once", async ({ page }) => {
  await openComments(page, TRAM);
  const comment = page.locator("ol.comment-list > li.comment", { hasText: "Mill Street" });
  await comment.getByRole("button", { name: "Report" }).click();
  const form = page.getByRole("form", { name: "Report this comment" });
  await form.getByRole("button", { name: "Send report" }).click();
  await expect(form.getByText("Choose a reason.")).toBeVisible();
  await form.getByLabel("Something else").check();
  await form.getByRole("button", { name: "Send report" }).click();
  await expect(form.getByText("Say briefly what is wrong with this comment.")).toBeVisible();
  await form.getByLabel("Off-topic").check();
  await form.getByRole("button", { name: "Send report" }).click();
  await expect(comment.getByRole("status")).toHaveText("Thank you. A moderator will review this comment.");
  await expect(comment.getByRole("button", { name: "Report" })).toBeFocused();
  // The same reader again: counted once.
  await comment.getByRole("button", { name: "Report" }).click();
  await page.getByRole("form", { name: "Report this comment" }).getByLabel("Spam or advertising").check();
  await page.getByRole("form", { name: "Report this comment" }).getByRole("button", { name: "Send report" }).click();
  await expect(comment.getByRole("status")).toHaveText("You have already reported this comment.");
});

test("a closed article shows its comments without a form", async ({ page }) => {
  await page.goto(BUDGET);
  await expect(page.getByText("Comments are closed.")).toBeVisible();
  await expect(commentBox(page)).toHaveCount(0);
});

test("the order switch shows newest first", async ({ page }) => {
  await page.goto(TRAM);
  await page.getByRole("link", { name: "Newest first" }).click();
  await expect(page).toHaveURL(/order=newest/);
  const authors = page.locator("ol.comment-list > li.comment > article .comment-author");
  await expect(authors.first()).toHaveText("Priya Natarajan");
  await expect(page.getByRole("link", { name: "Newest first" })).toHaveAttribute("aria-current", "true");
  await expect(page.getByRole("heading", { name: "Featured" })).toBeVisible();
});

test("the comment forms have no accessibility violations when open", async ({ page }) => {
  await openComments(page, TRAM);
  await page.locator("#comment-1").getByRole("button", { name: "Reply" }).first().click();
  await page.locator("#comment-2").getByRole("button", { name: "Report" }).first().click();
  await commentBox(page).getByRole("button", { name: "Post comment" }).click();
  await expect(commentBox(page).getByText("Enter your name.")).toBeVisible();
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});

test("asking to hear of replies needs an address, and with one the comment is posted", async ({ page }) => {
  await openComments(page, LIBRARY);
  const form = commentBox(page);
  const text = unique("Tell me when someone answers.");
  await form.getByLabel("Name").fill("Ines");
  await form.getByLabel("Comment").fill(text);
  await form.getByLabel("Email me when someone replies").check();
  await form.getByRole("button", { name: "Post comment" }).click();
  await expect(form.getByText("Enter your email to be told of replies, or untick the box.")).toBeVisible();
  await expect(form.getByLabel("Comment")).toHaveValue(text);
  await form.getByLabel("Email", { exact: true }).fill("ines@example.org");
  await form.getByRole("button", { name: "Post comment" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your comment is published." })).toBeVisible();
  // The address stays private: it is on no page readers see.
  await page.goto(LIBRARY);
  await expect(page.locator("ol.comment-list > li.comment", { hasText: text })).toBeVisible();
  expect(await page.content()).not.toContain("ines@example.org");
});

test("the whole flow works by keyboard alone", async ({ page }) => {
  await openComments(page, LIBRARY);
  // Tab from the top of the page to the comment box.
  let reached = false;
  for (let i = 0; i < 120 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.id === "comment-name");
  }
  expect(reached).toBe(true);
  const text = unique("Typed without a mouse.");
  await page.keyboard.type("Keyboard Reader");
  await page.keyboard.press("Tab"); // Email
  await page.keyboard.press("Tab"); // "Email me when someone replies"
  await page.keyboard.press("Tab"); // Comment
  await page.keyboard.type(text);
  await page.keyboard.press("Tab"); // Post comment (the honeypot is out of the tab order)
  await expect(commentBox(page).getByRole("button", { name: "Post comment" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "Your comment is published." })).toBeVisible();

  // Reply to the comment just written, from the list after a reload.
  await page.reload();
  await expect(page.locator("form.comment-form[novalidate]").first()).toBeAttached();
  const mine = page.locator("ol.comment-list > li.comment", { hasText: text });
  await mine.getByRole("button", { name: "Reply" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("form", { name: "Reply to Keyboard Reader" }).getByLabel("Name")).toBeFocused();
  await page.keyboard.type("Second Reader");
  await page.keyboard.press("Tab"); // Email
  await page.keyboard.press("Tab"); // "Email me when someone replies"
  await page.keyboard.press("Tab"); // Comment
  await page.keyboard.type("And a keyboard reply.");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(mine.getByRole("status").first()).toHaveText("Your comment is published.");
  await expect(mine.getByRole("button", { name: "Reply" })).toBeFocused();

  // Report it by keyboard: the first reason gets focus, arrows choose, Tab moves on.
  await page.keyboard.press("Tab");
  await expect(mine.getByRole("button", { name: "Report" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("form", { name: "Report this comment" }).getByLabel("Spam or advertising")).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByLabel("Abuse or harassment")).toBeChecked();
  await page.keyboard.press("Tab"); // Details
  await page.keyboard.press("Tab"); // Send report
  await page.keyboard.press("Enter");
  await expect(mine.getByRole("status").first()).toHaveText("Thank you. A moderator will review this comment.");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the same form posts, redirects back and shows the outcome", async ({ page }) => {
    await page.goto(SCHOOL);
    const text = unique("Posted with scripts switched off.");
    await write(page, "Plain Reader", text);
    await expect(page).toHaveURL(/posted=pending/);
    await expect(page.getByRole("status").filter({ hasText: "Your comment is awaiting moderation." })).toBeVisible();
    await expect(page.locator("ol.comment-list > li.comment-pending", { hasText: text })).toBeVisible();
  });

  test("errors come back from the server with the text kept", async ({ page }) => {
    await page.goto(SCHOOL);
    const form = commentBox(page);
    await form.getByLabel("Name").fill("Plain Reader");
    await form.getByLabel("Comment").fill("   ");
    await form.getByRole("button", { name: "Post comment" }).click();
    await expect(page.getByText("Write a comment before posting.")).toBeVisible();
    await expect(commentBox(page).getByLabel("Name")).toHaveValue("Plain Reader");
  });

  test("reply and report are links to forms that work", async ({ page }) => {
    // A reader of its own, so the report is theirs alone and must be thanked for.
    await page.setExtraHTTPHeaders({ "x-forwarded-for": "198.51.100.231" });
    await page.goto(TRAM);
    await page.locator("#comment-1").getByRole("link", { name: "Reply" }).first().click();
    await expect(page).toHaveURL(/reply=1/);
    const form = page.getByRole("form", { name: "Reply to Marit Olsen" });
    const text = unique("A plain reply.");
    await form.getByLabel("Name").fill("Plain Replier");
    await form.getByLabel("Comment").fill(text);
    await form.getByRole("button", { name: "Post reply" }).click();
    await expect(page.locator("#comment-1 > ol.replies > li.comment-pending", { hasText: text })).toBeVisible();

    await page.locator("#comment-2").getByRole("link", { name: "Report" }).first().click();
    const report = page.getByRole("form", { name: "Report this comment" });
    await report.getByLabel("Spam or advertising").check();
    await report.getByRole("button", { name: "Send report" }).click();
    await expect(page.locator("#comment-2").getByRole("status").first()).toHaveText(
      "Thank you. A moderator will review this comment.",
    );
  });
});
