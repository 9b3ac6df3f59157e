// blocker's own page in place of a blocked one. What it shows is a view built from its
// address; later parts of the period (the day, a reason, a pause) become fields of the
// view, each rendered into an element of its own.

"use strict";

function viewOf(address) {
  const label = new URL(address).searchParams.get("label");
  return { label: label || "" };
}

function render(view) {
  if (view.label) {
    // As the person wrote it in the block list, never as the site names itself.
    document.getElementById("blocker-label").textContent = view.label;
  }
}

async function closeThisTab() {
  const tab = await chrome.tabs.getCurrent();
  if (tab && tab.id !== undefined) {
    await chrome.tabs.remove(tab.id);
  } else {
    window.close();
  }
}

render(viewOf(location.href));
document.getElementById("blocker-close").addEventListener("click", closeThisTab);
document.getElementById("blocker-close").focus();
