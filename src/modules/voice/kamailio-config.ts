import { isIP } from 'node:net';

/** What `kamailioConfig` needs to know about this Switchboard and where Kamailio listens. */
export interface KamailioConfigOptions {
  /** Switchboard's base URL, where Kamailio reaches the engine door (e.g. http://127.0.0.1:8080). */
  switchboardUrl: string;
  /** The engine key Kamailio sends as `Authorization: Bearer <key>` (`switchboard engines create`). */
  engineKey: string;
  /** Switchboard's SIP_DOMAIN: the realm of every digest. */
  sipDomain: string;
  /** The address Kamailio listens on for SIP (UDP and TCP); default 127.0.0.1. */
  sipAddress?: string;
  sipPort: number;
  /** The loopback TCP port of Kamailio's JSON-RPC (`POST http://127.0.0.1:<rpcPort>/RPC`). */
  rpcPort: number;
  /** The carrier's SIP address calls to route "carrier" are sent through (e.g. sip:203.0.113.5:5060); null: to the target itself. */
  carrierUri?: string | null;
  /** Source addresses whose INVITEs are calls from the carrier: taken without digest authentication. */
  carrierAddresses?: string[];
}

/** Refused when the options would not make a safe config (a value that could break out of a quoted string). */
export class KamailioConfigError extends Error {}

