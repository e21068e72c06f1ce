// Offline entry for a form marked data-offline (quick entry): without signal, a submission is
// kept on the phone (IndexedDB) with a random key and sent when the connection returns, to
// data-offline-send, which records a key once however often it is sent. Entries the server
// refuses stay listed with its message, to send again or to discard. Texts come from the
// data-msg-* attributes of the queue's section (translated by the server).
(function () {
  "use strict";
  var form = document.querySelector("form[data-offline]");
  var box = document.getElementById("offline-queue");
  if (!form || !box || !("indexedDB" in window)) {
    return;
  }
  var list = box.querySelector("ul");
  var status = document.getElementById("offline-status");
  var sendUrl = form.getAttribute("data-offline-send");
  var sending = false;

  function msg(name) {
    return box.getAttribute("data-msg-" + name) || "";
  }

  function say(text) {
    status.textContent = text;
    status.hidden = !text;
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); });
    return [h.slice(0, 4), h.slice(4, 6), h.slice(6, 8), h.slice(8, 10), h.slice(10)]
      .map(function (p) { return p.join(""); }).join("-");
  }

  function db() {
    return new Promise(function (resolve, reject) {
      var open = indexedDB.open("guongsang-offline", 1);
      open.onupgradeneeded = function () {
        open.result.createObjectStore("queue", { keyPath: "key" });
      };
      open.onsuccess = function () { resolve(open.result); };
      open.onerror = function () { reject(open.error); };
    });
  }

  function store(mode, work) {
    return db().then(function (conn) {
      return new Promise(function (resolve, reject) {
        var tx = conn.transaction("queue", mode);
        var result = work(tx.objectStore("queue"));
        tx.oncomplete = function () { resolve(result && result.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function all() {
    return store("readonly", function (s) { return s.getAll(); }).then(function (rows) {
      return (rows || []).filter(function (r) { return r.url === sendUrl; })
        .sort(function (a, b) { return a.at - b.at; });
    });
  }

  function put(entry) {
    return store("readwrite", function (s) { return s.put(entry); });
  }

  function drop(key) {
    return store("readwrite", function (s) { return s.delete(key); });
  }

  function button(text, action, key) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-small btn-secondary";
    b.textContent = text;
    b.setAttribute("data-offline-action", action);
    b.setAttribute("data-key", key);
    return b;
  }

  function render() {
    return all().then(function (rows) {
      list.textContent = "";
      rows.forEach(function (row) {
        var li = document.createElement("li");
        var title = document.createElement("strong");
        title.textContent = row.title || "—";
        li.appendChild(title);
        var note = document.createElement("span");
        note.className = row.error ? "offline-error" : "muted";
        note.textContent = " · " + row.day + " · " + (row.error || msg("waiting"));
        li.appendChild(note);
        if (row.error) {
          li.appendChild(document.createTextNode(" "));
          li.appendChild(button(msg("retry"), "retry", row.key));
          li.appendChild(button(msg("discard"), "discard", row.key));
        }
        list.appendChild(li);
      });
      box.hidden = rows.length === 0;
      return rows;
    });
  }

  function token() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function sendOne(row) {
    var body = new FormData();
    row.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    return fetch(sendUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-Idempotency-Key": row.key, "X-CSRFToken": token(), "Accept": "application/json" },
    }).then(function (response) {
      if (response.status === 200 || response.status === 201 || response.status === 400) {
        return response.json().then(function (data) {
          if (data.ok) {
            return drop(row.key).then(function () { return "sent"; });
          }
          var texts = [];
          Object.keys(data.errors || {}).forEach(function (k) { texts = texts.concat(data.errors[k]); });
          row.error = texts.join(" ") || msg("refused");
          return put(row).then(function () { return "refused"; });
        });
      }
      // A login page, a server error: kept as it is, sent again later.
      row.error = response.type === "opaqueredirect" || response.status === 403
        ? msg("login") : msg("later");
      return put(row).then(function () { return "later"; });
    });
  }

  function flush(onlyKey) {
    if (sending || !navigator.onLine) {
      return Promise.resolve();
    }
    sending = true;
    return all().then(function (rows) {
      var chain = Promise.resolve(0);
      rows.forEach(function (row) {
        if (row.error && row.key !== onlyKey) {
          return; // refused before: waits for her to send it again or discard it
        }
        chain = chain.then(function (sent) {
          return sendOne(row).then(function (outcome) { return sent + (outcome === "sent" ? 1 : 0); });
        });
      });
      return chain;
    }).then(function (sent) {
      if (sent) {
        say(msg("sent").replace("%(n)s", sent));
      }
    }).catch(function () {
      // The network went again: everything stays queued.
    }).then(function () {
      sending = false;
      return render();
    });
  }

  form.addEventListener("submit", function (event) {
    if (navigator.onLine) {
      return; // the ordinary submission, with the server's page and messages
    }
    event.preventDefault();
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || (value instanceof File && !value.size)) {
        return;
      }
      fields.push([name, value]);
    });
    var title = form.querySelector("[name=title]");
    var day = form.querySelector("[name=date]");
    var entry = {
      key: newKey(),
      url: sendUrl,
      at: Date.now(),
      title: title ? title.value : "",
      day: day ? day.value : "",
      fields: fields,
      error: "",
    };
    put(entry).then(function () {
      ["title", "participants", "members", "notes", "link"].forEach(function (name) {
        var field = form.querySelector("[name=" + name + "]");
        if (field) {
          field.value = field.defaultValue && name !== "title" ? field.defaultValue : "";
        }
      });
      var photo = form.querySelector("input[type=file]");
      if (photo) {
        photo.value = "";
      }
      say(msg("queued"));
      return render();
    });
  });

  box.addEventListener("click", function (event) {
    var target = event.target.closest("[data-offline-action]");
    if (!target) {
      return;
    }
    var key = target.getAttribute("data-key");
    if (target.getAttribute("data-offline-action") === "discard") {
      drop(key).then(render);
    } else {
      all().then(function (rows) {
        var row = rows.filter(function (r) { return r.key === key; })[0];
        if (row) {
          row.error = "";
          put(row).then(function () { return flush(key); });
        }
      });
    }
  });

  window.addEventListener("online", function () { flush(); });
  render().then(function () { return flush(); });

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var keep = [location.pathname];
      document.querySelectorAll("link[rel=stylesheet], script[src], link[rel=icon], link[rel=manifest]")
        .forEach(function (el) { keep.push(el.getAttribute("href") || el.getAttribute("src")); });
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        if (event.data === "kept") {
          form.setAttribute("data-offline-ready", "1"); // this page now opens without signal
        }
      };
      registration.active.postMessage({ keep: keep }, [channel.port2]);
    }).catch(function () {
      // No service worker (an old browser, a private window): the queue still works while
      // this page stays open.
    });
  }
})();
