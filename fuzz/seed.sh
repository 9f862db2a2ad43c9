#!/usr/bin/env bash
# Build the fuzz corpora under fuzz/corpus/<target>/ (gitignored) from the recorded camera
# answers in $ONVIF_CAPTURES or ../shared/captures (read at run time, never committed) and from a few messages
# written here. Run from anywhere. `seed.sh DIR` builds them under DIR instead.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
# The captures live next to the main checkout: ONVIF_CAPTURES (as for the tests) says where.
captures="${ONVIF_CAPTURES:-$root/../shared/captures}"
corpus="${1:-$here/corpus}"
targets=(xml_budget envelope messages decode roundtrip discovery events http_auth wsse
  sim_request push_request cli_parsers har bridge_commands)
for t in "${targets[@]}"; do mkdir -p "$corpus/$t"; done

# One file per seed: seed TARGET NAME, content on stdin.
seed() { cat > "$corpus/$1/$2"; }
# A byte, by value.
byte() { printf "\\$(printf %03o "$1")"; }

S12='xmlns:s="http://www.w3.org/2003/05/soap-envelope"'
NS="$S12 xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" xmlns:trt=\"http://www.onvif.org/ver10/media/wsdl\" xmlns:tev=\"http://www.onvif.org/ver10/events/wsdl\" xmlns:tptz=\"http://www.onvif.org/ver20/ptz/wsdl\" xmlns:tt=\"http://www.onvif.org/ver10/schema\" xmlns:wsnt=\"http://docs.oasis-open.org/wsn/b-2\" xmlns:wsa=\"http://www.w3.org/2005/08/addressing\""

if [ -d "$captures" ]; then
  n=0
  while IFS=$'\t' read -r _ file _; do
    [ -f "$captures/$file" ] || continue
    n=$((n + 1))
    name="$(echo "$file" | tr '/' '_')"
    for t in xml_budget envelope decode; do seed "$t" "$name" < "$captures/$file"; done
    # Byte 0: read by the type the answer names (see fuzz_targets/pick.rs).
    { byte 0; cat "$captures/$file"; } | seed messages "$name"
    { byte 0; cat "$captures/$file"; } | seed roundtrip "$name"
    { printf '\0'; cat "$captures/$file"; } | seed events "$name"
    { byte 0; cat "$captures/$file"; } | seed wsse "$name"
  done < <(tail -n +2 "$captures/INDEX.tsv")
  echo "seeded $n captures from $captures"
else
  echo "no captures at $captures: only the written seeds" >&2
fi

# ---- written seeds ----
notify="<?xml version=\"1.0\"?><s:Envelope $NS xmlns:tns1=\"http://www.onvif.org/ver10/topics\"><s:Header><wsa:Action>http://docs.oasis-open.org/wsn/bw-2/NotificationConsumer/Notify</wsa:Action></s:Header><s:Body><wsnt:Notify><wsnt:NotificationMessage><wsnt:SubscriptionReference><wsa:Address>http://127.0.0.1:1/onvif/subscription/1</wsa:Address></wsnt:SubscriptionReference><wsnt:Topic Dialect=\"http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet\">tns1:RuleEngine/CellMotionDetector/Motion</wsnt:Topic><wsnt:Message><tt:Message UtcTime=\"2025-01-01T00:00:00Z\" PropertyOperation=\"Changed\"><tt:Source><tt:SimpleItem Name=\"VideoSourceConfigurationToken\" Value=\"vsc\"/></tt:Source><tt:Data><tt:SimpleItem Name=\"IsMotion\" Value=\"true\"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage></wsnt:Notify></s:Body></s:Envelope>"
printf '%s' "$notify" | seed decode notify
printf 'tns1:RuleEngine/CellMotionDetector/Motion IsMotion motion\n\0%s' "$notify" | seed events notify-rule
printf 'xmlns:ax http://www.axis.com/2009/event/topics\n{http://www.onvif.org/ver10/topics}VideoSource//. * tamper # c\n\0%s' "$notify" | seed events notify-ns
printf 'POST /push/secret HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml\r\nContent-Length: %d\r\n\r\n%s' "${#notify}" "$notify" | seed push_request notify
printf 'POST /push/secret HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n' "${#notify}" "$notify" | seed push_request notify-chunked
printf 'GET /push/other HTTP/1.1\r\n\r\n' | seed push_request wrong-path

