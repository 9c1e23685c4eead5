import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

// Demo articles (src/demo/) used here.
const TRAM = "/articles/council-approves-eastern-tram-line-after-six-hour-debate";
const TRAM_HEADLINE = "Council Approves Eastern Tram Line After Six-Hour Debate";

test("a reader opens the front page, follows an article and reads it", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Latest stories" })).toBeVisible();
  await page.getByRole("link", { name: TRAM_HEADLINE }).click();
  await expect(page).toHaveURL(TRAM);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(TRAM_HEADLINE);
  await expect(page.getByText("Kellsbury's city council voted 31 to 14")).toBeVisible();
  await expect(page.getByRole("complementary", { name: "Other Topics of Interest" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Topics" }).getByRole("link", { name: "Transport" })).toBeVisible();
});

test.describe("with JavaScript disabled", () => {
  test.use({ javaScriptEnabled: false });

  test("the front page, an article and a topic page are complete", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("link", { name: TRAM_HEADLINE }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(TRAM_HEADLINE);
    await expect(page.getByText("Construction of the first section")).toBeVisible();
    await expect(page.getByText("Loading")).toHaveCount(0);
    await page.getByRole("navigation", { name: "Topics" }).getByRole("link", { name: "City Hall" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("City Hall");
    await expect(page.getByRole("link", { name: TRAM_HEADLINE })).toBeVisible();
  });
});

test("the share island hydrates in the release build and copies the link", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto(TRAM);
  // The attribute is set by an effect, and effects run only once the wasm has hydrated.
  await expect(page.locator(".share[data-hydrated='true']")).toBeVisible();
  await page.getByRole("button", { name: "Copy link" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Link copied." })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(new RegExp(`${TRAM}$`));
});

// The server was started with DATABASE_URL and a port only (playwright.config.ts): the
// release binary found its own build.
test("the release binary serves its stylesheet and islands without any LEPTOS_* setting", async ({ page }) => {
  const assets: { url: string; status: number }[] = [];
  page.on("response", (r) => {
    if (new URL(r.url()).pathname.startsWith("/pkg/")) assets.push({ url: r.url(), status: r.status() });
  });
  await page.goto(TRAM);
  await expect(page.locator(".share[data-hydrated='true']")).toBeVisible();
  // The stylesheet's fonts (style/main.css `--sans`), not the browser's default.
  const bodyFont = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  expect(bodyFont).toContain("system-ui");
  expect(assets.map((a) => new URL(a.url).pathname)).toEqual(
    expect.arrayContaining([expect.stringMatching(/^\/pkg\/copydesk\.[\w-]+\.js$/), expect.stringMatching(/\.wasm$/)]),
  );
  for (const asset of assets) expect(asset.status, asset.url).toBe(200);
});

test("an unknown article shows a 404 page", async ({ page }) => {
  const response = await page.goto("/articles/this-story-does-not-exist");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
});

test("the skip link is the first stop for keyboard users", async ({ page }) => {
  await page.goto(TRAM);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
});

test("pages fit a 320 px wide screen without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  for (const path of ["/", TRAM, "/search?q=tram"]) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});

for (const scheme of ["light", "dark"] as const) {
  test(`axe finds no WCAG A/AA violations in ${scheme} mode`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    for (const path of ["/", TRAM, "/topics/transport"]) {
      await page.goto(path);
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
      expect(results.violations.map((v) => `${path}: ${v.id}: ${v.help}`)).toEqual([]);
    }
  });
}
