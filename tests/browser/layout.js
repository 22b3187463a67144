// What checks.py measures on a page: its widths, the boxes outside the window, the controls too small to
// tap. Called with [clipping selectors, exempt selectors, target size in px].
([clipping, smallAllowed, target]) => {
  const doc = document.documentElement;
  const width = window.innerWidth, client = doc.clientWidth, scroll = doc.scrollWidth;
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    if (typeof el.className === "string" && el.className.trim()) s += "." + el.className.trim().split(/\s+/).join(".");
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").replace(/\s+/g, " ").trim();
    return text ? `${s} "${text.slice(0, 40)}"` : s;
  };
  const shown = (el, r) => r.width > 1 && r.height > 1 && getComputedStyle(el).visibility !== "hidden";
  const clipSelector = clipping.join(", ");
  const outside = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (clipSelector && el.parentElement && el.parentElement.closest(clipSelector)) continue;
    if (r.left < -0.5 || r.right > client + 0.5 || r.top + window.scrollY < -0.5) {
      outside.push(`${name(el)} [${Math.round(r.left)}..${Math.round(r.right)} x, top ${Math.round(r.top + window.scrollY)}]`);
    }
  }
  const words = (s) => (s || "").replace(/\s+/g, " ").trim();
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display === "inline") block = block.parentElement;
    return block !== null && words(block.textContent) !== words(el.textContent);
  };
  const small = [];
  const controls = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  for (const el of document.body.querySelectorAll(controls)) {
    const r = el.getBoundingClientRect();
    if (!shown(el, r)) continue;
    if (smallAllowed.some((s) => el.matches(s))) continue;
    if (el.matches("a") && inSentence(el)) continue;
    let [left, top, right, bottom] = [r.left, r.top, r.right, r.bottom];
    if (el.matches("input[type=checkbox], input[type=radio]")) {
      for (const label of el.labels || []) {
        const l = label.getBoundingClientRect();
        [left, top, right, bottom] = [Math.min(left, l.left), Math.min(top, l.top), Math.max(right, l.right), Math.max(bottom, l.bottom)];
      }
    }
    const w = right - left, h = bottom - top;
    if (w < target - 0.5 || h < target - 0.5) small.push(`${name(el)} ${Math.round(w)}x${Math.round(h)}`);
  }
  return {width, client, scroll, outside, small};
}
