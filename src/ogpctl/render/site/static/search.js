// The search page's only script (deferred, after pagefind-ui.js): Pagefind's interface, in
// the page's language; it finds its bundle (pagefind/) and the site's root from its address.
"use strict";
new PagefindUI({ element: "#search", showSubResults: true, showImages: false });
