#!/usr/bin/env bash
# A small ledger from scratch, through the command line only: open it,
# register officers' keys, record a household and a person, a benefit
# proposed by the registrar and approved by the approver, a payment; then
# print the log and the benefit's history.
set -euo pipefail
cd "$(dirname "$0")/.."
ANSINH=.venv/bin/ansinh
DIR=walkthrough
rm -rf "$DIR" && mkdir -p "$DIR"
export ANSINH_DB="$DIR/ansinh.db"
export ANSINH_VAULT_KEY_FILE="$DIR/keys/vault.key"
LEDGER=ansinh.vn/son-la/song-ma/chieng-en

step() { printf '\n== %s\n' "$*"; }
uuid() { python3 -c 'import uuid; print(uuid.uuid4())'; }

step "Open the ledger of UBND xã Chiềng En"
$ANSINH init --ledger-id "$LEDGER" --name "UBND xã Chiềng En" --keys "$DIR/keys"

step "Officers' keys: a registrar, an approver (the chairman's deputy), a cashier"
for who in registrar approver cashier; do $ANSINH keys new --keys "$DIR/keys" --name "$who" >/dev/null; done
$ANSINH keys register --key "$DIR/keys/registrar.pub" --holder-id can-bo-ldtbxh \
  --holder-name "Công chức LĐ-TB&XH" --role registrar --admin-key "$DIR/keys/authority.key"
$ANSINH keys register --key "$DIR/keys/approver.pub" --holder-id pho-chu-tich \
  --holder-name "Phó Chủ tịch UBND xã" --role approver --admin-key "$DIR/keys/authority.key"
$ANSINH keys register --key "$DIR/keys/cashier.pub" --holder-id ke-toan \
  --holder-name "Kế toán xã" --role cashier --admin-key "$DIR/keys/authority.key"
$ANSINH keys list

HH=$(uuid); PERSON=$(uuid); PROGRAM=$(uuid); BENEFIT=$(uuid); PAYMENT=$(uuid)
sign_submit() { # who type body [pii]
  local extra=()
  [ $# -ge 4 ] && extra=(--pii "$4")
  $ANSINH sign --key "$DIR/keys/$1.key" --type "$2" --body "$3" "${extra[@]}" > "$DIR/last.json"
  $ANSINH submit "$DIR/last.json"
}

step "The registrar records a household in Bản Huổi and its head (personal data goes to the vault)"
sign_submit registrar household.registered "{\"household_id\":\"$HH\",\"code\":\"CE-HUOI-001\",\"village\":\"Bản Huổi\"}"
sign_submit registrar person.registered \
  "{\"person_id\":\"$PERSON\",\"household_id\":\"$HH\",\"relation\":\"head\",\"sex\":\"m\",\"birth_year\":1950}" \
  '{"full_name":"Lò Văn Sáng","national_id":"000000000001","birth_date":"1950-05-01"}'

step "The authority defines the war-invalid allowance; the registrar proposes a benefit"
sign_submit authority program.defined "{\"program_id\":\"$PROGRAM\",\"code\":\"NCC-TB\",\"name\":\"Trợ cấp thương binh\",\"category\":\"meritorious\",\"kind\":\"monthly\"}"
sign_submit registrar benefit.proposed "{\"benefit_id\":\"$BENEFIT\",\"program_id\":\"$PROGRAM\",\"person_id\":\"$PERSON\",\"amount\":1624000,\"start\":\"2022-01\",\"basis\":\"Thương binh 61%\"}"

step "The registrar may not approve their own proposal (maker-checker):"
if sign_submit registrar benefit.approved "{\"benefit_id\":\"$BENEFIT\",\"decision\":{\"number\":\"15/QĐ-UBND\",\"date\":\"2022-01-06\"}}"; then
  echo "unexpected: accepted" && exit 1
fi

step "The approver approves it"
sign_submit approver benefit.approved "{\"benefit_id\":\"$BENEFIT\",\"decision\":{\"number\":\"15/QĐ-UBND\",\"date\":\"2022-01-06\"}}"

step "The cashier pays January in cash against the recipient's signature"
sign_submit cashier payment.recorded "{\"payment_id\":\"$PAYMENT\",\"benefit_id\":\"$BENEFIT\",\"month\":\"2022-01\",\"amount\":1624000,\"paid_on\":\"2022-01-10\",\"method\":\"cash\",\"recipient\":\"$PERSON\",\"receipt\":{\"kind\":\"signature\",\"evidence\":\"$(printf 'scan of the signed list' | sha256sum | cut -d' ' -f1)\"}}"

step "Submitting the same envelope again returns the entry already recorded"
$ANSINH submit "$DIR/last.json"

step "The log"
$ANSINH log

step "Everything that touched the benefit"
$ANSINH history "$BENEFIT"

step "The person's record, read back from the vault"
$ANSINH vault show "$PERSON"

step "The notary signs a checkpoint of the log (C2SP signed note)"
$ANSINH checkpoint --notary-key "$DIR/keys/notary.key"

step "An inspector's witness key cosigns it, after checking it extends what it saw"
$ANSINH keys new --keys "$DIR/keys" --name inspector >/dev/null
$ANSINH witness cosign --key "$DIR/keys/inspector.key" --state "$DIR/witness" --name thanh-tra-huyen
VKEY=$($ANSINH witness vkey --key "$DIR/keys/inspector.key" --name thanh-tra-huyen)

step "Export the public audit bundle (no personal data) and verify it offline"
AUTHORITY=$($ANSINH keys list --json | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["key_id"])')
$ANSINH export "$DIR/bundle.tar"
$ANSINH verify "$DIR/bundle.tar" --authority "$AUTHORITY" --witness "$VKEY"
