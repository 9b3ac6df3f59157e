"""The person's desktop: the tray, its icons and pictures, notifications and the clipboard."""
