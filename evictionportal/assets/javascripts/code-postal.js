// « Près de chez moi »: the reader types a postcode (75018, « 75 116 ») or an arrondissement number (18,
// « 18e ») and goes to its page. The postcodes come from content/territoire.yml, on each link of the list
// (data-codes), so that 75116 leads to the 16e and 75001 to the 1er (whose page lists Paris Centre's
// offices). Nothing is sent anywhere: the lookup is done in the page. Without JavaScript the field stays
// hidden and the list of links does the same job.
(function () {
  var form = document.querySelector("[data-code-postal]");
  if (!form) return;
  var field = form.querySelector("input");
  var status = form.querySelector("[data-code-postal-etat]");
  var links = Array.from(document.querySelectorAll("a[data-codes]"));

  // The link for what the reader typed, or a sentence saying why there is none.
  function find(text) {
    var digits = text.replace(/\D/g, "");
    var letters = text.replace(/[\s\d]/g, "").toLowerCase();
    if (!digits) return "Tapez les 5 chiffres de votre code postal, par exemple 75018.";
    if (digits.length <= 2 && /^(e|er|eme|ème|paris)?$/.test(letters)) {
      var byNumber = links.find(function (a) { return a.getAttribute("data-numero") === String(Number(digits)); });
      if (byNumber) return byNumber;
    }
    if (digits.length === 5) {
      var byCode = links.find(function (a) { return a.getAttribute("data-codes").split(" ").indexOf(digits) >= 0; });
      if (byCode) return byCode;
      return "Le code postal " + digits + " n'est pas un code postal de " + form.getAttribute("data-territoire") +
        ". Vérifiez-le, ou choisissez dans la liste ci-dessous.";
    }
    return "Tapez les 5 chiffres de votre code postal, par exemple 75018.";
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var found = find(field.value);
    if (typeof found === "string") {
      status.textContent = found;
      field.setAttribute("aria-invalid", "true");
      field.focus();
      return;
    }
    field.removeAttribute("aria-invalid");
    status.textContent = found.textContent + " : ouverture de la page.";
    location.assign(found.href);
  });
})();