probe='<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action><a:MessageID>uuid:0a6dc791-2be6-4991-9af1-454778a1917a</a:MessageID><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header><s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>onvif://www.onvif.org/type/video_encoder</d:Scopes></d:Probe></s:Body></s:Envelope>'
printf '%s' "$probe" | seed discovery probe
hello='<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Hello</a:Action><a:MessageID>uuid:1</a:MessageID><d:AppSequence InstanceId="3" MessageNumber="1"/></s:Header><s:Body><d:Hello><a:EndpointReference><a:Address>urn:uuid:6b3b1f4e-0000-4000-8000-000000000001</a:Address></a:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>onvif://www.onvif.org/name/Cam onvif://www.onvif.org/hardware/X</d:Scopes><d:XAddrs>http://127.0.0.1:8080/onvif/device_service</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:Hello></s:Body></s:Envelope>'
printf '%s' "$hello" | seed discovery hello
printf '%s' "${hello//Hello/ProbeMatches}" | seed discovery matches
printf '%s' "${hello//Hello/Bye}" | seed discovery bye
for t in decode xml_budget envelope; do printf '%s' "$probe" | seed "$t" probe; done

# HTTP authentication: a challenge, then Authorization values.
printf 'Digest realm="onvif-sim", qop="auth", algorithm=MD5, nonce="abc", opaque="def", stale=false, Digest realm="onvif-sim", qop="auth", algorithm=SHA-256, nonce="abc", opaque="def", Basic realm="x"\0Digest username="admin", realm="onvif-sim", nonce="NONCE", uri="/onvif/device_service", algorithm=MD5, qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="OPAQUE"' | seed http_auth digest
printf 'Basic realm="camera"\0Basic YWRtaW46c2VjcmV0' | seed http_auth basic
printf "Digest realm=\"a\", nonce=\"b\", qop=\"auth-int,auth\", charset=UTF-8, userhash=true\0Digest username*=UTF-8''%%C3%%A4dmin, realm=\"onvif-sim\", nonce=\"NONCE\", uri=\"/onvif/device_service\", algorithm=SHA-256, qop=auth, nc=00000001, cnonce=\"x\", response=\"00\", opaque=\"OPAQUE\"" | seed http_auth ext

# WS-Security: a good PasswordDigest token for admin/secret at the fixed camera time.
nonce_b64="$(printf '0123456789abcdef' | base64)"
digest="$(printf '0123456789abcdef2025-01-01T00:00:00Zsecret' | sha1sum | cut -d' ' -f1 | xxd -r -p | base64)"
token="<wsse:Security xmlns:wsse=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd\" xmlns:wsu=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd\" s:mustUnderstand=\"1\"><wsse:UsernameToken><wsse:Username>admin</wsse:Username><wsse:Password Type=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest\">$digest</wsse:Password><wsse:Nonce EncodingType=\"http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary\">$nonce_b64</wsse:Nonce><wsu:Created>2025-01-01T00:00:00Z</wsu:Created></wsse:UsernameToken></wsse:Security>"
{ byte 0; printf '<s:Envelope %s><s:Header>%s</s:Header><s:Body/></s:Envelope>' "$S12" "$token"; } | seed wsse digest
{ byte 3; printf '<s:Envelope %s><s:Header>%s</s:Header><s:Body/></s:Envelope>' "$S12" "${token//#PasswordDigest/#PasswordText}"; } | seed wsse text

# The simulated camera: requests in each posture and authentication mode.
req() { # FLAGS NAME BODY [HEADER]
  local env="<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope $NS><s:Header>${4:-}</s:Header><s:Body>$3</s:Body></s:Envelope>"
  { byte "$1"; printf 'POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s' "${PATH_:-/onvif/device_service}" "${#env}" "$env"; } | seed sim_request "$2"
}
i=0
for body in '<tds:GetSystemDateAndTime/>' '<tds:GetDeviceInformation/>' '<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>' \
  '<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>' '<tds:GetScopes/>' '<tds:SetSystemDateAndTime><tds:DateTimeType>Manual</tds:DateTimeType><tds:DaylightSavings>false</tds:DaylightSavings><tds:UTCDateTime><tt:Date><tt:Year>2025</tt:Year><tt:Month>1</tt:Month><tt:Day>1</tt:Day></tt:Date><tt:Time><tt:Hour>0</tt:Hour><tt:Minute>0</tt:Minute><tt:Second>0</tt:Second></tt:Time></tds:UTCDateTime></tds:SetSystemDateAndTime>'; do
  req 4 "device-$i" "$body"; req 12 "device-strict-$i" "$body"; req 0 "device-wsse-$i" "$body" "$token"; i=$((i + 1))
