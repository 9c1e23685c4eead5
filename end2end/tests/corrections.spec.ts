import { test, expect } from "@playwright/test";
import { RIVER, dialog, dragSelect, openArticle, selectAcross, storedGroups } from "./helpers";

test("select a word with the mouse, press Control+Enter, send a suggestion and find it stored", async ({ page }) => {
  await openArticle(page);
  await dragSelect(page, ".article-body", "diffrence");
  await page.keyboard.press("Control+Enter");
  await expect(dialog(page)).toBeVisible();
  await expect(dialog(page).locator("mark")).toHaveText("diffrence");
  await expect(dialog(page).locator(".cd-context")).toContainText("making a diffrence within");
  const suggested = dialog(page).getByLabel("Suggested text");
  await expect(suggested).toHaveValue("diffrence");
  await expect(suggested).toBeFocused();
  await suggested.fill("difference");
  await dialog(page).getByLabel("Type of problem").selectOption({ label: "Typo or spelling" });
  await dialog(page).getByLabel("Note for the editors (optional)").fill("Spelling — «mistake» 👀");
  await dialog(page).getByRole("button", { name: "Send suggestion" }).click();
  await expect(dialog(page).getByText("Thank you. The editors will review your suggestion.")).toBeVisible();

  const group = storedGroups().find((g) => g.suggested === "difference");
  expect(group).toBeDefined();
  expect(group!.quote).toBe("diffrence");
  expect(group!.kind).toBe("typo");
  expect(group!.notes).toEqual(["Spelling — «mistake» 👀"]);
  expect(group!.end - group!.start).toBe(9);
});

test("a selection across two paragraphs is suggested with Meta+Enter (macOS)", async ({ page }) => {
  await openArticle(page);
  await selectAcross(page, ".article-body", "began in 1974 this summer", ".article-body", "The agency's monitoring");
  await page.keyboard.press("Meta+Enter");
  await expect(dialog(page)).toBeVisible();
  await expect(dialog(page).locator("mark")).toContainText("began in 1974 this summer");
  await expect(dialog(page).locator("mark")).toContainText("The agency's monitoring");
  await dialog(page).getByLabel("Suggested text").fill("began in 1974, this summer. The agency's monitoring");
  await dialog(page).getByLabel("Type of problem").selectOption({ label: "Needs clarification" });
  await dialog(page).getByRole("button", { name: "Send suggestion" }).click();
  await expect(dialog(page).getByText("Thank you. The editors will review your suggestion.")).toBeVisible();
  const group = storedGroups().find((g) => g.kind === "clarification");
  expect(group?.quote).toMatch(/began in 1974 this summer.*\n\nThe agency's monitoring/s);
});

test("outside the article, or with nothing selected, Control+Enter does nothing", async ({ page }) => {
  await openArticle(page);
  await page.keyboard.press("Control+Enter");
  await expect(dialog(page)).toBeHidden();
  await selectAcross(page, ".byline", "By", ".byline", "By");
  await page.keyboard.press("Control+Enter");
  await expect(dialog(page)).toBeHidden();
  await selectAcross(page, ".site-footer", "independent local reporting", ".site-footer", "independent local reporting");
  await page.keyboard.press("Control+Enter");
  await expect(dialog(page)).toBeHidden();
  await expect(page.getByRole("button", { name: "Suggest a correction" })).toBeHidden();
});

test("the floating button appears with a selection in the article and goes with it", async ({ page }) => {
  await openArticle(page);
  const float = page.getByRole("button", { name: "Suggest a correction" });
  await expect(float).toBeHidden();
  await dragSelect(page, ".article-body", "grayling and brown trout");
  await expect(float).toBeVisible();
  await page.evaluate(() => window.getSelection()!.removeAllRanges());
  await expect(float).toBeHidden();
});

test("the floating button opens the dialog for touch readers, and errors keep what was typed", async ({ page }) => {
  await openArticle(page);
  await dragSelect(page, ".article-body", "Henrik Dahl");
  const float = page.getByRole("button", { name: "Suggest a correction" });
  await expect(float).toBeVisible();
  await float.click();
  await expect(dialog(page)).toBeVisible();
  await expect(dialog(page).locator("mark")).toHaveText("Henrik Dahl");
  await dialog(page).getByLabel("Suggested text").fill("   ");
  await dialog(page).getByLabel("Email (optional)").fill("reader@example.org");
  await dialog(page).getByRole("button", { name: "Send suggestion" }).click();
  await expect(dialog(page).getByText("Write what the text should say.")).toBeVisible();
  await expect(dialog(page).getByLabel("Email (optional)")).toHaveValue("reader@example.org");
  await dialog(page).getByLabel("Suggested text").fill("Henrik Dahl (club secretary)");
  await dialog(page).getByRole("button", { name: "Send suggestion" }).click();
  await expect(dialog(page).getByText("Thank you. The editors will review your suggestion.")).toBeVisible();
});

test.describe("with JavaScript disabled", () => {
  test.use({ javaScriptEnabled: false });

  test("the article links to a plain correction form that works", async ({ page }) => {
    await page.goto(RIVER);
    await expect(page.getByText("To suggest a correction or clarification, write to us here")).toBeVisible();
    await page.getByRole("link", { name: "write to us here" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Suggest a correction" })).toBeVisible();
    await page.getByLabel("Phrase in question (optional)").fill("400 dead fish");
    await page.getByLabel("Type of problem").selectOption({ label: "Factual error" });
    await page.getByLabel("Suggested text").fill("more than 450 dead fish");
    await page.getByLabel("Note for the editors (optional)").fill("The club's own count was higher.");
    await page.getByRole("button", { name: "Send suggestion" }).click();
    await expect(page.getByText("Thank you. The editors will review your suggestion.")).toBeVisible();
    expect(storedGroups().some((g) => g.suggested === "more than 450 dead fish" && g.quote === "400 dead fish")).toBe(true);
  });
});

test("axe finds no WCAG A/AA violations with the dialog open, on the correction form and on /corrections", async ({ page }) => {
  const AxeBuilder = (await import("@axe-core/playwright")).default;
  const audit = async (what: string) => {
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
    expect(results.violations.map((v) => `${what}: ${v.id}: ${v.help}`)).toEqual([]);
  };
  await openArticle(page);
  await dragSelect(page, ".article-body", "diffrence");
  await page.keyboard.press("Control+Enter");
  await expect(dialog(page)).toBeVisible();
  await audit("article with the correction dialog open");
  await page.goto(`${RIVER}/correction`);
  await audit("correction form");
  await page.goto("/corrections");
  await audit("/corrections");
});
