// The plan page: Escape cancels the row being edited, a row that turns into a form gets the
// focus, and a refused request (403, 404, ...) is said out loud instead of doing nothing.
(function () {
  "use strict";

  function openForm(element) {
    var form = element && element.closest ? element.closest("form.measure-edit") : null;
    if (form) return form;
    var forms = document.querySelectorAll("form.measure-edit");
    return forms.length === 1 ? forms[0] : null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var form = openForm(event.target);
    var cancel = form && form.querySelector("[data-cancel]");
    if (cancel) {
      event.preventDefault();
      cancel.click();
    }
  });

  htmx.onLoad(function (element) {
    if (!element.querySelector) return;
    var field = element.querySelector(
      "form.measure-edit select, form.measure-edit textarea, form.measure-edit input:not([type=hidden])"
    );
    if (field && element !== document.body) field.focus();
  });

  function say(key) {
    var alert = document.getElementById("plan-alert");
    if (!alert) return;
    alert.textContent = alert.dataset[key];
    alert.classList.remove("d-none");
  }

  document.body.addEventListener("htmx:beforeRequest", function () {
    var alert = document.getElementById("plan-alert");
    if (alert) alert.classList.add("d-none");
  });
  document.body.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    say(status === 403 ? "forbidden" : status === 404 ? "missing" : "failed");
  });
  document.body.addEventListener("htmx:sendError", function () {
    say("offline");
  });
})();
