#pragma once
// The relay's HTTP endpoints (the SUT contract, DESIGN.md):
//   admin port:  PUT /admin/accounts/{account}            {"token": "..."}
//                PUT /admin/cameras/{camera}              {"owner": "...", "secret": "..."}
//                PUT|DELETE /admin/cameras/{camera}/shares/{account}
//                GET /admin/health  -> 200 {"status":"ok"} (readiness probe)
//                GET /admin/stats   -> counters, active sessions, per-viewer drops (JSON)
//   http port:   GET /cameras/{camera}/snapshot  with Authorization: Bearer {token} -> image/jpeg
// Malformed requests get 400 with {"error": "..."} naming the field.
#include <string>

#include "emulators/relay/http_server.hpp"

namespace camleak::relay {

// A change is applied at once (viewers are re-authorized at once) and answered once it is
// durable in the state journal: 200, or 500 when it could not be persisted.
void handle_admin_request(RelayCore& core, const HttpRequest& request, Respond respond);
HttpResponse handle_snapshot_request(RelayCore& core, const HttpRequest& request);
// A snapshot of `camera` for whoever holds `token` ("" = none given): 401, 404, 503 or the JPEG.
// Both layouts serve snapshots through this; they differ in where camera and token are written.
HttpResponse serve_snapshot(RelayCore& core, const HttpRequest& request, const std::string& camera,
                            const std::string& token);

}  // namespace camleak::relay
