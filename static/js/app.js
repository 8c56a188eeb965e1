// Loaded with "defer": runs once the page is parsed. No inline scripts: the Content-Security-Policy forbids them.

// The feed links dropdown closes with Escape (focus goes back to its button) or a click elsewhere.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const menu of document.querySelectorAll("details.feed-links[open]")) {
    const hadFocus = menu.contains(document.activeElement);
    menu.open = false;
    if (hadFocus) menu.querySelector("summary").focus();
  }
});
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("details.feed-links[open]")) {
    if (!menu.contains(event.target)) menu.open = false;
  }
});

// Phones: show the folded filters on demand. Without JavaScript the button stays hidden and every filter shows.
for (const toggle of document.querySelectorAll(".filters-toggle[hidden]")) {
  const grid = document.getElementById(toggle.getAttribute("aria-controls"));
  toggle.hidden = false;
  grid.classList.add("filters-grid--foldable");
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    grid.classList.toggle("filters-grid--open", open);
  });
}
