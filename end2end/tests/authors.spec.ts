// Author pages: a byline links to the author's page with their stories; a staff member
// makes and fills in their own page.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { TRAM } from "./helpers";

test("a reader follows a byline to the author's page and back to a story", async ({ page }) => {
  await page.goto(TRAM);
  const byline = page.locator(".byline");
  await expect(byline).toHaveText("By Marta Okonkwo");
  await byline.getByRole("link", { name: "Marta Okonkwo" }).click();
  await expect(page).toHaveURL("/authors/marta-okonkwo");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Marta Okonkwo");
  await expect(page.locator(".author-bio").first()).toContainText("covers transport and City Hall");
  await expect(page.getByRole("heading", { name: "Stories by Marta Okonkwo" })).toBeVisible();
  const stories = page.locator(".card-title a");
  await expect(stories).toHaveCount(2);
  await stories.first().click();
  await expect(page.locator(".byline")).toContainText("Marta Okonkwo");
});

test("a staff member makes their author page and readers see it", async ({ page }) => {
  await page.goto("/staff/account");
  await page.getByLabel("Email").fill("desk@copydesk.example");
  await page.getByLabel("Password").fill("playwright demo desk");
  await page.getByRole("button", { name: "Sign in" }).click();
  const make = page.getByRole("button", { name: "Make my author page" });
  if (await make.isVisible()) await make.click();
  else await page.getByRole("link", { name: "Edit your author page" }).click();
  await expect(page).toHaveURL(/\/staff\/authors\/demo-editor/);
  await page.getByLabel("Short biography (optional)").fill("Runs the desk.");
  await page.getByLabel("Links (optional)").fill("not a link");
  await page.getByRole("button", { name: "Save the profile" }).click();
  await expect(page.getByRole("alert")).toContainText("is not a web address");
  await expect(page.getByLabel("Short biography (optional)")).toHaveValue("Runs the desk.");
  await page.getByLabel("Links (optional)").fill("https://example.org/desk");
  await page.getByRole("button", { name: "Save the profile" }).click();
  await expect(page.getByRole("status")).toContainText("Saved");
  await page.getByRole("link", { name: "View the public page" }).click();
  await expect(page.locator(".author-bio")).toHaveText("Runs the desk.");
  await expect(page.getByRole("link", { name: "example.org/desk" })).toHaveAttribute("href", "https://example.org/desk");
});

for (const scheme of ["light", "dark"] as const) {
  test(`author pages pass axe in ${scheme} mode`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    for (const path of ["/authors/marta-okonkwo", "/authors/jonas-feldmann"]) {
      await page.goto(path);
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
      expect(results.violations.map((v) => `${path}: ${v.id}: ${v.help}`)).toEqual([]);
    }
  });
}
