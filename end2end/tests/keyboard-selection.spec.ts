import { test, expect } from "@playwright/test";
import { CHROMIUM_ARGS } from "../playwright.config";
import { dialog, openArticle } from "./helpers";

// Keyboard-only readers select text with caret browsing (F7 in Chromium).
// Launch options apply per file, so this one has a file of its own.
test.use({
  launchOptions: {
    executablePath: "/usr/bin/chromium",
    args: [...CHROMIUM_ARGS, "--enable-caret-browsing"],
  },
});

test("a keyboard selection and Control+Enter open the dialog; Escape closes it and returns focus", async ({ page }) => {
  await openArticle(page);
  // Start a selection just before "alders", then extend it with Shift+Arrow keys.
  await page.evaluate(() => {
    const walker = document.createTreeWalker(document.querySelector(".article-body")!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf("alders");
      if (at >= 0) {
        window.getSelection()!.collapse(node, at);
        return;
      }
    }
  });
  for (let i = 0; i < "alders".length; i++) await page.keyboard.press("Shift+ArrowRight");
  expect(await page.evaluate(() => window.getSelection()!.toString())).toBe("alders");

  const link = page.getByRole("link", { name: "write to us here" });
  await link.focus();
  await page.keyboard.press("Control+Enter");
  await expect(dialog(page)).toBeVisible();
  await expect(dialog(page).locator("mark")).toHaveText("alders");
  await page.keyboard.press("Escape");
  await expect(dialog(page)).toBeHidden();
  await expect(link).toBeFocused();
});
