// Open a local HTML file in headless Chromium (no network: only file:// is loaded), print its
// title, visible text and how many SVG charts drew something, and save screenshots of it in
// slices (PNG_0.png, PNG_1.png, …) to look at.
import chromium from "@sparticuz/chromium";
import puppeteer from "puppeteer-core";

const [, , html, png] = process.argv;
const browser = await puppeteer.launch({
  args: [...chromium.args, "--no-sandbox"],
  executablePath: await chromium.executablePath(),
  headless: true,
});
try {
  const page = await browser.newPage();
  const asked = [];
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    asked.push(request.url());
    if (request.url().startsWith("file://")) request.continue();
    else request.abort();
  });
  await page.setViewport({ width: 1100, height: 1500 });
  await page.goto("file://" + html, { waitUntil: "load" });
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  let slices = 0;
  for (let y = 0; y < height; y += 1500, slices++) {
    await page.screenshot({
      path: `${png}_${slices}.png`,
      clip: { x: 0, y, width: 1100, height: Math.min(1500, height - y) },
    });
  }
  const drawn = await page.evaluate(
    () =>
      [...document.querySelectorAll("svg")].filter((svg) => {
        const box = svg.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && svg.querySelector("rect");
      }).length,
  );
  console.log(
    JSON.stringify({
      title: await page.title(),
      text: await page.evaluate(() => document.body.innerText),
      svgs_drawn: drawn,
      slices,
      requests: asked,
    }),
  );
} finally {
  await browser.close();
}
