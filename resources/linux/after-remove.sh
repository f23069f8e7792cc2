#!/bin/sh
# deb post-remove for HashDeck (electron-builder `deb.afterRemove`): undo after-install.sh.
# The service user, /etc/hashdeck and /var/lib/hashdeck (the ledger) are left in place.
set -e
if [ "$1" = "remove" ] || [ "$1" = "purge" ]; then
  rm -f /usr/bin/hashdeck
  rm -f /etc/udev/rules.d/99-hashdeck.rules
  if command -v udevadm >/dev/null 2>&1; then udevadm control --reload-rules || true; fi
  if [ -f /lib/systemd/system/hashdeck.service ]; then
    if command -v systemctl >/dev/null 2>&1; then systemctl disable --now hashdeck.service >/dev/null 2>&1 || true; fi
    rm -f /lib/systemd/system/hashdeck.service
    if command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload || true; fi
  fi
  if [ -f '/etc/apparmor.d/${executable}' ]; then
    if apparmor_status --enabled >/dev/null 2>&1 && ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; }; then
      apparmor_parser --remove '/etc/apparmor.d/${executable}' || true
    fi
    rm -f '/etc/apparmor.d/${executable}'
  fi
fi
exit 0
