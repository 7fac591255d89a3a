// Tollgate console: the little behaviour the pages need beyond htmx. No inline scripts anywhere (the CSP forbids them).
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]');

  // htmx requests carry the antiforgery token in a header, so buttons outside a form can post too.
  document.addEventListener("htmx:configRequest", function (event) {
    if (token) { event.detail.headers["X-CSRF-Token"] = token.getAttribute("content"); }
  });

  // Forms and buttons marked data-confirm ask first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm") || (event.submitter && event.submitter.getAttribute("data-confirm"));
    if (message && !window.confirm(message)) { event.preventDefault(); }
  }, true);

  // Selects marked data-autosubmit submit their form on change (the form also has a submit button for keyboards).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) { el.form.requestSubmit(); }
  });

  // Copy buttons.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        var label = button.textContent; button.textContent = "Copied"; setTimeout(function () { button.textContent = label; }, 1500);
      });
    }
  });

  // On a phone the navigation starts folded.
  function foldNavigation() {
    var nav = document.getElementById("nav-menu");
    if (nav && window.matchMedia("(max-width: 760px)").matches) { nav.removeAttribute("open"); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", foldNavigation); } else { foldNavigation(); }

  // A form answered with errors: the focus goes to the first field marked invalid, whose aria-describedby names its
  // error, so a screen reader reads the field and the error together. On load, and in what an htmx swap brought.
  function focusFirstError(root) {
    var field = root.querySelector('input[aria-invalid="true"], select[aria-invalid="true"], textarea[aria-invalid="true"]');
    if (field) { field.focus(); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", function () { focusFirstError(document); }); } else { focusFirstError(document); }
  document.addEventListener("htmx:afterSettle", function (event) { if (event.detail && event.detail.elt) { focusFirstError(event.detail.elt); } });

  // A list that searches as one types (data-keep-while-focused) is not replaced under a person who has moved into it.
  // The answer to what they typed last comes ~300 ms after they stop typing; a person who Tabs into the results
  // sooner had the focused link taken away by that answer, and the focus fell to the top of the page. Such an answer
  // is dropped: the list they are in stays as they saw it. The list is then marked stale, with the form that asked, and
  // when the focus leaves the list that form searches again, so the list always ends filtered by what the box says
  // (a dropped answer left them disagreeing until the person typed again, and going back to the box changed nothing).
  var staleSearches = new WeakMap();
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var focused = document.activeElement;
    if (target && target.hasAttribute("data-keep-while-focused") && focused && focused !== target && target.contains(focused)) {
      event.detail.shouldSwap = false;
      // The form that asked is the request's element (the event's own elt is the target, the list).
      var asker = event.detail.requestConfig && event.detail.requestConfig.elt;
      if (asker) { staleSearches.set(target, asker); }
    }
  });
  document.addEventListener("focusout", function (event) {
    var list = event.target.closest && event.target.closest("[data-keep-while-focused]");
    var asker = list && staleSearches.get(list);
    if (!asker || (event.relatedTarget && list.contains(event.relatedTarget))) { return; }
    staleSearches.delete(list);
    if (asker.isConnected && asker.requestSubmit) { asker.requestSubmit(); }
  });

  // A table wider than its frame scrolls sideways: the frame becomes a tab stop (and a named region), so a keyboard
  // can scroll it too. Frames that fit stay out of the tab order. Checked on load, after htmx swaps and on resize.
  function focusableOverflow() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var overflows = wrap.scrollWidth > wrap.clientWidth + 1;
      if (overflows && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        var caption = wrap.querySelector("caption");
        var heading = wrap.closest("section, .card");
        heading = heading && heading.querySelector("h2, h3");
        wrap.setAttribute("aria-label", (caption || heading || { textContent: "Table" }).textContent.trim() + " (scrolls sideways)");
        wrap.setAttribute("data-scroll-frame", "");
      } else if (!overflows && wrap.hasAttribute("data-scroll-frame")) {
        ["tabindex", "role", "aria-label", "data-scroll-frame"].forEach(function (name) { wrap.removeAttribute(name); });
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", focusableOverflow); } else { focusableOverflow(); }
  document.addEventListener("htmx:afterSettle", focusableOverflow);
  window.addEventListener("resize", focusableOverflow);
})();
