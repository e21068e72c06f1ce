// The story editor's toolbar: it only types the text format's marks into the textarea
// (**bold**, *italic*, "## ", "- ", "1. ", [text](address), "[ảnh n]"). Without JavaScript the
// toolbar stays hidden and the same marks are typed by hand.
(function () {
  "use strict";

  function textarea() {
    return document.querySelector("textarea[data-story-editor]");
  }

  function replace(area, start, end, text, selectFrom, selectTo) {
    area.focus();
    area.setRangeText(text, start, end, "end");
    if (selectFrom !== undefined) {
      area.setSelectionRange(selectFrom, selectTo);
    }
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function wrap(area, mark) {
    var start = area.selectionStart;
    var end = area.selectionEnd;
    var selected = area.value.slice(start, end);
    // Spaces stay outside the marks: "**chữ **" would not be bold.
    var lead = selected.match(/^\s*/)[0];
    var trail = selected.slice(lead.length).match(/\s*$/)[0];
    var inner = selected.slice(lead.length, selected.length - trail.length);
    var text = lead + mark + inner + mark + trail;
    var from = start + lead.length + mark.length;
    replace(area, start, end, text, from, from + inner.length);
  }

  function prefixLines(area, prefix) {
    var value = area.value;
    var start = value.lastIndexOf("\n", area.selectionStart - 1) + 1;
    var end = value.indexOf("\n", area.selectionEnd);
    if (end === -1) {
      end = value.length;
    }
    var lines = value.slice(start, end).split("\n");
    var numbered = /^\d+\. $/.test(prefix);
    var n = 0;
    var out = lines.map(function (line) {
      var bare = line.replace(/^(#{1,3} |[-*•+] |\d{1,3}[.)] )/, "");
      if (!bare.trim()) {
        return line;
      }
      n += 1;
      return (numbered ? n + ". " : prefix) + bare;
    });
    var text = out.join("\n");
    replace(area, start, end, text, start, start + text.length);
  }

  function link(area, question) {
    var start = area.selectionStart;
    var end = area.selectionEnd;
    var address = window.prompt(question, "https://");
    if (!address || !/^(https?:\/\/|mailto:)\S+$/i.test(address.trim())) {
      return;
    }
    var label = area.value.slice(start, end).trim() || address.trim();
    replace(area, start, end, "[" + label + "](" + address.trim() + ")");
  }

  function insertBlock(area, text) {
    // A photo is a line of its own, between blank lines.
    var value = area.value;
    var at = area.selectionEnd;
    var before = value.slice(0, at);
    var after = value.slice(at);
    var lead = before === "" ? "" : /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var trail = /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
    replace(area, at, at, lead + text + trail);
  }

  function askImage(area, button) {
    // The photos are numbered as the list beside the text shows them.
    var markers = Array.prototype.map.call(
      document.querySelectorAll("#story-images [data-insert]"),
      function (el) { return el.getAttribute("data-insert"); }
    );
    if (!markers.length) {
      var file = document.querySelector("#story-images input[type=file]");
      if (file) {
        file.focus();
      }
      return;
    }
    var chosen = markers[0];
    if (markers.length > 1) {
      var n = window.prompt(button.getAttribute("data-prompt") + " (1–" + markers.length + ")", "1");
      if (!n || !/^\d+$/.test(n.trim()) || +n < 1 || +n > markers.length) {
        return;
      }
      chosen = markers[+n - 1];
    }
    insertBlock(area, chosen);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-wrap], [data-line], [data-link], [data-insert], [data-ask-image]");
    var area = textarea();
    if (!button || !area) {
      return;
    }
    event.preventDefault();
    if (button.hasAttribute("data-wrap")) {
      wrap(area, button.getAttribute("data-wrap"));
    } else if (button.hasAttribute("data-line")) {
      prefixLines(area, button.getAttribute("data-line"));
    } else if (button.hasAttribute("data-link")) {
      link(area, button.getAttribute("data-prompt"));
    } else if (button.hasAttribute("data-ask-image")) {
      askImage(area, button);
    } else {
      insertBlock(area, button.getAttribute("data-insert"));
    }
  });

  function reveal() {
    document.querySelectorAll("[data-editor-toolbar], [data-insert]").forEach(function (el) {
      el.hidden = false;
    });
  }
  document.addEventListener("DOMContentLoaded", reveal);
  // The photo list comes back from the server after an upload: show its buttons too.
  document.addEventListener("htmx:afterSwap", reveal);
})();
