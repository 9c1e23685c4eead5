import { expect, test, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

// The copy check in the editor: a misspelling typed is flagged in the live preview, fixed
// with its suggestion, and a new name is added to the house dictionary, without leaving the
// page or losing what was typed.

async function signIn(page: Page, next: string) {
  await page.goto(next);
  await page.getByLabel("Email").fill("desk@copydesk.example");
  await page.getByLabel("Password").fill("playwright demo desk");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("navigation", { name: "Staff desk" })).toBeVisible();
}

const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function newDraft(page: Page, body: string) {
  await signIn(page, "/staff/articles/new");
  await page.getByLabel("Headline").fill(`Bridge vote ${stamp()}`);
  await page.getByLabel("Byline").fill("Ada Quill");
  await page.getByLabel("Text", { exact: true }).fill(body);
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Draft created" })).toBeVisible();
}

test("a misspelling typed is flagged, fixed with its suggestion, and a name goes into the house dictionary", async ({ page }) => {
  const name = `Wierzbowsk${stamp().replace(/[0-9]/g, "a")}`;
  await newDraft(page, `Councillor ${name} spoke first.\n\nThe vote was close.`);
  const list = page.locator(".check-list");
  await expect(list.locator(".check-text")).toHaveText([name]);

  // Typing: the preview checks the text after a pause and marks the slip.
  const body = page.getByLabel("Text", { exact: true });
  await body.fill(`Councillor ${name} spoke first.\n\nThe vote was close and the council will recieve the plan.`);
  await expect(page.locator(".preview-body mark.check-flag", { hasText: "recieve" })).toBeVisible();
  const slip = list.locator(".check-item", { hasText: "recieve" });
  await expect(slip).toContainText("Possible misspelling");

  // One click puts the suggestion in the field; the check runs again.
  await slip.getByRole("button", { name: "Use “receive”" }).click();
  await expect(body).toHaveValue(/the council will receive the plan\./);
  await expect(list.locator(".check-item", { hasText: "recieve" })).toHaveCount(0);

  // The name is right: into the house dictionary, without leaving the page.
  await list.locator(".check-item", { hasText: name }).getByRole("button", { name: "Add to house dictionary" }).click();
  await expect(list.locator(".check-item")).toHaveCount(0);
  await expect(page.locator("#check-heading")).toHaveText("Copy check: no possible problems");
  await expect(body).toHaveValue(/will receive the plan/);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved as a new revision." })).toBeVisible();

  await page.goto("/staff/dictionary");
  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: `Remove ${name}` }).click();
  await expect(page.getByRole("status")).toHaveText("Removed from the house dictionary.");
});

for (const scheme of ["light", "dark"] as const) {
  test(`axe finds no WCAG A/AA violations in the editor with problems shown, ${scheme} mode`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await newDraft(page, "It was the the end of \u0421ourt week, with 4% and 12 percent (and a slip: recieve.");
    await expect(page.locator(".check-item")).toHaveCount(5);
    await expect(page.locator(".check-fix").first()).toBeVisible();
    for (const path of [page.url(), "/staff/dictionary"]) {
      await page.goto(path);
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
      expect(results.violations.map((v) => `${path}: ${v.id}: ${v.help}`)).toEqual([]);
    }
  });
}
