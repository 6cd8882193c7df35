// The recovery codes page's Print button: shown only where this script runs (no inline script: CSP).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
