// The offer designer's draft editor: add and remove rows, show the fields of a row's kind,
// keep a charge's fields and its Lago JSON showing the same charge, prefill a charge model's
// example, and quote usage live with the pricing engine.
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
  var modelFields = JSON.parse(form.dataset.modelFields || "{}");
  var wholeFields = JSON.parse(form.dataset.wholeFields || "[]");
  var PERCENT_MODELS = ["percentage", "graduated_percentage"];
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
      input.addEventListener("input", row.fieldsTyped || function () {});
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

  function model(row) { return row.querySelector(".js-model").value; }
  function fieldInput(row, name) { return row.querySelector("[name='" + row.dataset.row + "-" + name + "']"); }
  function properties(row) { return row.querySelector(".js-properties"); }

  function source(row) {
    var chosen = row.querySelector(".js-source input:checked");
    return chosen ? chosen.value : "fields";
  }

  function choose(row, value) {
    row.querySelectorAll(".js-source input").forEach(function (radio) { radio.checked = radio.value === value; });
    row.dataset.source = value;
  }

  // A number typed the page's way as the engine writes it ("1.500,5" -> "1500.5"); else as typed.
  function plain(text) {
    var group = decimalSign === "," ? "." : ",";
    var bare = text.replace(/[\s\u00a0\u202f']/g, "").split(group).join("");
    if (!/^\d+([.,]\d+)?$/.test(bare.replace(decimalSign, "."))) { return text.trim(); }
    return bare.replace(decimalSign, ".");
  }

  function bound(text) {
    var value = plain(text);
    return /^\d+$/.test(value) ? parseInt(value, 10) : value;
  }

  // The fields and tier rows as Lago properties, for the JSON view; empty fields are left out.
  function typedProperties(row) {
    var props = {};
    var fields = modelFields[model(row)] || {};
    Object.keys(fields).forEach(function (key) {
      var input = fieldInput(row, fields[key]);
      if (!input || !input.value.trim()) { return; }
      props[key] = wholeFields.indexOf(fields[key]) >= 0 ? bound(input.value) : plain(input.value);
    });
    var key = rangeKeys[model(row)];
    if (key) {
      var price = model(row) === "graduated_percentage" ? "rate" : "per_unit_amount";
      props[key] = typedTiers(row).filter(function (tier) {
        return Object.keys(tier).some(function (name) { return tier[name].trim(); });
      }).map(function (tier) {
        var range = { from_value: bound(tier.from_value || "0"), to_value: tier.to_value.trim() ? bound(tier.to_value) : null };
        range[price] = plain(tier.price);
        range.flat_amount = tier.flat_amount.trim() ? plain(tier.flat_amount) : "0";
        return range;
      });
    }
    return props;
  }

  function showJson(row) { properties(row).value = JSON.stringify(typedProperties(row), null, 2); }

  // The JSON, once it reads, fills the fields and tier rows, so both views show one charge.
  function showFields(row) {
    var props;
    try { props = JSON.parse(properties(row).value); } catch (e) { return; }
    if (!props || typeof props !== "object" || Array.isArray(props)) { return; }
    var fields = modelFields[model(row)] || {};
    Object.keys(fields).forEach(function (key) {
      var input = fieldInput(row, fields[key]);
      if (input) { input.value = written(props[key]); }
    });
    var key = rangeKeys[model(row)];
    if (key && Array.isArray(props[key])) { fillTiers(row, props[key]); }
  }

  function fieldsEmpty(row) {
    var fields = modelFields[model(row)] || {};
    var empty = Object.keys(fields).every(function (key) {
      var input = fieldInput(row, fields[key]);
      return !input || !input.value.trim();
    });
    return empty && (!rangeKeys[model(row)] || tiersEmpty(row));
  }

  // A model's example fills its fields while they are empty (or when asked), never what was typed.
  function prefill(row, always) {
    var example = examples[model(row)];
    if (!example || !(always || fieldsEmpty(row))) { return; }
    properties(row).value = JSON.stringify(example, null, 2);
    showFields(row);
    choose(row, "fields");
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

  function amounts(row) {
    var typed = row.querySelector(".js-amounts").value;
    return typed.split(/[;\n]+/).map(function (text) { return text.trim(); }).filter(Boolean);
  }

  // What the engine is asked: the fields and tiers as typed (read by the server in the page's
  // language), or the JSON as typed, so numbers written without quotes reach it exactly.
  function question(row) {
    var percent = PERCENT_MODELS.indexOf(model(row)) >= 0;
    var units = row.querySelector(".js-units").value.trim();
    var parts = ['"units":' + JSON.stringify(units), '"currency":' + JSON.stringify(form.dataset.currency)];
    if (percent && row.querySelector(".js-events").value.trim()) {
      parts.push('"events":' + JSON.stringify(row.querySelector(".js-events").value.trim()));
    }
    if (percent && amounts(row).length) { parts.push('"transactions":' + JSON.stringify(amounts(row))); }
    var charge = '"charge_model":' + JSON.stringify(model(row));
    if (source(row) === "json") {
      parts.push('"charge":{' + charge + ',"properties":' + properties(row).value + "}");
      return "{" + parts.join(",") + "}";
    }
    var fields = {};
    Object.keys(modelFields[model(row)] || {}).forEach(function (key) {
      var name = modelFields[model(row)][key];
      fields[name] = fieldInput(row, name).value;
    });
    parts.push('"charge":{' + charge + ',"properties":{}}', '"fields":' + JSON.stringify(fields));
    if (rangeKeys[model(row)]) { parts.push('"tiers":' + JSON.stringify(typedTiers(row))); }
    return "{" + parts.join(",") + "}";
  }

  function quote(row) {
    // Only the newest question is answered: an older reply arriving late is dropped.
    var asked = row.dataset.asked = String(Number(row.dataset.asked || 0) + 1);
    var percent = PERCENT_MODELS.indexOf(model(row)) >= 0;
    var units = row.querySelector(".js-units").value.trim();
    row.querySelector(".quote-error").textContent = "";
    if (!units && !(percent && amounts(row).length)) { row.querySelector(".quote-amount").textContent = ""; return; }
    if (source(row) === "json" && compact(properties(row).value) === null) {
      showError(row, form.dataset.invalidJson); return;
    }
    fetch(form.dataset.quoteUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": form.dataset.csrf },
      body: question(row)
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

  function setUpCharge(row, later) {
    row.dataset.source = source(row);
    // Typing in one view makes it the one saved and shows the same charge in the other.
    row.fieldsTyped = function () { choose(row, "fields"); showJson(row); later(); };
    row.querySelector(".charge-fields").querySelectorAll("input").forEach(function (input) {
      input.addEventListener("input", row.fieldsTyped);
    });
    tierList(row).querySelectorAll("input").forEach(function (input) {
      input.addEventListener("input", row.fieldsTyped);
    });
    properties(row).addEventListener("input", function () { choose(row, "json"); showFields(row); later(); });
    row.querySelectorAll(".js-source input").forEach(function (radio) {
      radio.addEventListener("change", function () {
        row.dataset.source = source(row);
        if (source(row) === "fields") { showJson(row); } else { showFields(row); }
        later();
      });
    });
    row.querySelectorAll(".js-units, .js-events, .js-amounts").forEach(function (input) {
      input.addEventListener("input", later);
    });
    row.querySelector(".js-model").addEventListener("change", function () {
      showKind(row); choose(row, "fields"); prefill(row); showJson(row); later();
    });
  }

  function setUp(row) {
    showKind(row);
    var kind = row.querySelector(".js-kind");
    if (kind) { kind.addEventListener("change", function () { showKind(row); }); }
    var later = row.querySelector(".js-units") ? debounced(row) : null;
    if (later) { setUpCharge(row, later); }
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
      example.addEventListener("click", function () { prefill(row, true); showJson(row); later(); });
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
