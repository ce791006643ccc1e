/* Turn a mouse selection in the article body into a claim span (start offset and quote).
 * The body element holds exactly the article's characters, so an offset is the length of the
 * text from the start of the element to the start of the selection. */
(function () {
  "use strict";

  function offsetWithin(container, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function onSelect(container) {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return;
    }
    var range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) {
      return;
    }
    var raw = range.toString();
    var start = offsetWithin(container, range.startContainer, range.startOffset);
    var leading = raw.length - raw.replace(/^\s+/, "").length;
    var quote = raw.trim();
    if (!quote) {
      return;
    }
    start += leading;
    var quoteField = document.getElementById("id_mark_quote");
    var startField = document.getElementById("id_mark_start");
    if (!quoteField || !startField) {
      return;
    }
    quoteField.value = quote;
    startField.value = String(start);
    var note = document.getElementById("assay-selection");
    if (note) {
      note.textContent = "Selected " + quote.length + " characters at offset " + start +
        ". Save to mark this span as a claim.";
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("assay-body");
    if (!container) {
      return;
    }
    container.addEventListener("mouseup", function () { onSelect(container); });
    container.addEventListener("keyup", function () { onSelect(container); });
  });
})();
