/* Progressive enhancement: every feature here also works without JavaScript. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Language switcher: change on select, no button press needed.
  function initLanguageSwitcher() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  // A comment's length as the server counts it (discussions.services.comment_length): each
  // link (data-url-pattern) as data-url-length characters, each character as one whatever
  // its UTF-16 length, a line break as one, the text trimmed.
  function commentLength(textarea) {
    var text = textarea.value.trim().replace(/\r\n/g, "\n");
    var pattern = textarea.getAttribute("data-url-pattern");
    var urlLength = parseInt(textarea.getAttribute("data-url-length"), 10);
    if (pattern && !isNaN(urlLength)) {
      text = text.replace(new RegExp(pattern, "g"), function () { return new Array(urlLength + 1).join("x"); });
    }
    return Array.from(text).length;
  }

  // Character counter for comment boxes (the server enforces the limit).
  function initCounter(textarea) {
    var limit = parseInt(textarea.getAttribute("data-maxlength"), 10);
    var describedBy = (textarea.getAttribute("aria-describedby") || "").split(" ");
    var counter = null;
    describedBy.forEach(function (id) {
      var el = id && document.getElementById(id);
      if (el && el.classList.contains("char-count")) { counter = el; }
    });
    if (!limit || !counter) { return; }
    var template = counter.getAttribute("data-template") || "{n} / {limit}";
    function update() {
      var n = commentLength(textarea);
      counter.textContent = template.replace("{n}", n).replace("{limit}", limit);
      counter.classList.toggle("over", n > limit);
    }
    textarea.addEventListener("input", update);
    update();
  }

  function initCounters(root) {
    root.querySelectorAll("textarea[data-maxlength]").forEach(initCounter);
  }

  // Like without reloading the page.
  function initLikes() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.classList || !form.classList.contains("like-form") || !window.fetch) { return; }
      event.preventDefault();
      var button = form.querySelector("button[data-like]");
      fetch(form.action, {
        method: "POST",
        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(form) },
        body: new FormData(form),
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        button.setAttribute("aria-pressed", data.liked ? "true" : "false");
        button.textContent = button.getAttribute(data.liked ? "data-label-unlike" : "data-label-like");
        var count = document.querySelector("[data-like-count='" + button.getAttribute("data-like") + "']");
        // an imported comment shows the likes given here apart from the original page's
        if (count) { count.textContent = String(data.like_count - Number(count.getAttribute("data-like-offset") || 0)); }
      }).catch(function () { form.submit(); });
    });
  }

  // Reply inline: the "Reply" link opens a form under the comment instead of a new page.
  function initReplies() {
    var template = document.getElementById("reply-form-template");
    if (!template) { return; }
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-reply]") : null;
      if (link) {
        event.preventDefault();
        var comment = document.getElementById("comment-" + link.getAttribute("data-reply"));
        var existing = comment.querySelector(".comment-form");
        if (existing) { existing.querySelector("textarea").focus(); return; }
        var fragment = template.content.cloneNode(true);
        var form = fragment.querySelector("form");
        var suffix = "-" + link.getAttribute("data-reply");
        form.id = form.id + suffix;
        form.querySelectorAll("[id]").forEach(function (el) { el.id = el.id + suffix; });
        form.querySelectorAll("label[for]").forEach(function (el) { el.htmlFor = el.htmlFor + suffix; });
        form.querySelectorAll("[aria-describedby]").forEach(function (el) {
          el.setAttribute("aria-describedby", el.getAttribute("aria-describedby").split(" ").map(function (id) { return id + suffix; }).join(" "));
        });
        form.querySelector("input[name=parent]").value = link.getAttribute("data-reply");
        comment.appendChild(fragment);
        initCounters(comment);
        comment.querySelector("textarea").focus();
        return;
      }
      var cancel = event.target.closest ? event.target.closest("[data-cancel-reply]") : null;
      if (cancel) {
        var replyForm = cancel.closest("form");
        var owner = replyForm.closest(".comment");
        replyForm.remove();
        var back = owner && owner.querySelector("a[data-reply]");
        if (back) { back.focus(); }
      }
    });
  }

  // "More comments": append the next page of threads instead of leaving the page.
  function initMoreComments() {
    if (!window.fetch || !window.DOMParser) { return; }
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-more-comments]") : null;
      if (!link) { return; }
      event.preventDefault();
      var discussion = link.closest(".discussion");
      var list = discussion.querySelector(":scope > ol.thread");
      link.setAttribute("aria-busy", "true");
      fetch(link.href, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      }).then(function (text) {
        var next = new DOMParser().parseFromString(text, "text/html").getElementById("discussion");
        var items = next ? next.querySelectorAll(":scope > ol.thread > li") : [];
        var first = null;
        items.forEach(function (item) {
          var adopted = document.importNode(item, true);
          list.appendChild(adopted);
          first = first || adopted;
        });
        var nextLink = next && next.querySelector("a[data-more-comments]");
        if (nextLink) { link.href = nextLink.getAttribute("href"); link.removeAttribute("aria-busy"); }
        else { link.parentNode.remove(); }
        if (first) {
          var heading = first.querySelector(".comment");
          heading.setAttribute("tabindex", "-1");
          heading.focus();
        }
      }).catch(function () { window.location.href = link.href; });
    });
  }

  ready(function () {
    initLanguageSwitcher();
    initCounters(document);
    initLikes();
    initReplies();
    initMoreComments();
  });
})();
