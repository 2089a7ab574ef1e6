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
  var rangeKeys = JSON.parse(form.dataset.rangeKeys || "{}");
  var decimalSign = form.dataset.decimal || ".";
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
    var model = row.querySelector(".js-model");
    if (model) { row.dataset.model = model.value; }
  }

  // A range model's example ranges go to the tier rows; the rest of it to the properties.
  function textExample(model) {
    var copy = JSON.parse(JSON.stringify(examples[model] || {}));
    if (rangeKeys[model]) { delete copy[rangeKeys[model]]; }
    return copy;
  }

  // Replace the properties only while they still hold an example, never what someone typed.
  function isExample(text) {
    if (!text.trim()) { return true; }
    return Object.keys(examples).some(function (model) {
      var typed = compact(text);
      return JSON.stringify(examples[model]) === typed || JSON.stringify(textExample(model)) === typed;
    });
  }

  function tierList(row) { return row.querySelector(".tier-rows"); }

  function nextTier(row) {
    var highest = -1;
    tierList(row).querySelectorAll("[name]").forEach(function (field) {
      var match = /-tiers-(\d+)-/.exec(field.name);
      if (match) { highest = Math.max(highest, parseInt(match[1], 10)); }
    });
    return highest + 1;
  }

  function addTier(row) {
    var template = row.querySelector(".tier-template");
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__tier__/g, String(nextTier(row))).trim();
    var tier = holder.firstElementChild;
    tierList(row).appendChild(tier);
    tier.querySelectorAll("input").forEach(function (input) {
      input.addEventListener("input", row.later || function () {});
    });
    return tier;
  }

  function tiersEmpty(row) {
    return Array.prototype.every.call(tierList(row).querySelectorAll("input"), function (input) {
      return !input.value.trim();
    });
  }

  function written(value) {
    return value === null || value === undefined ? "" : String(value).replace(".", decimalSign);
  }

  function fillTiers(row, ranges) {
    tierList(row).innerHTML = "";
    ranges.forEach(function (range) {
      var tier = addTier(row);
      var price = range.rate !== undefined ? range.rate : range.per_unit_amount;
      var values = { from_value: range.from_value, to_value: range.to_value, price: price, flat_amount: range.flat_amount };
      Object.keys(values).forEach(function (name) {
        var input = tier.querySelector("[name$='-" + name + "']");
        if (input) { input.value = written(values[name]); }
      });
    });
  }

  function typedTiers(row) {
    var rows = [];
    tierList(row).querySelectorAll(".tier-row").forEach(function (tier) {
      var typed = {};
      tier.querySelectorAll("input[name]").forEach(function (input) {
        typed[input.name.replace(/^.*-tiers-\d+-/, "")] = input.value;
      });
      rows.push(typed);
    });
    return rows;
  }

  function compact(text) {
    try { return JSON.stringify(JSON.parse(text)); } catch (e) { return null; }
  }

  function prefill(row, always) {
    var model = row.querySelector(".js-model");
    var props = row.querySelector(".js-properties");
    if (!model || !props || !examples[model.value]) { return; }
    if (always || isExample(props.value)) {
      props.value = JSON.stringify(textExample(model.value), null, 2);
    }
    var key = rangeKeys[model.value];
    if (key && (always || tiersEmpty(row))) { fillTiers(row, examples[model.value][key]); }
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
    // The properties go as typed, so numbers written without quotes reach the engine exactly;
    // tiers and units go as typed too, read by the server in the page's language.
    var model = row.querySelector(".js-model").value;
    var tiers = rangeKeys[model] ? ',"tiers":' + JSON.stringify(typedTiers(row)) : "";
    var body = '{"units":' + JSON.stringify(units) +
      ',"currency":' + JSON.stringify(form.dataset.currency) +
      ',"charge":{"charge_model":' + JSON.stringify(model) +
      ',"properties":' + props + "}" + tiers + "}";
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
    row.later = later;
    if (model) {
      model.addEventListener("change", function () {
        showKind(row); prefill(row); if (later) { later(); }
      });
    }
    if (later) {
      row.querySelector(".js-units").addEventListener("input", later);
      row.querySelector(".js-properties").addEventListener("input", later);
      tierList(row).querySelectorAll("input").forEach(function (input) {
        input.addEventListener("input", later);
      });
    }
    var addTierButton = row.querySelector(".js-add-tier");
    if (addTierButton) {
      addTierButton.hidden = false;
      addTierButton.addEventListener("click", function () {
        var tier = addTier(row);
        var first = tier.querySelector("input");
        if (first) { first.focus(); }
      });
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
