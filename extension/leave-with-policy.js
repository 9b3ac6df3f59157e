// Firefox only: its manifest, made at build time, lists this file among the background
// scripts; Chromium never loads it.
//
// Chromium removes an extension it force-installed once the policy stops naming it.
// Firefox keeps it installed and running (measured with Firefox ESR 153), even with
// add-on signature checks back on. blocker's policy always hands the extension its list
// as managed storage ("3rdparty"), and Firefox reads the policy only when it starts: a
// start without that storage means the block ended or paused and its policy is gone, so
// the extension removes itself. The next block installs it again. While the policy is in
// force Firefox itself refuses the removal (it locks a force-installed add-on).
//
// Where the person's own policies.json sets ExtensionSettings, Firefox re-checks every
// add-on's signature at that start, before any background script runs, and disables this
// unsigned one first (measured): it then stays in about:addons, disabled and doing
// nothing, until the person removes it.

"use strict";

browser.storage.managed.get(null).then(
  () => {},
  () =>
    browser.management.uninstallSelf().catch((error) => {
      console.warn("blocker: could not remove itself from Firefox", error);
    }),
);