done
PATH_=/onvif/media_service req 4 media-profiles '<trt:GetProfiles/>'
PATH_=/onvif/media_service req 4 media-uri '<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup><trt:ProfileToken>profile_1</trt:ProfileToken></trt:GetStreamUri>'
PATH_=/onvif/ptz_service req 4 ptz-status '<tptz:GetStatus><tptz:ProfileToken>profile_1</tptz:ProfileToken></tptz:GetStatus>'
PATH_=/onvif/ptz_service req 4 ptz-move '<tptz:AbsoluteMove><tptz:ProfileToken>profile_1</tptz:ProfileToken><tptz:Position><tt:PanTilt x="0.5" y="-0.5"/><tt:Zoom x="0.1"/></tptz:Position></tptz:AbsoluteMove>'
PATH_=/onvif/event_service req 4 events-props '<tev:GetEventProperties/>'
PATH_=/onvif/event_service req 4 events-create '<tev:CreatePullPointSubscription><tev:InitialTerminationTime>PT60S</tev:InitialTerminationTime></tev:CreatePullPointSubscription>'
PATH_=/onvif/subscription/1 req 4 events-pull '<tev:PullMessages><tev:Timeout>PT5S</tev:Timeout><tev:MessageLimit>10</tev:MessageLimit></tev:PullMessages>'
{ byte 5; printf 'POST /onvif/device_service HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/soap+xml\r\nAuthorization: Digest username="admin", realm="onvif-sim", nonce="00", uri="/onvif/device_service", qop=auth, nc=00000001, cnonce="1", response="00"\r\n\r\n<s:Envelope %s><s:Body><tds:GetDeviceInformation/></s:Body></s:Envelope>' "$NS"; } | seed sim_request digest
{ byte 4; printf 'GET /onvif/snapshot?profile=profile_1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'; } | seed sim_request snapshot

# The command line's parsers.
printf '5s\0-3600s\0500ms\0 2m \0001.5h\064K\08M\01G\0008388608\0192.168.1.10\0[fe80::1]:8080\0http://admin:pw@cam.local:2020/onvif/device_service\0cam:80' | seed cli_parsers values
printf "connect admin@10.0.0.1 --password 'a b' \"c\\\\\"d\" e\\\\ f # comment" | seed cli_parsers shell
# A recording (HAR) of one exchange, written here (no camera's words), and one that a
# device answered with a fault, a snapshot GET among them.
har_entry() { # method url request-body status mime response-text
  printf '{"startedDateTime":"2026-01-01T00:00:00Z","time":1.5,"request":{"method":"%s","url":"%s","httpVersion":"HTTP/1.1","headers":[{"name":"Authorization","value":"Digest username=\\"admin\\", response=\\"[redacted]\\""}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":-1,"postData":{"mimeType":"application/soap+xml","text":"%s"}},"response":{"status":%s,"statusText":"","httpVersion":"HTTP/1.1","headers":[],"cookies":[],"content":{"size":-1,"mimeType":"%s","text":"%s"},"redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":0,"wait":1,"receive":0}}' "$@"
}
har() { printf '{"log":{"version":"1.2","creator":{"name":"onvif","version":"0"},"_onvif":{"device":"192.0.2.1:80"},"entries":[%s]}}' "$1"; }
env_of() { printf '<s:Envelope %s><s:Body>%s</s:Body></s:Envelope>' "${S12//\"/\\\"}" "$1"; }
time_answer='<tds:GetSystemDateAndTimeResponse xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" xmlns:tt=\"http://www.onvif.org/ver10/schema\"><tds:SystemDateAndTime><tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings><tt:UTCDateTime><tt:Date><tt:Year>2026</tt:Year><tt:Month>1</tt:Month><tt:Day>1</tt:Day></tt:Date><tt:Time><tt:Hour>0</tt:Hour><tt:Minute>0</tt:Minute><tt:Second>0</tt:Second></tt:Time></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>'
one="$(har_entry POST http://192.0.2.1/onvif/device_service "$(env_of '<tds:GetSystemDateAndTime xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\"/>')" 200 application/soap+xml "$(env_of "$time_answer")")"
har "$one" | seed har one
fault="$(har_entry POST http://192.0.2.1/onvif/media_service "$(env_of '<trt:GetProfiles xmlns:trt=\"http://www.onvif.org/ver10/media/wsdl\"/>')" 500 application/soap+xml "$(env_of '<s:Fault><s:Code><s:Value>s:Sender</s:Value></s:Code><s:Reason><s:Text xml:lang=\"en\">no</s:Text></s:Reason></s:Fault>')")"
snap="$(har_entry GET 'http://192.0.2.1/snap.jpg?usr=admin\u0026pwd=[credentials]' '' 200 image/jpeg '/9j/2wBD')"
har "$one,$fault,$snap" | seed har three

# The bridge's command payloads, as a broker delivers them.
for p in '{"pan":0.5,"tilt":-0.2,"for":"2s"}' '{"preset":"1","speed":0.5}' '{"zoom":-1}' home stop ON OFF \
  '{"state":"on","for":"3s"}' '{"relay":"out1","state":"off"}' '{"pan":1e400}' '[]' ''; do
  printf '%s' "$p" | seed bridge_commands "$(printf '%s' "$p" | md5sum | cut -c1-8)"
done

for t in "${targets[@]}"; do printf '%-13s %s files\n' "$t" "$(ls "$corpus/$t" | wc -l)"; done