// Values go into the config inside double-quoted strings, some of which Kamailio expands
// ($variables): only characters that need no escaping in either are accepted.
const ENGINE_KEY = /^[A-Za-z0-9._~+/=-]+$/; // a bearer token (RFC 6750 b64token)
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const URL_TEXT = /^[A-Za-z0-9:/?#[\]@!&'()*+,;=._~%-]+$/;
const SIP_URI = /^sips?:[A-Za-z0-9:/?#[\]@!&'()*+,;=._~%-]+$/;

function check(valid: boolean, message: string) {
  if (!valid) throw new KamailioConfigError(message);
}

function port(name: string, value: number) {
  check(Number.isInteger(value) && value > 0 && value < 65536, `${name} must be a port number (1 to 65535).`);
  return value;
}

/** An address as `listen=` writes it: IPv6 in brackets. */
function socketHost(address: string) {
  return isIP(address) === 6 ? `[${address}]` : address;
}

/**
 * The kamailio.cfg that makes Kamailio 5.6 an engine of this Switchboard (README, Voice with Kamailio):
 * Switchboard decides who may register and call, for how long; Kamailio carries the SIP.
 * Registrations live in Kamailio's memory (no database); every decision is an HTTP request to
 * Switchboard's engine door.
 */
export function kamailioConfig(options: KamailioConfigOptions): string {
  let base: URL;
  try {
    base = new URL(options.switchboardUrl);
  } catch {
    throw new KamailioConfigError(`switchboardUrl ${JSON.stringify(options.switchboardUrl)} is not a URL.`);
  }
  check(base.protocol === 'http:' || base.protocol === 'https:', 'switchboardUrl must be http or https.');
  check(!base.search && !base.hash, 'switchboardUrl must have no query or fragment.');
  const switchboard = base.href.replace(/\/+$/, '');
  check(
    URL_TEXT.test(switchboard),
    `switchboardUrl ${JSON.stringify(switchboard)} holds characters Kamailio would misread.`,
  );
  check(
    ENGINE_KEY.test(options.engineKey),
    'engineKey must be a bearer token (letters, digits and . _ ~ + / = -).',
  );
  check(
    HOSTNAME.test(options.sipDomain),
    `sipDomain ${JSON.stringify(options.sipDomain)} must be a host name.`,
  );
  const sipAddress = options.sipAddress ?? '127.0.0.1';
  check(isIP(sipAddress) !== 0, `sipAddress ${JSON.stringify(sipAddress)} must be an IP address.`);
  const sipPort = port('sipPort', options.sipPort);
  const rpcPort = port('rpcPort', options.rpcPort);
  check(rpcPort !== sipPort, 'rpcPort must differ from sipPort.');
  const carrierUri = options.carrierUri ?? null;
  check(
    carrierUri === null || SIP_URI.test(carrierUri),
    `carrierUri ${JSON.stringify(carrierUri)} must be a SIP URI such as sip:203.0.113.5:5060.`,
  );
  const carrierAddresses = options.carrierAddresses ?? [];
  for (const address of carrierAddresses)
    check(isIP(address) !== 0, `carrier address ${JSON.stringify(address)} must be an IP address.`);

  const realm = options.sipDomain;
  const sip = `${socketHost(sipAddress)}:${sipPort}`;
  const carrierChecks = carrierAddresses
    .map((address) => `\tif (compare_ips("$si", "${address}")) {\n\t\t$var(carrier) = 1;\n\t}\n`)
    .join('');

  return `#!KAMAILIO
#
# kamailio.cfg for Switchboard, printed by \`switchboard kamailio config\`.
#
# Kamailio is an engine of Switchboard: Switchboard decides who may register and who may call, for
# how long; Kamailio carries the SIP and asks Switchboard over HTTP (POST ${switchboard}/api/engine/...,
# "Authorization: Bearer <engine key>", JSON bodies). Registrations are kept in memory only.
#
#   REGISTER  digest (realm ${realm}) with the HA1 from POST /api/engine/sip/digest, then
#             save("location") and POST /api/engine/sip/registrations
#   INVITE    from an endpoint: proxy digest the same way; from a carrier address: no digest.
#             POST /api/engine/calls decides (402/403/404 refuse the call) and routes it to a
#             registered endpoint or to the carrier; the dialog ends by itself after max_seconds
#             (BYE to both sides).
#   answered  POST /api/engine/calls/<call_uuid>/answer with the dialog's h_entry and h_id
#   ended     POST /api/engine/calls/<call_uuid>/end (after a BYE, the time limit, or a failure)
#   JSON-RPC  POST http://127.0.0.1:${rpcPort}/RPC, e.g. dlg.end_dlg [h_entry, h_id] hangs up a call;
#             switchboard.dialog_timeout (answered below) lets a call that got more credit run longer.
#
# Run it in the foreground: kamailio -DD -E -f kamailio.cfg

####### Global parameters #########

debug=2
log_stderror=no
log_facility=LOG_LOCAL0
log_prefix="{$mt $hdr(CSeq) $ci} "
children=4
tcp_children=2
auto_aliases=no
server_signature=no
# SIP on UDP and TCP; Switchboard's JSON-RPC on its own loopback TCP port (HTTP requests may come
# without Content-Length).
listen=udp:${sip}
listen=tcp:${sip}
listen=tcp:127.0.0.1:${rpcPort}
tcp_accept_no_cl=yes
# The SIP domain is this server (requests to sip:...@${realm} are ours).
alias="${realm}"

####### Modules #########

loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "sanity.so"
loadmodule "xlog.so"
loadmodule "ipops.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
loadmodule "dialog.so"
loadmodule "http_client.so"
loadmodule "json.so"
loadmodule "xhttp.so"
loadmodule "jsonrpcs.so"
loadmodule "cfgutils.so"

# Calls ring for at most 60 seconds.
modparam("tm", "fr_inv_timer", 60000)
# Record-Route with the dialog's cookie, so in-dialog requests (BYE) pass through here.
modparam("rr", "append_fromtag", 1)
# Registrations in memory only (no database).
modparam("usrloc", "db_mode", 0)
modparam("registrar", "default_expires", 3600)
modparam("registrar", "max_expires", 3600)
# The dialog ends max_seconds after the answer ($avp(dlg_timeout) before dlg_manage(), then
# dlg_set_timeout() with what POST .../answer returned); in-dialog requests do not extend it, and
# at the end both sides get a BYE.
modparam("dialog", "timeout_avp", "$avp(dlg_timeout)")
modparam("dialog", "timeout_noreset", 1)
modparam("dialog", "send_bye", 1)
# Switchboard answers within 5 seconds; its whole answer is kept.
modparam("http_client", "connection_timeout", 5)
modparam("http_client", "query_result", 0)
# JSON-RPC over HTTP only (no FIFO, no datagram socket).
modparam("jsonrpcs", "transport", 1)
modparam("xhttp", "url_match", "^/RPC")

####### Routing logic #########

request_route {
\t# Nothing but JSON-RPC on the RPC port.
\tif ($Rp == ${rpcPort}) {
\t\tdrop;
\t}
\tif (!mf_process_maxfwd_header("10")) {
\t\tsl_send_reply("483", "Too Many Hops");
\t\texit;
\t}
\tif (!sanity_check("17895", "7")) {
\t\txlog("L_WARN", "malformed request from $si:$sp\\n");
\t\texit;
\t}
\tif (is_method("CANCEL")) {
\t\tif (t_check_trans()) {
\t\t\tt_relay();
\t\t}
\t\texit;
\t}
\t# Retransmissions are answered by the transaction they belong to.
\tif (!is_method("ACK")) {
\t\tt_check_trans();
\t}
\tif (has_totag()) {
\t\troute(WITHINDLG);
\t\texit;
\t}
\tif (is_method("REGISTER")) {
\t\troute(REGISTER);
\t\texit;
\t}
\tif (is_method("INVITE")) {
\t\troute(CALL);
\t\texit;
\t}
\tif (is_method("OPTIONS") && uri == myself && $rU == $null) {
\t\tsl_send_reply("200", "OK");
\t\texit;
\t}
\tif (is_method("ACK")) {
\t\t# An ACK of a reply this server sent itself: nothing to do.
\t\texit;
\t}
\tsl_send_reply("405", "Method Not Allowed");
}

# Requests within a dialog follow its Record-Route (the dialog module sees BYEs on the way).
route[WITHINDLG] {
\tif (loose_route()) {
\t\tif (is_method("ACK") && $dlg_var(max_seconds) != $null) {
\t\t\t# The time Switchboard's answer to .../answer left the call, from now on.
\t\t\t$var(timeout) = $(dlg_var(max_seconds){s.int});
\t\t\t$dlg_var(max_seconds) = $null;
\t\t\tif ($var(timeout) < 1) {
\t\t\t\t$var(timeout) = 1;
\t\t\t}
\t\t\tdlg_set_timeout("$var(timeout)");
\t\t}
\t\troute(RELAY);
\t\texit;
\t}
\tif (is_method("ACK")) {
\t\tif (t_check_trans()) {
\t\t\tt_relay();
\t\t}
\t\texit;
\t}
\tsl_send_reply("404", "Not Here");
}

route[RELAY] {
\tif (!t_relay()) {
\t\tsl_reply_error();
\t}
}

# REGISTER: digest against Switchboard, then save the contact and tell Switchboard.
route[REGISTER] {
\troute(AUTH);
\tif ($au != $tU) {
\t\t# An endpoint registers its own username only.
\t\tsend_reply("403", "Forbidden");
\t\texit;
\t}
\tif (!save("location")) {
\t\tsl_reply_error();
\t\texit;
\t}
\troute(REPORT_REGISTRATION);
}

# After save("location"): POST /api/engine/sip/registrations for the request's (first) contact,
# with what is now stored for it (expires 0 when it is no longer registered).
route[REPORT_REGISTRATION] {
\tif (!is_present_hf("Contact")) {
\t\t# A query of the bindings: nothing changed.
\t\treturn;
\t}
\t$var(contact) = "*";
\t$var(expires) = 0;
\tif ($ct != "*") {
\t\t$var(contact) = $(ct{tobody.uri});
\t\tif (reg_fetch_contacts("location", "$tu", "reg")) {
\t\t\t$var(i) = 0;
\t\t\twhile ($var(i) < $ulc(reg=>count)) {
\t\t\t\tif ($(ulc(reg=>addr)[$var(i)]) == $var(contact)) {
\t\t\t\t\t$var(expires) = $(ulc(reg=>expires)[$var(i)]) - $Ts;
\t\t\t\t}
\t\t\t\t$var(i) = $var(i) + 1;
\t\t\t}
\t\t\treg_free_contacts("reg");
\t\t}
\t\tif ($var(expires) < 0) {
\t\t\t$var(expires) = 0;
\t\t}
\t\t$var(contact) = "<" + $var(contact) + ">";
\t}
\t$var(text) = $au;
\troute(JSON_STRING);
\t$var(username) = $var(json);
\t$var(text) = $var(contact);
\troute(JSON_STRING);
\t$var(contact) = $var(json);
\t$var(json) = "null";
\tif (is_present_hf("User-Agent")) {
\t\t$var(text) = $ua;
\t\troute(JSON_STRING);
\t}
\t$var(body) = "{\\"username\\": " + $var(username) + ", \\"contact\\": " + $var(contact) + ", \\"user_agent\\": " + $var(json) + ", \\"expires\\": " + $var(expires) + ", \\"received\\": \\"" + $si + ":" + $sp + "\\"}";
\t$var(path) = "/api/engine/sip/registrations";
\troute(SWITCHBOARD);
}

# Digest authentication of a REGISTER (401) or any other request (407) with the HA1 Switchboard
# keeps for the digest username: POST /api/engine/sip/digest (flag 1: the password is the HA1).
# Returns when the credentials are good; otherwise challenges or refuses, and exits.
route[AUTH] {
\tif ($au == $null || $ar != "${realm}") {
\t\tauth_challenge("${realm}", "1");
\t\texit;
\t}
\t$var(text) = $au;
\troute(JSON_STRING);
\t$var(body) = "{\\"username\\": " + $var(json) + ", \\"realm\\": \\"${realm}\\"}";
\t$var(path) = "/api/engine/sip/digest";
\troute(SWITCHBOARD);
\tif ($var(status) == 404 || $var(status) == 403) {
\t\t# Unknown endpoint, or its account is not active.
\t\tsend_reply("403", "Forbidden");
\t\texit;
\t}
\tif ($var(status) != 200) {
\t\tsend_reply("503", "Service Unavailable");
\t\texit;
\t}
\t$var(ha1) = "";
\tjson_get_string("$var(response)", "ha1", "$var(ha1)");
\tif (!pv_auth_check("${realm}", "$var(ha1)", "1", "0")) {
\t\tauth_challenge("${realm}", "1");
\t\texit;
\t}
\tconsume_credentials();
}

# A new call: who calls (an endpoint by digest, or the carrier by its source address), then Switchboard
# decides (POST /api/engine/calls) and names the target.
route[CALL] {
\tif ($rU == $null) {
\t\tsl_send_reply("484", "Address Incomplete");
\t\texit;
\t}
\t$var(from_user) = "null";
\t$var(carrier) = 0;
${carrierChecks}\tif ($var(carrier) == 0) {
\t\troute(AUTH);
\t\t$var(text) = $au;
\t\troute(JSON_STRING);
\t\t$var(from_user) = $var(json);
\t}
\t$var(text) = $ci;
\troute(JSON_STRING);
\t$var(call_id) = $var(json);
\t$var(from) = "null";
\tif ($fU != $null) {
\t\t$var(text) = $fU;
\t\troute(JSON_STRING);
\t\t$var(from) = $var(json);
\t}
\t$var(text) = $rU;
\troute(JSON_STRING);
\t$var(body) = "{\\"sip_call_id\\": " + $var(call_id) + ", \\"from_user\\": " + $var(from_user) + ", \\"from\\": " + $var(from) + ", \\"to\\": " + $var(json) + ", \\"source_ip\\": \\"" + $si + "\\"}";
\t$var(path) = "/api/engine/calls";
\troute(SWITCHBOARD);
\tswitch ($var(status)) {
\t\tcase 201:
\t\t\tbreak;
\t\tcase 402:
\t\t\tsend_reply("402", "Payment Required");
\t\t\texit;
\t\tcase 403:
\t\t\tsend_reply("403", "Forbidden");
\t\t\texit;
\t\tcase 404:
\t\t\tsend_reply("404", "Not Found");
\t\t\texit;
\t\tdefault:
\t\t\tsend_reply("503", "Service Unavailable");
\t\t\texit;
\t}
\t$var(call_uuid) = "";
\t$var(max_seconds) = "";
\t$var(route) = "";
\t$var(target) = "";
\tjson_get_string("$var(response)", "call_uuid", "$var(call_uuid)");
\tjson_get_field("$var(response)", "max_seconds", "$var(max_seconds)");
\tjson_get_string("$var(response)", "route", "$var(route)");
\tjson_get_string("$var(response)", "target", "$var(target)");
\tif (!($var(call_uuid) =~ "^[A-Za-z0-9-]+$") || !($var(max_seconds) =~ "^[0-9]+$") || !($var(target) =~ "^sips?:")) {
\t\txlog("L_ERR", "unexpected answer from Switchboard: $var(response)\\n");
\t\tsend_reply("500", "Server Internal Error");
\t\texit;
\t}
\t$avp(call_uuid) = $var(call_uuid);
\t$ru = $var(target);
\tif ($var(route) == "endpoint") {
\t\tif (!lookup("location")) {
\t\t\t$var(cause) = "USER_NOT_REGISTERED";
\t\t\t$var(source) = "error";
\t\t\t$var(code) = 480;
\t\t\troute(REPORT_END);
\t\t\tsend_reply("480", "Temporarily Unavailable");
\t\t\texit;
\t\t}
\t}${
    carrierUri === null
      ? ''
      : ` else {
\t\t# Calls to the carrier go through its SIP address.
\t\t$du = "${carrierUri}";
\t}`
  }
\trecord_route();
\t# The dialog lasts max_seconds from the answer at most.
\t$avp(dlg_timeout) = $(var(max_seconds){s.int});
\tif ($avp(dlg_timeout) < 1) {
\t\t$avp(dlg_timeout) = 1;
\t}
\tdlg_manage();
\t$dlg_var(call_uuid) = $var(call_uuid);
\tt_on_failure("CALL_FAILED");
\tif (!t_relay()) {
\t\t$var(cause) = "NORMAL_TEMPORARY_FAILURE";
\t\t$var(source) = "error";
\t\t$var(code) = 500;
\t\troute(REPORT_END);
\t\tsl_reply_error();
\t}
}

# A call that was never answered: its final reply says why.
failure_route[CALL_FAILED] {
\t$var(call_uuid) = $avp(call_uuid);
\t$var(code) = $T_reply_code;
\t$var(source) = "callee";
\tif (t_is_canceled()) {
\t\t$var(cause) = "ORIGINATOR_CANCEL";
\t\t$var(source) = "caller";
\t\t$var(code) = 487;
\t} else if ($var(code) == 486 || $var(code) == 600) {
\t\t$var(cause) = "USER_BUSY";
\t} else if ($var(code) == 408 || $var(code) == 480) {
\t\t$var(cause) = "NO_ANSWER";
\t\tif (!t_any_replied()) {
\t\t\t# Nothing answered at all: the target is unreachable.
\t\t\t$var(source) = "error";
\t\t}
\t} else if ($var(code) == 404 || $var(code) == 484 || $var(code) == 604) {
\t\t$var(cause) = "UNALLOCATED_NUMBER";
\t} else if ($var(code) >= 500 && $var(code) < 600) {
\t\t$var(cause) = "NORMAL_TEMPORARY_FAILURE";
\t} else {
\t\t$var(cause) = "CALL_REJECTED";
\t}
\troute(REPORT_END);
}

# The callee answered: POST .../answer with the dialog's handle (for dlg.end_dlg). Its answer's
# max_seconds is what the call has left: applied when the caller's ACK passes (the dialog's timer
# starts after this route).
event_route[dialog:start] {
\t$var(call_uuid) = $dlg_var(call_uuid);
\t$var(body) = "{\\"h_entry\\": " + $dlg(h_entry) + ", \\"h_id\\": " + $dlg(h_id) + "}";
\t$var(path) = "/api/engine/calls/" + $var(call_uuid) + "/answer";
\troute(SWITCHBOARD);
\tif ($var(status) == 200) {
\t\t$var(max_seconds) = "";
\t\tjson_get_field("$var(response)", "max_seconds", "$var(max_seconds)");
\t\tif ($var(max_seconds) =~ "^[0-9]+$") {
\t\t\t$dlg_var(max_seconds) = $var(max_seconds);
\t\t}
\t}
}

# An answered call ended by a BYE from either side (the caller's carries the caller's From tag), or
# by the dialog module itself (see tm:local-request).
event_route[dialog:end] {
\tif ($dlg_var(end_reported) != $null) {
\t\texit;
\t}
\t$dlg_var(end_reported) = "1";
\t$var(call_uuid) = $dlg_var(call_uuid);
\t$var(code) = 200;
\t$var(cause) = "NORMAL_CLEARING";
\tif (is_method("BYE") && $ft == $dlg(from_tag)) {
\t\t$var(source) = "caller";
\t} else if (is_method("BYE")) {
\t\t$var(source) = "callee";
\t} else {
\t\troute(ENDED_HERE);
\t}
\troute(REPORT_END);
}

# The BYEs the dialog module sends, at the time limit or for dlg.end_dlg: the end is reported as
# the first one leaves, as dialog:end does not run when a BYE's answer comes back first (5.6).
event_route[tm:local-request] {
\tif (!is_method("BYE") || $dlg_var(call_uuid) == $null || $dlg_var(end_reported) != $null) {
\t\texit;
\t}
\t$dlg_var(end_reported) = "1";
\t$var(call_uuid) = $dlg_var(call_uuid);
\t$var(code) = 200;
\troute(ENDED_HERE);
\troute(REPORT_END);
}

# Why the dialog module ended the call: the time limit (its flag 1024, expired), or else
# dlg.end_dlg over JSON-RPC.
route[ENDED_HERE] {
\tif ($dlg(dflags) & 1024) {
\t\t$var(source) = "timeout";
\t\t$var(cause) = "TIMEOUT";
\t} else {
\t\t$var(source) = "switchboard";
\t\t$var(cause) = "NORMAL_CLEARING";
\t}
}

# POST /api/engine/calls/<$var(call_uuid)>/end with $var(cause), $var(source) and $var(code). The
# end is what charges the call, so when Switchboard cannot be reached or answers 5xx it is sent
# twice more, 0.5 s and then 2 s later (Switchboard answers a repeated end as the first); a call
# whose end never arrives is ended by Switchboard at its expiry, charged its held cover and flagged.
route[REPORT_END] {
\tif (!($var(call_uuid) =~ "^[A-Za-z0-9-]+$")) {
\t\treturn;
\t}
\t$var(body) = "{\\"hangup_cause\\": \\"" + $var(cause) + "\\", \\"hangup_source\\": \\"" + $var(source) + "\\", \\"sip_code\\": " + $var(code) + "}";
\t$var(path) = "/api/engine/calls/" + $var(call_uuid) + "/end";
\t$var(attempt) = 1;
\troute(SWITCHBOARD);
\twhile (($var(status) < 200 || $var(status) >= 500) && $var(attempt) < 3) {
\t\tif ($var(attempt) == 1) {
\t\t\tusleep("500000");
\t\t} else {
\t\t\tsleep("2");
\t\t}
\t\t$var(attempt) = $var(attempt) + 1;
\t\troute(SWITCHBOARD);
\t}
}

# POST $var(body) (JSON) to Switchboard's $var(path); sets $var(status) (the HTTP status, below 100
# when Switchboard could not be reached) and $var(response) (its body).
route[SWITCHBOARD] {
\t$var(response) = "";
\t$var(status) = http_client_query("${switchboard}$var(path)", "$var(body)", "Content-Type: application/json\\r\\nAuthorization: Bearer ${options.engineKey}", "$var(response)");
\tif ($var(status) < 200 || $var(status) >= 300) {
\t\txlog("L_WARN", "Switchboard answered $var(status) to POST $var(path): $var(response)\\n");
\t}
}

# $var(json) = $var(text) as a JSON string: s.escape.common escapes " and \\ (and ' as \\', which
# becomes \\u0027); text with control characters becomes null.
route[JSON_STRING] {
\tif ($var(text) =~ "[[:cntrl:]]") {
\t\t$var(json) = "null";
\t\treturn;
\t}
\t$var(json) = "\\"" + $(var(text){s.escape.common}{s.replace,',u0027}) + "\\"";
}

# JSON-RPC over HTTP (POST /RPC), on the RPC port only.
event_route[xhttp:request] {
\tif ($Rp != ${rpcPort}) {
\t\txhttp_reply("403", "Forbidden", "text/plain", "JSON-RPC is on port ${rpcPort}\\n");
\t\texit;
\t}
\t$var(method) = "";
\tjson_get_string("$rb", "method", "$var(method)");
\tif ($var(method) == "switchboard.dialog_timeout") {
\t\troute(DIALOG_TIMEOUT);
\t\texit;
\t}
\tjsonrpc_dispatch();
}

# switchboard.dialog_timeout {"h_entry", "h_id", "seconds"}: Switchboard raised an answered call's
# bound (a credit arrived mid-call); its dialog now ends that many seconds from now. Kamailio 5.6
# has no RPC for dlg_set_timeout, so this config answers the method itself.
route[DIALOG_TIMEOUT] {
\t$var(id) = "null";
\t$var(params) = "";
\t$var(h_entry) = "";
\t$var(h_id) = "";
\t$var(seconds) = "";
\tjson_get_field("$rb", "id", "$var(id)");
\tif (!($var(id) =~ "^(\\"[A-Za-z0-9:-]+\\"|[0-9]+)$")) {
\t\t$var(id) = "null";
\t}
\tjson_get_field("$rb", "params", "$var(params)");
\tjson_get_field("$var(params)", "h_entry", "$var(h_entry)");
\tjson_get_field("$var(params)", "h_id", "$var(h_id)");
\tjson_get_field("$var(params)", "seconds", "$var(seconds)");
\tif (!($var(h_entry) =~ "^[0-9]{1,9}$") || !($var(h_id) =~ "^[0-9]{1,9}$") || !($var(seconds) =~ "^[0-9]{1,6}$")) {
\t\txhttp_reply("200", "OK", "application/json", "{\\"jsonrpc\\": \\"2.0\\", \\"error\\": {\\"code\\": -32602, \\"message\\": \\"Invalid params\\"}, \\"id\\": $var(id)}");
\t\texit;
\t}
\t$var(seconds) = $(var(seconds){s.int});
\tif ($var(seconds) < 1) {
\t\t$var(seconds) = 1;
\t}
\tif (!dlg_set_timeout("$var(seconds)", "$(var(h_entry){s.int})", "$(var(h_id){s.int})")) {
\t\txhttp_reply("200", "OK", "application/json", "{\\"jsonrpc\\": \\"2.0\\", \\"error\\": {\\"code\\": 404, \\"message\\": \\"Dialog not found\\"}, \\"id\\": $var(id)}");
\t\texit;
\t}
\txhttp_reply("200", "OK", "application/json", "{\\"jsonrpc\\": \\"2.0\\", \\"result\\": {\\"seconds\\": $var(seconds)}, \\"id\\": $var(id)}");
}
`;
}
