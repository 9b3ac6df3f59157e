"""blocker's own browser extension, as the daemon ships it: the signing key, the CRX3
package and the loopback server Chromium installs it from."""
