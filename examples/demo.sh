#!/bin/sh
# A dozen people a small-business owner might keep: clients, the team, a supplier,
# a client's child, a Feb 29 birthday and a birthday without a year. A few have a phone
# number, an email address or a note, which the morning digest shows as a call sheet.
# Builds a fresh demo database (not your own) and shows what is coming up:
#   sh examples/demo.sh                      # from today
#   sh examples/demo.sh --from 2026-11-22    # any servant upcoming options
set -eu
SERVANT_DB="${SERVANT_DEMO_DB:-${TMPDIR:-/tmp}/servant-demo.db}"
export SERVANT_DB
rm -f "$SERVANT_DB" "$SERVANT_DB-wal" "$SERVANT_DB-shm"

servant add "Maria Okafor" --company "Okafor Bakery" --tag client --tag vip \
  --birthday 1981-12-03 --client-since 2019-11-28 --email maria@okafor-bakery.example \
  --note "Prefers tea to coffee. Daughter Emma." >/dev/null
servant add "Emma Okafor" --birthday 2019-12-14 --tag family \
  --note "Maria Okafor's daughter; loves dinosaurs" >/dev/null
servant add "Tom Becker" --tag team --birthday 1990-11-25 --work-anniversary 2021-12-01 \
  --phone "+44 7700 900123" >/dev/null
servant add "Priya Raman" --tag team --birthday --12-18 --work-anniversary 2016-01-11 \
  --note "Team lead, support desk" >/dev/null
servant add "Omar Haddad" --tag team --birthday 1995-04-12 --work-anniversary 2024-11-24 >/dev/null
servant add "Lukas Novak" --company "Novak Print" --tag supplier \
  --date "Partnership=2018-12-07" --phone "+420 601 555 010" >/dev/null
servant add "Hana Sato" --company "Sato Design" --tag client \
  --birthday 1988-02-29 --client-since 2022-03-02 >/dev/null
servant add "Sofia Reyes" --company "Reyes & Co" --tag client \
  --birthday 1985-07-04 --anniversary 2014-12-20 >/dev/null
servant add "Grace Kim" --company "Kim Dental" --tag client --tag vip \
  --birthday 1975-11-30 --client-since 2010-05-17 --phone "+1 212 555 0142" \
  --email grace@kim-dental.example --note "Allergic to lilies" >/dev/null
servant add "Lena Moreau" --company "Moreau Flowers" --tag client \
  --birthday 1992-12-24 --date "Shop opening=2016-12-02" >/dev/null
servant add "Jonas Berg" --tag friend --birthday "Jan 5" >/dev/null
servant add "Sam Whitfield" --tag mentor --birthday 1960-01-02 --anniversary "18 June 1988" >/dev/null

servant date "Grace Kim" birthday 1975-11-30 --plan flowers --lead 5 >/dev/null
servant date "Maria" client-since 2019-11-28 --plan card --lead 10 >/dev/null

servant upcoming "$@"
