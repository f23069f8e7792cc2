#!/bin/sh
# deb post-remove for HashDeck (electron-builder `deb.afterRemove`): undo after-install.sh.
# The service user, /etc/hashdeck and /var/lib/hashdeck (the ledger) are left in place.
set -e
if [ "$1" = "remove" ] || [ "$1" = "purge" ]; then
  rm -f /usr/bin/hashdeck
  rm -f /etc/udev/rules.d/99-hashdeck.rules
  command -v udevadm >/dev/null 2>&1 && udevadm control --reload-rules || true
  if [ -f /lib/systemd/system/hashdeck.service ]; then
    command -v systemctl >/dev/null 2>&1 && systemctl disable --now hashdeck.service >/dev/null 2>&1 || true
    rm -f /lib/systemd/system/hashdeck.service
    command -v systemctl >/dev/null 2>&1 && systemctl daemon-reload || true
  fi
fi
exit 0
