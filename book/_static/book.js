/* The theme's left sidebar holds the book's title and search above its table of contents, outside
   any landmark: make the whole sidebar the book's navigation, so screen-reader users find all of it. */
document.addEventListener("DOMContentLoaded", function () {
  var sidebar = document.getElementById("pst-primary-sidebar");
  if (sidebar && !sidebar.hasAttribute("role")) {
    sidebar.setAttribute("role", "navigation");
    sidebar.setAttribute("aria-label", "The book");
  }
});
