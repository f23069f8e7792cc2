#!/bin/sh
# deb post-install for HashDeck (electron-builder `deb.afterInstall`). This replaces
# electron-builder's default script, so it also does what that one did: the /usr/bin link and
# the Chromium sandbox helper. Then it installs the udev rules for board access.
set -e

APP_DIR=""
for d in "/opt/${sanitizedProductName}" "/opt/${productFilename}" "/opt/HashDeck"; do
  if [ -d "$d" ] && [ -e "$d/resources/udev/99-hashdeck.rules" ]; then APP_DIR="$d"; break; fi
done
if [ -z "$APP_DIR" ]; then
  echo "HashDeck: install folder not found under /opt; udev rules not installed" >&2
  exit 0
fi

if [ -x "$APP_DIR/hashdeck" ]; then
  ln -sf "$APP_DIR/hashdeck" /usr/bin/hashdeck
fi

# Chromium's setuid sandbox helper, needed where unprivileged user namespaces are off.
if [ -f "$APP_DIR/chrome-sandbox" ]; then
  chown root:root "$APP_DIR/chrome-sandbox" || true
  chmod 4755 "$APP_DIR/chrome-sandbox" || true
fi

install -m 0644 "$APP_DIR/resources/udev/99-hashdeck.rules" /etc/udev/rules.d/99-hashdeck.rules
if command -v udevadm >/dev/null 2>&1; then
  udevadm control --reload-rules || true
  udevadm trigger --subsystem-match=tty --action=add || true
fi

if [ -f "$APP_DIR/resources/systemd/hashdeck.service" ] && [ -d /lib/systemd/system ]; then
  # Installed but not enabled: the service needs /etc/hashdeck/config.json first.
  install -m 0644 "$APP_DIR/resources/systemd/hashdeck.service" /lib/systemd/system/hashdeck.service
  command -v systemctl >/dev/null 2>&1 && systemctl daemon-reload || true
fi

command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
exit 0
