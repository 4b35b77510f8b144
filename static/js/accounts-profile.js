/* Profile page (accounts): progressive enhancement only; the form works without it.
   - the desa list shows only the desa of the chosen kecamatan;
   - the company fields show only for a badan usaha. */
(function () {
  "use strict";

  var kecamatan = document.querySelector("[data-kecamatan-select]");
  var desa = document.querySelector("[data-desa-select]");
  if (kecamatan && desa) {
    var filterDesa = function () {
      var chosen = kecamatan.options[kecamatan.selectedIndex];
      var name = chosen && chosen.value ? chosen.text : null;
      Array.prototype.forEach.call(desa.querySelectorAll("optgroup"), function (group) {
        var visible = name === null || group.label === name;
        group.hidden = !visible;
        group.disabled = !visible;
        if (!visible && group.contains(desa.options[desa.selectedIndex])) {
          desa.value = "";
        }
      });
    };
    kecamatan.addEventListener("change", filterDesa);
    filterDesa();
  }

  var kinds = document.querySelectorAll("[data-applicant-kind]");
  var companyFields = ["company_name", "nib", "npwp"].map(function (name) {
    return document.getElementById("div_id_" + name);
  }).filter(Boolean);
  if (kinds.length && companyFields.length) {
    var toggleCompany = function () {
      var checked = document.querySelector("[data-applicant-kind]:checked");
      var isCompany = checked && checked.value === "badan_usaha";
      companyFields.forEach(function (div) { div.hidden = !isCompany; });
    };
    Array.prototype.forEach.call(kinds, function (radio) {
      radio.addEventListener("change", toggleCompany);
    });
    toggleCompany();
  }
})();
