#!/bin/sh
# deb post-install for HashDeck (electron-builder `deb.afterInstall`; electron-builder fills in the
# ${...} macros). This replaces electron-builder's default script, so it also does what that one
# does (the Chromium sandbox helper, the AppArmor profile for Ubuntu 24+, desktop and MIME
# databases). Then: /usr/bin/hashdeck, the udev rules and the (not enabled) systemd unit.
set -e

APP_DIR='/opt/${sanitizedProductName}'
if [ ! -x "$APP_DIR/${executable}" ]; then
  echo "HashDeck: $APP_DIR/${executable} not found; nothing set up" >&2
  exit 0
fi

# /usr/bin/hashdeck is the launcher, not the Electron binary: `hashdeck mine|diagnose|devices|emulate …`
# runs the engine headless (the binary as Node, no window, no display needed); anything else opens
# the app. A link left by an older package or by update-alternatives is replaced.
chmod 0755 "$APP_DIR/resources/bin/hashdeck"
if command -v update-alternatives >/dev/null 2>&1; then
  update-alternatives --remove '${executable}' "$APP_DIR/${executable}" >/dev/null 2>&1 || true
fi
ln -sf "$APP_DIR/resources/bin/hashdeck" /usr/bin/hashdeck

# Chromium's setuid sandbox helper only where unprivileged user namespaces do not work.
if [ -f "$APP_DIR/chrome-sandbox" ]; then
  chown root:root "$APP_DIR/chrome-sandbox" || true
  if [ -L /proc/self/ns/user ] && unshare --user true 2>/dev/null; then
    chmod 0755 "$APP_DIR/chrome-sandbox" || true
  else
    chmod 4755 "$APP_DIR/chrome-sandbox" || true
  fi
fi

# AppArmor profile (Ubuntu 24+ restricts unprivileged user namespaces), when this AppArmor can load it.
if [ -f "$APP_DIR/resources/apparmor-profile" ] && apparmor_status --enabled >/dev/null 2>&1; then
  if apparmor_parser --skip-kernel-load --debug "$APP_DIR/resources/apparmor-profile" >/dev/null 2>&1; then
    cp -f "$APP_DIR/resources/apparmor-profile" '/etc/apparmor.d/${executable}'
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; }; then
      apparmor_parser --replace --write-cache --skip-read-cache '/etc/apparmor.d/${executable}' || true
    fi
  fi
fi

install -m 0644 "$APP_DIR/resources/udev/99-hashdeck.rules" /etc/udev/rules.d/99-hashdeck.rules
if command -v udevadm >/dev/null 2>&1; then
  udevadm control --reload-rules || true
  udevadm trigger --subsystem-match=tty --action=add || true
fi

if [ -f "$APP_DIR/resources/systemd/hashdeck.service" ] && [ -d /lib/systemd/system ]; then
  # Installed but not enabled: the service needs /etc/hashdeck/config.json and its user first (README).
  install -m 0644 "$APP_DIR/resources/systemd/hashdeck.service" /lib/systemd/system/hashdeck.service
  if command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload || true; fi
fi

if command -v update-mime-database >/dev/null 2>&1; then update-mime-database /usr/share/mime || true; fi
if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q /usr/share/applications || true; fi
exit 0
