// Reader search: the box in every page's header, results with the words marked, paging,
// and the same without JavaScript.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { RIVER, TRAM } from "./helpers";

test("a reader searches from the header and opens a result", async ({ page }) => {
  await page.goto(TRAM);
  const box = page.getByRole("search").first().getByRole("searchbox", { name: "Search the stories" });
  await box.fill("trout");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=trout$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Results for “trout”");
  const hits = page.locator(".search-hit");
  await expect(hits.first().locator(".card-title a")).toHaveAttribute("href", RIVER);
  await expect(hits.first().locator(".search-snippet mark").first()).toHaveText(/trout/i);
  await expect(hits.first().locator(".card-comments")).toHaveText(/comment/);
  // The page's own box holds the query, ready to change.
  await expect(page.locator("#search-q")).toHaveValue("trout");
  await hits.first().locator(".card-title a").click();
  await expect(page).toHaveURL(RIVER);
});

test("accents and case do not matter, and nothing found says so", async ({ page }) => {
  await page.goto("/search?q=ANGLERS");
  await expect(page.locator(".search-hit .card-title a").first()).toHaveAttribute("href", RIVER);
  await page.goto("/search?q=%C3%A0ngl%C3%A9rs");
  await expect(page.locator(".search-hit .card-title a").first()).toHaveAttribute("href", RIVER);
  await page.goto("/search?q=qwertyuiop");
  await expect(page.locator(".empty")).toContainText("No published story matches “qwertyuiop”");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("the search form works as a plain form", async ({ page }) => {
    await page.goto("/");
    await page.locator("#site-search-q").fill("tram");
    await page.locator("form.site-search button").click();
    await expect(page).toHaveURL(/\/search\?q=tram$/);
    await expect(page.locator(".search-hit").first()).toBeVisible();
  });
});

for (const scheme of ["light", "dark"] as const) {
  test(`the search pages pass axe in ${scheme} mode`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    for (const path of ["/search?q=tram", "/search", "/search?q=qwertyuiop"]) {
      await page.goto(path);
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
      expect(results.violations.map((v) => `${path}: ${v.id}: ${v.help}`)).toEqual([]);
    }
  });
}
