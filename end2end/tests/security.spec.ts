import { expect, test, Page } from "@playwright/test";
import { LIBRARY, actAsReader, commentBox, dialog, dragSelect, openArticle, openComments } from "./helpers";

test.beforeEach(async ({ context }, testInfo) => {
  await actAsReader(context, testInfo.title);
  // Every Content-Security-Policy violation on any page is recorded for the test to read.
  await context.addInitScript(() => {
    (window as any).cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as any).cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
});

const violations = (page: Page) => page.evaluate(() => (window as any).cspViolations as string[]);

test("the islands hydrate and work under the Content-Security-Policy without violations", async ({ page }) => {
  await openArticle(page);
  await dragSelect(page, ".article-body", "diffrence");
  await page.keyboard.press("Control+Enter");
  await expect(dialog(page)).toBeVisible();
  await page.keyboard.press("Escape");
  expect(await violations(page)).toEqual([]);

  await openComments(page, LIBRARY);
  await commentBox(page).getByLabel("Name").fill("Ines");
  await commentBox(page).getByLabel("Comment").fill("Posted under a strict policy.");
  await commentBox(page).getByRole("button", { name: "Post comment" }).click();
  await expect(page.locator(".comment-box .comment", { hasText: "Posted under a strict policy." })).toBeVisible();
  expect(await violations(page)).toEqual([]);

  await page.goto("/staff/login?next=/staff/articles/new");
  await page.getByLabel("Email").fill("desk@copydesk.example");
  await page.getByLabel("Password").fill("playwright demo desk");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(async () => {
    await page.getByLabel("Text", { exact: true }).fill("A *live* preview.");
    await expect(page.locator(".preview-body em")).toHaveText("live", { timeout: 2_000 });
  }).toPass();
  expect(await violations(page)).toEqual([]);
});
