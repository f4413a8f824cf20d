// The DSFR's anti-flash script, from a file so that the Content-Security-Policy forbids every inline script:
// loaded in <head> before the page is drawn, it applies the theme chosen in « Paramètres d'affichage »
// (stored by the DSFR under "scheme") so that a dark page never flashes white. Then, once the page is read,
// it shows that button, which needs the DSFR's script: without JavaScript it stays hidden.
(function () {
  var root = document.documentElement;
  try {
    var scheme = localStorage.getItem("scheme");
    var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    if (scheme === "dark" || ((scheme === "system" || !scheme) && dark)) {
      root.setAttribute("data-fr-theme", "dark");
    } else {
      root.setAttribute("data-fr-theme", "light");
    }
  } catch (error) {
    // Storage refused (private browsing): the light theme.
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-portail-affichage]").forEach(function (button) {
      button.hidden = false;
    });
  });
})();
