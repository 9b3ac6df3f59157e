// Which block-list page an address is, if any. Pure: no browser APIs, so the service
// worker, the content script and `node --test` all load this same file.
//
// A target is what the policy carries: {label, prefix}, the prefix as blocker writes it
// for URLBlocklist ("instagram.com/alex.example", "facebook.com/profile.php?id=1").
// Addresses are compared as the sites compare them:
//   * the host or any subdomain of it (www., m.), a trailing dot ignored;
//   * whole path segments, without regard to case (the platforms treat Alex and alex
//     as one person), so /alex.example/reels/ is the profile and /alex.example2/ is not;
//   * a query in the prefix (profile.php?id=1) as a parameter the address must carry,
//     wherever it stands among the others;
//   * a hash route (/#/alex.example/ or /#!/alex.example/) as a path too, since a
//     single-page app may route on it.

"use strict";

const BlockerMatcher = (() => {
  function segmentsOf(path) {
    return path
      .split("/")
      .filter((part) => part !== "")
      .map((part) => {
        // Percent-escapes name the same page (/%61lex.example is /alex.example).
        try {
          return decodeURIComponent(part).toLowerCase();
        } catch {
          return part.toLowerCase();
        }
      });
  }

  function compileTarget(target) {
    if (!target || typeof target.prefix !== "string") {
      return null;
    }
    const prefix = target.prefix.trim();
    const slash = prefix.search(/[/?]/);
    const host = (slash < 0 ? prefix : prefix.slice(0, slash)).toLowerCase().replace(/\.$/, "");
    if (host === "") {
      return null;
    }
    const rest = slash < 0 ? "/" : prefix.slice(slash);
    const parsed = new URL(rest.startsWith("/") ? rest : `/${rest}`, "https://blocker.invalid");
    return {
      label: typeof target.label === "string" ? target.label : "",
      host,
      segments: segmentsOf(parsed.pathname),
      query: [...parsed.searchParams.entries()],
    };
  }

  // The managed policy's value ({version, targets}) → compiled targets; anything
  // malformed is left out rather than taking the others down.
  function compileTargets(managed) {
    const targets = managed && Array.isArray(managed.targets) ? managed.targets : [];
    return targets.map(compileTarget).filter((target) => target !== null);
  }

  function hostMatches(host, wanted) {
    return host === wanted || host.endsWith(`.${wanted}`);
  }

  function routeMatches(target, pathname, params) {
    const segments = segmentsOf(pathname);
    if (segments.length < target.segments.length) {
      return false;
    }
    if (!target.segments.every((segment, index) => segments[index] === segment)) {
      return false;
    }
    return target.query.every(([name, value]) => params.getAll(name).includes(value));
  }

  // The routes an address shows: its path, and its hash when the hash is a route.
  function routesOf(url) {
    const routes = [{ pathname: url.pathname, params: url.searchParams }];
    const hash = url.hash.replace(/^#!?/, "");
    if (hash.startsWith("/")) {
      const route = new URL(hash, "https://blocker.invalid");
      routes.push({ pathname: route.pathname, params: route.searchParams });
    }
    return routes;
  }

  // The first target the address is a page of, or null.
  function findMatch(targets, address) {
    let url;
    try {
      url = new URL(address);
    } catch {
      return null;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      return null;
    }
    const host = url.hostname.toLowerCase().replace(/\.$/, "");
    const routes = routesOf(url);
    for (const target of targets) {
      if (!hostMatches(host, target.host)) {
        continue;
      }
      if (routes.some((route) => routeMatches(target, route.pathname, route.params))) {
        return target;
      }
    }
    return null;
  }

  return { compileTargets, findMatch };
})();

// Node's tests load this file with require(); the browser sees a global.
if (typeof module === "object" && module.exports) {
  module.exports = BlockerMatcher;
}
