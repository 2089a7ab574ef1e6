// The offer designer's draft editor: add and remove rows, show the fields of a row's kind,
// prefill a charge model's example, and quote usage live with the pricing engine.
(function () {
  "use strict";

  document.querySelectorAll("form.js-confirm").forEach(function (confirmed) {
    confirmed.addEventListener("submit", function (event) {
      if (!window.confirm(confirmed.dataset.confirm)) { event.preventDefault(); }
    });
  });

  var form = document.getElementById("draft-form");
  if (!form) { return; }
  var examples = JSON.parse(form.dataset.examples || "{}");
  var DELAY = 300;

  function nextIndex(list) {
    var highest = -1;
    list.querySelectorAll("[name]").forEach(function (field) {
      var match = /^[a-z]+-(\d+)-/.exec(field.name);
      if (match) { highest = Math.max(highest, parseInt(match[1], 10)); }
    });
    return highest + 1;
  }

  function addRow(kind) {
    var list = form.querySelector('[data-rows="' + kind + '"]');
    var template = document.getElementById(kind.replace(/s$/, "") + "-template");
    var html = template.innerHTML.replace(/__index__/g, String(nextIndex(list)));
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var row = holder.firstElementChild;
    list.appendChild(row);
    setUp(row);
    var first = row.querySelector("input, select");
    if (first) { first.focus(); }
  }

  function showKind(row) {
    var kind = row.querySelector(".js-kind");
    if (kind) { row.dataset.kind = kind.value; }
  }

  // Replace the properties only while they still hold an example, never what someone typed.
  function isExample(text) {
    if (!text.trim()) { return true; }
    return Object.keys(examples).some(function (model) {
      return JSON.stringify(examples[model]) === compact(text);
    });
  }

  function compact(text) {
    try { return JSON.stringify(JSON.parse(text)); } catch (e) { return null; }
  }

  function prefill(row, always) {
    var model = row.querySelector(".js-model");
    var props = row.querySelector(".js-properties");
    if (model && props && (always || isExample(props.value)) && examples[model.value]) {
      props.value = JSON.stringify(examples[model.value], null, 2);
    }
  }

  function renderQuote(row, answer) {
    var out = row.querySelector(".quote-amount");
    out.textContent = "";
    var total = document.createElement("strong");
    total.textContent = answer.display.amount;
    out.appendChild(total);
    var list = document.createElement("ul");
    answer.display.lines.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
    out.appendChild(list);
  }

  function showError(row, message) {
    row.querySelector(".quote-amount").textContent = "";
    row.querySelector(".quote-error").textContent = message;
  }

  function quote(row) {
    // Only the newest question is answered: an older reply arriving late is dropped.
    var asked = row.dataset.asked = String(Number(row.dataset.asked || 0) + 1);
    var units = row.querySelector(".js-units").value.trim();
    var props = row.querySelector(".js-properties").value;
    row.querySelector(".quote-error").textContent = "";
    if (!units) { row.querySelector(".quote-amount").textContent = ""; return; }
    if (compact(props) === null) { showError(row, form.dataset.invalidJson); return; }
    // The properties go as typed, so numbers written without quotes reach the engine exactly.
    var body = '{"units":' + JSON.stringify(units) +
      ',"currency":' + JSON.stringify(form.dataset.currency) +
      ',"charge":{"charge_model":' + JSON.stringify(row.querySelector(".js-model").value) +
      ',"properties":' + props + "}}";
    fetch(form.dataset.quoteUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": form.dataset.csrf },
      body: body
    }).then(function (response) {
      return response.json().then(function (answer) { return [response.ok, answer]; });
    }).then(function (result) {
      if (row.dataset.asked !== asked) { return; }
      if (result[0]) { renderQuote(row, result[1]); } else { showError(row, result[1].error); }
    }).catch(function () {
      if (row.dataset.asked === asked) { showError(row, form.dataset.quoteFailed); }
    });
  }

  function debounced(row) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(function () { quote(row); }, DELAY);
    };
  }

  function setUp(row) {
    showKind(row);
    var kind = row.querySelector(".js-kind");
    if (kind) { kind.addEventListener("change", function () { showKind(row); }); }
    var model = row.querySelector(".js-model");
    var later = row.querySelector(".js-units") ? debounced(row) : null;
    if (model) {
      model.addEventListener("change", function () { prefill(row); if (later) { later(); } });
    }
    if (later) {
      row.querySelector(".js-units").addEventListener("input", later);
      row.querySelector(".js-properties").addEventListener("input", later);
    }
    var example = row.querySelector(".js-example");
    if (example) {
      example.hidden = false;
      example.addEventListener("click", function () { prefill(row, true); if (later) { later(); } });
    }
    var remove = row.querySelector(".js-remove");
    if (remove) {
      remove.hidden = false;
      remove.addEventListener("click", function () { row.remove(); });
    }
  }

  form.querySelectorAll(".component-row, .allowance-row").forEach(setUp);
  form.querySelectorAll("[data-add]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { addRow(button.dataset.add); });
  });
  form.classList.add("js-ready");
}());
