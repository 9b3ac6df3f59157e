// blocker's content script, at document_start in every page's top frame: the earliest
// look at an address, before the page has drawn anything. A blocked page is hidden at
// once and the service worker asked to replace it. The service worker also sees every
// navigation by itself; this is the fast path, not the only one.

"use strict";

(() => {
  let targets = [];
  let looked = "";

  function look() {
    const address = location.href;
    if (address === looked) {
      return;
    }
    looked = address;
    if (BlockerMatcher.findMatch(targets, address) === null) {
      return;
    }
    // Hidden until blocker's page replaces it, so nothing of the profile shows meanwhile.
    document.documentElement.style.setProperty("visibility", "hidden", "important");
    chrome.runtime.sendMessage({ kind: "look", address }).catch(() => {});
  }

  chrome.storage.managed.get(null).then(
    (managed) => {
      targets = BlockerMatcher.compileTargets(managed);
      looked = "";
      look();
    },
    () => {},
  );
  // The history API and hash changes move the address without a new document; the
  // Navigation API tells of both, popstate and hashchange of back/forward where it is
  // missing.
  if (globalThis.navigation) {
    navigation.addEventListener("currententrychange", look);
  }
  addEventListener("popstate", look);
  addEventListener("hashchange", look);
  // A page brought back from the back/forward cache runs no script anew: look again.
  addEventListener("pageshow", (event) => {
    if (event.persisted) {
      looked = "";
      look();
    }
  });
})();
