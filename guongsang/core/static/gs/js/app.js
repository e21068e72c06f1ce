// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});

// "Add a row" for Django formsets: clones the formset's empty form from a <template>.
// Without JavaScript the page still offers its blank rows.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-add-row]");
  if (!button) {
    return;
  }
  var prefix = button.getAttribute("data-add-row");
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
  var template = document.getElementById(prefix + "-empty");
  var rows = document.getElementById(prefix + "-rows");
  if (!total || !template || !rows) {
    return;
  }
  var count = parseInt(total.value, 10);
  if (max && count >= parseInt(max.value, 10)) {
    button.disabled = true;
    return;
  }
  var holder = document.createElement("div");
  holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(count));
  while (holder.firstChild) {
    rows.appendChild(holder.firstChild);
  }
  total.value = String(count + 1);
});
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.hidden = false;
  });
});

// data-fill="url": the element is replaced by the fragment at url, at once or, with
// data-fill-when="visible", when it is scrolled into view. For pages that load no htmx (the
// home page); the request says it is a fragment request as htmx does, and an expired session's
// redirect (HX-Redirect) is followed. Without JavaScript the element's own link stays.
(function () {
  function fill(element) {
    var url = element.getAttribute("data-fill");
    element.removeAttribute("data-fill");
    fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (response) {
        var redirect = response.headers.get("HX-Redirect");
        if (redirect) {
          window.location.assign(redirect);
          return null;
        }
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null && element.parentNode) {
          element.outerHTML = html;
        }
      })
      .catch(function () {});
  }
  document.addEventListener("DOMContentLoaded", function () {
    var later = [];
    document.querySelectorAll("[data-fill]").forEach(function (element) {
      if (element.getAttribute("data-fill-when") === "visible" && "IntersectionObserver" in window) {
        later.push(element);
      } else {
        fill(element);
      }
    });
    if (!later.length) {
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          fill(entry.target);
        }
      });
    });
    later.forEach(function (element) {
      observer.observe(element);
    });
  });
})();
