// Mobile menu toggle. Without this script the menu is simply shown; with it, narrow screens get a
// "Menu" button (aria-expanded) that opens and closes it, and Escape closes it again.
(function () {
  "use strict";
  var header = document.querySelector("[data-site-header]");
  var button = header && header.querySelector(".menu-toggle");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-open", open);
  }

  button.hidden = false;
  header.classList.add("js-menu");
  setOpen(false);

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
    // Only where the button is showing, i.e. on narrow screens.
    if (button.offsetParent === null) return;
    setOpen(false);
    button.focus();
  });
})();
