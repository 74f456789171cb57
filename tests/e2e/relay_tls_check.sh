#!/usr/bin/env bash
# `camleak relay --tls-cert --tls-key` as its own process, checked with `openssl s_client` (an
# independent TLS client): RTSPS answers OPTIONS and the admin port answers GET /admin/health over
# HTTPS, verified against the certificate with its IP SAN; plain-text HTTP to the admin port gets
# no HTTP answer and the relay keeps serving; a missing certificate in relay.yaml is exit 2 at
# its file:line:col. Usage: relay_tls_check.sh CAMLEAK
set -euo pipefail
source "$(dirname "$0")/e2e_lib.sh"
camleak=$1
tmp=$(make_tmp relay-tls)
relay_pid=""
cleanup() {
  [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null && wait "$relay_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  [ -f "$tmp/relay.log" ] && sed 's/^/  relay: /' "$tmp/relay.log" >&2
  exit 1
}

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -subj /CN=camleak-e2e \
  -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null
printf 'listen: {rtsp: 127.0.0.1:0, http: 127.0.0.1:0, admin: 127.0.0.1:0}\n' >"$tmp/relay.yaml"

"$camleak" relay --config "$tmp/relay.yaml" --tls-cert "$tmp/cert.pem" --tls-key "$tmp/key.pem" \
  >"$tmp/relay.log" 2>&1 &
relay_pid=$!
wait_until 'grep -q "camleak relay ready" "$tmp/relay.log"' 10 || fail "relay not ready"
grep -q ' tls=on$' "$tmp/relay.log" || fail "ready line does not say tls=on"
rtsp=$(grep -o 'rtsp=127.0.0.1:[0-9]*' "$tmp/relay.log" | cut -d: -f2)
admin=$(grep -o 'admin=127.0.0.1:[0-9]*' "$tmp/relay.log" | cut -d: -f2)

# One request through s_client, verified against the certificate (its IP SAN names 127.0.0.1).
tls_request() {
  printf '%b' "$2" | timeout 5 openssl s_client -quiet -connect "127.0.0.1:$1" \
    -CAfile "$tmp/cert.pem" -verify_return_error -verify_ip 127.0.0.1 2>/dev/null || true
}
answer=$(tls_request "$rtsp" 'OPTIONS rtsp://127.0.0.1/ RTSP/1.0\r\nCSeq: 1\r\n\r\n' | head -1)
[[ $answer == "RTSP/1.0 200"* ]] || fail "RTSPS OPTIONS answered '$answer'"
health='GET /admin/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
answer=$(tls_request "$admin" "$health" | head -1)
[[ $answer == "HTTP/1.1 200"* ]] || fail "HTTPS health answered '$answer'"

plain=$(python3 - "$admin" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"GET /admin/health HTTP/1.1\r\nHost: x\r\n\r\n")
try:
    print(s.recv(100).decode("latin-1").split("\r\n")[0])
except OSError:
    print("")
PY
)
[[ $plain != HTTP/* ]] || fail "plain-text HTTP on the HTTPS port was answered: '$plain'"
answer=$(tls_request "$admin" "$health" | head -1)
[[ $answer == "HTTP/1.1 200"* ]] || fail "HTTPS after a plain-text client answered '$answer'"

printf 'tls:\n  cert: %s/missing.pem\n' "$tmp" >"$tmp/bad.yaml"
set +e
"$camleak" relay --config "$tmp/bad.yaml" >"$tmp/bad.log" 2>&1
code=$?
set -e
[ "$code" = 2 ] || fail "a missing certificate exited $code, not 2"
grep -q "bad.yaml:2:9: tls.cert: .*missing.pem.*No such file or directory" "$tmp/bad.log" ||
  fail "a missing certificate said: $(cat "$tmp/bad.log")"
echo "relay TLS: RTSPS and HTTPS verified by openssl s_client, plain text refused, bad file exit 2"
