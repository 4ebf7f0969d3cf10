/* The theme's left sidebar holds the book's title and search above its table of contents, outside
   any landmark: make the whole sidebar the book's navigation, so screen-reader users find all of it. */
document.addEventListener("DOMContentLoaded", function () {
  var sidebar = document.getElementById("pst-primary-sidebar");
  if (sidebar && !sidebar.hasAttribute("role")) {
    sidebar.setAttribute("role", "navigation");
    sidebar.setAttribute("aria-label", "The book");
  }
});

/* sphinx-book-theme 1.3 draws the navigation toggle and the "on this page" toggle a second time in
   the article's header, and those are the ones a reader sees; but it and pydata-sphinx-theme 0.17
   listen only on the first of each (in the site header, hidden at every width), so the visible
   buttons did nothing. Pass their clicks on to the first, which opens the navigation. */
document.addEventListener("DOMContentLoaded", function () {
  ["primary", "secondary"].forEach(function (side) {
    var toggles = document.querySelectorAll("button." + side + "-toggle");
    Array.prototype.slice.call(toggles, 1).forEach(function (toggle) {
      toggle.addEventListener("click", function (event) {
        event.preventDefault();
        toggles[0].click();
      });
    });
  });
});
