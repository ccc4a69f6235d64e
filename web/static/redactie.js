/* Search-as-you-type for the pickers of the curation form (progressive enhancement). Without JavaScript
   every picker is a plain (multiple) select: the references, and the target of each relation of an actor
   (a list box, class kast-picker); with it, a search field above each one hides the options that do
   not match what is typed (chosen options stay visible), and a live region says how many are left. Only
   option visibility changes: what is sent is the select itself, exactly as without JavaScript. */
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  Array.prototype.forEach.call(document.querySelectorAll("select.kast-multiselect, select.kast-picker"), function (select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    var name = label ? label.textContent.trim() : select.name;
    var wrap = document.createElement("div");
    wrap.className = "kast-picker-search";
    var search = document.createElement("input");
    search.type = "search";
    search.id = select.id + "-zoek";
    search.className = "utrecht-textbox utrecht-textbox--html-input";
    search.setAttribute("autocomplete", "off");
    search.setAttribute("aria-controls", select.id);
    var searchLabel = document.createElement("label");
    searchLabel.className = "utrecht-form-label";
    searchLabel.htmlFor = search.id;
    searchLabel.textContent = "Zoek in " + name.toLowerCase();
    var status = document.createElement("p");
    status.id = select.id + "-aantal";
    status.className = "kast-muted kast-picker-status";
    status.setAttribute("aria-live", "polite");
    search.setAttribute("aria-describedby", status.id);
    wrap.appendChild(searchLabel);
    wrap.appendChild(search);
    wrap.appendChild(status);
    select.parentNode.insertBefore(wrap, select);
    var options = Array.prototype.slice.call(select.options).map(function (option) {
      return { option: option, text: fold(option.textContent + " " + option.value) };
    });
    search.addEventListener("input", function () {
      var words = fold(search.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      options.forEach(function (o) {
        var match = o.option.selected || words.every(function (w) { return o.text.indexOf(w) !== -1; });
        o.option.hidden = !match;
        if (match) { shown += 1; }
      });
      status.textContent = words.length ? shown + " van " + options.length + " zichtbaar" : "";
    });
  });
}());
