// Mobile menu toggle. Where scripts run, the stylesheet folds the menu on narrow screens and shows
// the "Menu" button from the first paint (@media (scripting: enabled)), so nothing moves when this
// script arrives; it makes the button open and close the menu (aria-expanded), and Escape close it.
// Where scripts do not run, the menu is simply shown.
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
