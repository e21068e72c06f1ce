// Searchable choosers (units/choosers.py). Without JavaScript the text input is posted as is and
// resolved on the server; with it, HTMX fetches suggestions and a click here records the pick.
(function () {
  "use strict";
  if (window.gsChooser) {
    return; // the widget template includes this file once per chooser
  }
  window.gsChooser = true;

  // HTMX sends the input under its own name; the endpoint reads "q" and nothing else.
  document.addEventListener("htmx:configRequest", function (event) {
    var input = event.detail.elt;
    if (!input.matches || !input.matches("input[data-chooser-input]")) {
      return;
    }
    var parameters = event.detail.parameters;
    Object.keys(parameters).forEach(function (key) {
      delete parameters[key];
    });
    parameters.q = input.value;
  });

  function clearResults(box) {
    var results = box && box.querySelector(".chooser-results");
    if (results) {
      results.textContent = "";
    }
  }

  document.addEventListener("click", function (event) {
    var option = event.target.closest("[data-chooser-pick]");
    var box = option && option.closest("[data-chooser]");
    if (!box) {
      return;
    }
    event.preventDefault();
    var id = option.getAttribute("data-chooser-pick");
    var label = option.getAttribute("data-label");
    var input = box.querySelector("[data-chooser-input]");
    if (box.hasAttribute("data-multiple")) {
      var chosen = box.querySelector(".chooser-chosen");
      var name = input.name.replace(/_text$/, "");
      var present = Array.prototype.some.call(chosen.querySelectorAll("input"), function (el) {
        return el.value === id;
      });
      if (!present) {
        var chip = document.createElement("label");
        chip.className = "chooser-chip";
        var check = document.createElement("input");
        check.type = "checkbox";
        check.name = name;
        check.value = id;
        check.checked = true;
        chip.appendChild(check);
        chip.appendChild(document.createTextNode(" " + label));
        chosen.appendChild(chip);
      }
      input.value = "";
    } else {
      box.querySelector("[data-chooser-id]").value = id;
      input.value = label;
    }
    clearResults(box);
    input.focus();
    // A page may react to the pick (the document form reloads its recipients).
    box.dispatchEvent(new CustomEvent("gs-chooser-picked", { bubbles: true, detail: { id: id } }));
  });

  // Typing after a pick means a new choice: forget the picked id until the next pick.
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-chooser-input]")) {
      return;
    }
    var box = input.closest("[data-chooser]");
    var hidden = box && box.querySelector("[data-chooser-id]");
    if (hidden) {
      hidden.value = "";
    }
    if (!input.value.trim()) {
      clearResults(box);
    }
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Escape" || !input.matches || !input.matches("input[data-chooser-input]")) {
      return;
    }
    clearResults(input.closest("[data-chooser]"));
  });
})();
