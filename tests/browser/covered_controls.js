() => {
  // Read by tests/browser/forms.py and evaluated in the page: see covered_controls() there.
  const describe = (el) => {
    if (!el) return "nothing";
    const label = (el.labels && el.labels[0] && el.labels[0].textContent.trim())
      || el.getAttribute("name") || el.textContent.trim().slice(0, 30);
    return `${el.tagName.toLowerCase()}${el.type ? "[" + el.type + "]" : ""} «${label}»`;
  };
  const shown = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.display !== "none" && style.visibility !== "hidden"
      && box.width > 0 && box.height > 0;
  };
  const target = (el) => (el.classList.contains("btn-check") && el.labels.length ? el.labels[0] : el);
  const problems = [];
  const controls = [...document.querySelectorAll(
    "main input:not([type=hidden]), main select, main textarea, main button"
  )].map(target).filter(shown);
  for (const el of controls) {
    el.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
    const box = el.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    const own = hit && (hit === el || el.contains(hit) || hit.contains(el)
      || (el.labels && [...el.labels].some((label) => label === hit || label.contains(hit))));
    if (!own) problems.push(`${describe(el)} is covered by ${describe(hit)}`);
  }
  for (const form of document.querySelectorAll("main form")) {
    const boxes = [...form.querySelectorAll(
      "input:not([type=hidden]), select, textarea, button, label"
    )].map(target).filter(shown);
    window.scrollTo({ top: 0, left: 0, behavior: "instant" });
    const rects = boxes.map((el) => el.getBoundingClientRect());
    for (let i = 0; i < boxes.length; i += 1) {
      for (let j = i + 1; j < boxes.length; j += 1) {
        const [a, b] = [boxes[i], boxes[j]];
        if (a === b || a.contains(b) || b.contains(a)) continue;
        if ((a.labels && [...a.labels].includes(b)) || (b.labels && [...b.labels].includes(a))) continue;
        const width = Math.min(rects[i].right, rects[j].right) - Math.max(rects[i].left, rects[j].left);
        const height = Math.min(rects[i].bottom, rects[j].bottom) - Math.max(rects[i].top, rects[j].top);
        if (width > 1 && height > 1) problems.push(`${describe(a)} overlaps ${describe(b)}`);
      }
    }
  }
  return problems;
}
