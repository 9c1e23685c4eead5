// Photos: an editor uploads one to the media library, makes it a story's lead image, and
// readers see it on the story and its card, with no Content-Security-Policy violation.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, Page } from "@playwright/test";
import { readFileSync } from "node:fs";

// No other spec uses this story, so its lead image changes nothing they look at.
const HARBOUR = "/articles/harbour-festival-returns-with-free-concerts-on-the-old-quay";
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

async function signIn(page: Page) {
  await page.goto("/staff/media");
  await page.getByLabel("Email").fill("desk@copydesk.example");
  await page.getByLabel("Password").fill("playwright demo desk");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/staff\/media/);
}

test.beforeEach(async ({ context }) => {
  await context.addInitScript(() => {
    (window as any).cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as any).cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
});

test("an editor uploads a photo, makes it a lead image, and readers see it", async ({ page }) => {
  const alt = `Lanterns over the old quay ${Date.now()}`;
  await signIn(page);

  // Alt text is required: the plain form says so and keeps what was typed.
  await page.getByLabel("Photo file").setInputFiles({
    name: "quay.png",
    mimeType: "image/png",
    buffer: readFileSync("../public/logo.png"),
  });
  await page.getByLabel("Caption").fill("The quay on the festival's first night");
  await page.getByLabel("Alt text").fill(" ");
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("alert").first()).toContainText("Describe the photo");
  await expect(page.getByLabel("Caption")).toHaveValue("The quay on the festival's first night");

  // This time dropped on the form (the island puts it in the file field).
  await expect(page.locator(".media-drop")).toHaveAttribute("data-hydrated", "true");
  const bytes = [...readFileSync("../public/logo.png")];
  const dropped = await page.evaluateHandle((bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], "quay.png", { type: "image/png" }));
    return transfer;
  }, bytes);
  await page.locator("form.media-upload").dispatchEvent("drop", { dataTransfer: dropped });
  expect(await page.getByLabel("Photo file").evaluate((input: HTMLInputElement) => input.files?.[0]?.name)).toBe("quay.png");
  await page.getByLabel("Alt text").fill(alt);
  await page.getByLabel("Credit").fill("Ana García/Copydesk");
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("status")).toContainText("Uploaded");
  const tile = page.locator(".media-tile", { hasText: alt });
  await expect(tile.locator("img")).toBeVisible();

  // The story's editor: choose it as the lead image.
  await page.goto(`/staff${HARBOUR}/edit`);
  await page.getByLabel("Image", { exact: true }).selectOption({ label: `${alt} (quay.png)` });
  await page.getByRole("button", { name: "Apply lead image" }).click();
  await expect(page.locator(".notice-success")).toContainText("Lead image saved");

  // Readers: above the story, loaded, sized before it loaded; and on the story's card.
  await page.goto(HARBOUR);
  const lead = page.locator(".lead-figure img");
  await expect(lead).toHaveAttribute("alt", alt);
  await expect(lead).toHaveAttribute("width", "192");
  await expect.poll(() => lead.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await expect(page.locator(".lead-figure figcaption")).toHaveText("The quay on the festival's first night Ana García/Copydesk");
  expect(await page.evaluate(() => (window as any).cspViolations)).toEqual([]);
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
    expect(results.violations.map((v) => `${scheme}: ${v.id}: ${v.help}`)).toEqual([]);
  }

  await page.goto("/");
  const card = page.locator(".card", { has: page.locator(`a[href='${HARBOUR}']`) });
  await expect(card.locator("img.card-thumb")).toBeVisible();
  expect(await page.evaluate(() => (window as any).cspViolations)).toEqual([]);

  // In use, it cannot be deleted; the page says where it is used.
  await page.goto("/staff/media");
  await tile.getByRole("link", { name: alt }).click();
  await page.getByRole("button", { name: "Delete this photo" }).click();
  await expect(page.getByRole("alert").first()).toContainText("Harbour Festival Returns");

  // Taken out of the story again, so the demo stays as it was.
  await page.goto(`/staff${HARBOUR}/edit`);
  await page.getByLabel("Image", { exact: true }).selectOption({ label: "No lead image" });
  await page.getByRole("button", { name: "Apply lead image" }).click();
  await expect(page.locator(".notice-success")).toContainText("Lead image removed");
});

test("an editor uploads a lead image from the story's editor", async ({ page }) => {
  const story = "/articles/grid-battery-beside-old-power-station-starts-storing-solar-power";
  const alt = `Battery containers beside the power station ${Date.now()}`;
  await signIn(page);
  await page.goto(`/staff${story}/edit`);
  const upload = page.locator("form.media-upload");
  await expect(upload.getByRole("heading", { name: "Or upload a new lead image" })).toBeVisible();
  // A photo of its own (the other test uploads the logo; the same file twice is refused),
  // drawn by the browser.
  const png = await page.evaluate(async () => {
    const canvas = document.createElement("canvas");
    [canvas.width, canvas.height] = [480, 320];
    const context = canvas.getContext("2d")!;
    const sky = context.createLinearGradient(0, 0, 0, 320);
    sky.addColorStop(0, "#3a5a8c");
    sky.addColorStop(1, "#f2b880");
    context.fillStyle = sky;
    context.fillRect(0, 0, 480, 320);
    context.fillStyle = "#20303a";
    for (let i = 0; i < 6; i++) context.fillRect(40 + i * 70, 200, 50, 90);
    const blob: Blob = await new Promise((done) => canvas.toBlob((b) => done(b!), "image/png"));
    return [...new Uint8Array(await blob.arrayBuffer())];
  });
  await upload.getByLabel("Photo file").setInputFiles({
    name: "battery.png",
    mimeType: "image/png",
    buffer: Buffer.from(png),
  });
  await upload.getByLabel("Alt text").fill(alt);
  await upload.getByLabel("Caption").fill("The containers hold four hours of the plant's output");
  await upload.getByRole("button", { name: "Upload and apply" }).click();
  await expect(page).toHaveURL(new RegExp(`/staff${story}/edit\\?done=lead-set`));
  await expect(page.locator(".notice-success")).toContainText("Lead image saved");
  await expect(page.getByLabel("Image", { exact: true }).locator("option:checked")).toHaveText(`${alt} (battery.png)`);

  await page.goto(story);
  const lead = page.locator(".lead-figure img");
  await expect(lead).toHaveAttribute("alt", alt);
  await expect.poll(() => lead.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await expect(page.locator(".lead-figure figcaption")).toHaveText("The containers hold four hours of the plant's output");
  expect(await page.evaluate(() => (window as any).cspViolations)).toEqual([]);

  // Back as it was for the other specs.
  await page.goto(`/staff${story}/edit`);
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
    expect(results.violations.map((v) => `${scheme}: ${v.id}: ${v.help}`)).toEqual([]);
  }
  await page.getByLabel("Image", { exact: true }).selectOption({ label: "No lead image" });
  await page.getByRole("button", { name: "Apply lead image" }).click();
  await expect(page.locator(".notice-success")).toContainText("Lead image removed");
});

for (const scheme of ["light", "dark"] as const) {
  test(`the media library passes axe in ${scheme} mode`, async ({ page }) => {
    await signIn(page);
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
}
